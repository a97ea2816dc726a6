import type {
  ICredentialDataDecryptedObject,
  IDataObject,
  IExecuteFunctions,
  IHookFunctions,
  INode,
  INodeExecutionData,
  IWebhookFunctions,
  WorkflowExecuteMode,
} from 'n8n-workflow';

import { AcmeCrmApi } from '../../credentials/AcmeCrmApi.credentials';
import { httpRequestWithAuthentication, type SentRequest } from './n8n-http';

/** One call to the context's logger. */
export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  meta: unknown;
}

/** What every context needs: the node, its parameters and the stored credential. */
export interface NodeSetup {
  node: INode;
  parameters: IDataObject;
  credentials: ICredentialDataDecryptedObject;
  /** Collects every HTTP request the node sent. */
  sent?: SentRequest[];
  /** Collects every log call. */
  logs?: LogEntry[];
}

/** The response a webhook handler wrote through `getResponseObject()`, if any. */
export interface RecordedResponse {
  statusCode: number | undefined;
  body: unknown;
}

/** Builds an `INode` for the given node type name. */
export function makeNode(name: string, type: string, parameters: IDataObject = {}): INode {
  return {
    id: `${type}-id`,
    name,
    type: `@app/n8n-nodes-acmecrm.${type}`,
    typeVersion: 1,
    position: [0, 0],
    parameters: parameters as INode['parameters'],
  };
}

/**
 * Builds the hook context n8n passes to `webhookMethods`: parameters, the webhook URL, the node's static data (the
 * same object across calls, as n8n keeps it on the workflow) and `httpRequestWithAuthentication` over the network.
 */
export function createHookContext(
  setup: NodeSetup & { staticData: IDataObject; webhookUrl: string; mode: WorkflowExecuteMode },
): IHookFunctions {
  const context = {
    ...baseContext(setup),
    getMode: () => setup.mode,
    getActivationMode: () => (setup.mode === 'manual' ? 'manual' : 'activate'),
    getWorkflowStaticData: (type: string) => staticDataOfNode(type, setup.staticData),
    getNodeWebhookUrl: (name: string) => (name === 'default' ? setup.webhookUrl : undefined),
    getWebhookName: () => 'default',
  };
  return context as unknown as IHookFunctions;
}

/**
 * Builds the webhook context n8n passes to `webhook()` for one request: the raw body bytes as `req.rawBody`, the
 * headers, and a response object that records what the handler wrote.
 */
export function createWebhookContext(
  setup: NodeSetup & {
    staticData: IDataObject;
    request: {
      headers: Record<string, string | string[] | undefined>;
      rawBody: Buffer | undefined;
    };
  },
): { context: IWebhookFunctions; response: RecordedResponse } {
  const recorded: RecordedResponse = { statusCode: undefined, body: undefined };
  const response = {
    status(code: number) {
      recorded.statusCode = code;
      return response;
    },
    json(body: unknown) {
      recorded.body = body;
      return response;
    },
    send(body: unknown) {
      recorded.body = body;
      return response;
    },
    end() {
      return response;
    },
  };

  const request = {
    headers: setup.request.headers,
    rawBody: setup.request.rawBody,
    body: parseBody(setup.request.rawBody),
  };
  const context = {
    ...baseContext(setup),
    getMode: () => 'webhook',
    getWorkflowStaticData: (type: string) => staticDataOfNode(type, setup.staticData),
    getRequestObject: () => request,
    getResponseObject: () => response,
    getHeaderData: () => setup.request.headers,
    getBodyData: () => request.body,
    getWebhookName: () => 'default',
  };
  return { context: context as unknown as IWebhookFunctions, response: recorded };
}

/**
 * Builds the execute context of an action node run over `items`. `parametersOf(itemIndex)` returns the resolved
 * parameters of one item, as n8n resolves expressions per item.
 */
export function createExecuteContext(
  setup: Omit<NodeSetup, 'parameters'> & {
    items: INodeExecutionData[];
    parametersOf: (itemIndex: number) => IDataObject;
    continueOnFail?: boolean;
  },
): IExecuteFunctions {
  const context = {
    ...baseContext({ ...setup, parameters: {} }),
    getMode: () => 'manual',
    getInputData: () => setup.items,
    continueOnFail: () => setup.continueOnFail ?? false,
    getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) =>
      readParameter(setup.parametersOf(itemIndex), name, fallback),
  };
  return context as unknown as IExecuteFunctions;
}

function baseContext(setup: NodeSetup) {
  const credentialType = new AcmeCrmApi();
  const logs = setup.logs ?? [];
  const log = (level: LogEntry['level']) => (message: string, meta?: unknown) => {
    logs.push({ level, message, meta });
  };

  return {
    getNode: () => setup.node,
    getWorkflow: () => ({ id: 'wf-1', name: 'Contacts to CRM', active: true }),
    getNodeParameter: (name: string, fallback?: unknown) =>
      readParameter(setup.parameters, name, fallback),
    getCredentials: async (type: string) => {
      if (type !== credentialType.name) {
        throw new Error(`the node requested credential type ${type}`);
      }
      return { ...setup.credentials };
    },
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    helpers: {
      httpRequestWithAuthentication: httpRequestWithAuthentication({
        node: setup.node,
        credentialType,
        credentials: setup.credentials,
        sent: setup.sent,
      }),
    },
  };
}

// n8n returns the fallback for a parameter that is not set and throws when there is none.
function readParameter(parameters: IDataObject, name: string, fallback: unknown): unknown {
  const value = parameters[name];
  if (value !== undefined) {
    return value;
  }
  if (fallback !== undefined) {
    return fallback;
  }
  throw new Error(`Could not get parameter "${name}"`);
}

function staticDataOfNode(type: string, staticData: IDataObject): IDataObject {
  if (type !== 'node') {
    throw new Error(`the node requested static data of type ${type}`);
  }
  return staticData;
}

function parseBody(rawBody: Buffer | undefined): unknown {
  if (rawBody === undefined) {
    return {};
  }
  try {
    return JSON.parse(rawBody.toString('utf8')) as unknown;
  } catch {
    return {};
  }
}
