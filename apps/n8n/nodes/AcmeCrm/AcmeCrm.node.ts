import type {
  IDataObject,
  IExecuteFunctions,
  INodeExecutionData,
  INodeType,
  INodeTypeDescription,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { brand } from '../shared/api-client';
import { CREDENTIAL_TYPE } from '../shared/transport';
import { contactOperations, contactProperties } from './resources/contact';
import { eventOperations, eventProperties } from './resources/event';
import type { Operation } from './resources/operation';

const operationsByResource: Record<string, Record<string, Operation>> = {
  contact: contactOperations,
  event: eventOperations,
};

/** Creates, reads, updates and deletes contacts, and publishes events of any catalog event type. */
export class AcmeCrm implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Acme CRM',
    name: 'acmeCrm',
    icon: { light: 'file:../../icons/acmecrm.svg', dark: 'file:../../icons/acmecrm.dark.svg' },
    group: ['transform'],
    version: 1,
    subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
    description: `Manage contacts and publish events in ${brand.name}`,
    defaults: {
      name: 'Acme CRM',
    },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    credentials: [
      {
        name: CREDENTIAL_TYPE,
        required: true,
      },
    ],
    properties: [
      {
        displayName: 'Resource',
        name: 'resource',
        type: 'options',
        noDataExpression: true,
        options: [
          {
            name: 'Contact',
            value: 'contact',
          },
          {
            name: 'Event',
            value: 'event',
          },
        ],
        default: 'contact',
      },
      ...contactProperties,
      ...eventProperties,
    ],
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const items = this.getInputData();
    const returnData: INodeExecutionData[] = [];

    for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
      try {
        const operation = findOperation(this, itemIndex);
        const results = await operation.execute(this, itemIndex);
        for (const json of results) {
          returnData.push({ json, pairedItem: { item: itemIndex } });
        }
      } catch (error) {
        const nodeError = asNodeError(this, error, itemIndex);
        if (!this.continueOnFail()) {
          throw nodeError;
        }
        returnData.push({ json: describeError(nodeError), pairedItem: { item: itemIndex } });
      }
    }

    return [returnData];
  }
}

function findOperation(context: IExecuteFunctions, itemIndex: number): Operation {
  const resource = context.getNodeParameter('resource', itemIndex) as string;
  const operation = context.getNodeParameter('operation', itemIndex) as string;

  const found = operationsByResource[resource]?.[operation];
  if (found === undefined) {
    throw new NodeOperationError(
      context.getNode(),
      `The operation "${operation}" is not supported for the resource "${resource}"`,
      { itemIndex },
    );
  }
  return found;
}

// Operations raise NodeApiError or NodeOperationError; anything else is wrapped so n8n shows it on the item.
function asNodeError(
  context: IExecuteFunctions,
  error: unknown,
  itemIndex: number,
): NodeApiError | NodeOperationError {
  if (error instanceof NodeApiError || error instanceof NodeOperationError) {
    return error;
  }
  return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

// The output item of a failed item under "Continue On Fail": the message plus the server's code and field.
function describeError(error: NodeApiError | NodeOperationError): IDataObject {
  const json: IDataObject = { error: error.message };
  if (error.description) {
    json['description'] = error.description;
  }
  if (error instanceof NodeApiError && error.httpCode !== null) {
    json['httpCode'] = error.httpCode;
  }
  for (const key of ['code', 'field']) {
    if (error.context[key] !== undefined) {
      json[key] = error.context[key];
    }
  }
  return json;
}
