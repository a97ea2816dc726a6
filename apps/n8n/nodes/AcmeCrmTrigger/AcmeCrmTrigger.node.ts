import type {
  IHookFunctions,
  INodeType,
  INodeTypeDescription,
  IWebhookFunctions,
  IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { brand } from '../shared/api-client';
import { eventTypeOptions } from '../shared/event-types';
import { CREDENTIAL_TYPE } from '../shared/transport';
import { receiveDelivery } from './delivery';
import { EndpointState } from './endpoint-state';
import { createEndpoint, deleteEndpoint, deleteEndpointsAt, findEndpoint } from './endpoints';
import { ALL_EVENTS, sameEventTypes, selectedEventTypes } from './parameters';

// The API accepts endpoint descriptions of up to 500 characters.
const MAX_DESCRIPTION_LENGTH = 500;

/**
 * Starts a workflow for each event the account sends. Activation creates an endpoint (webhook subscription) for
 * this node's webhook URL and keeps its id and signing secret in the node's static data. Deactivation deletes it.
 */
export class AcmeCrmTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Acme CRM Trigger',
    name: 'acmeCrmTrigger',
    icon: { light: 'file:../../icons/acmecrm.svg', dark: 'file:../../icons/acmecrm.dark.svg' },
    group: ['trigger'],
    version: 1,
    subtitle: '={{$parameter["events"].join(", ")}}',
    description: `Starts the workflow when ${brand.name} sends a signed webhook for an event`,
    defaults: {
      name: 'Acme CRM Trigger',
    },
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    credentials: [
      {
        name: CREDENTIAL_TYPE,
        required: true,
      },
    ],
    webhooks: [
      {
        name: 'default',
        httpMethod: 'POST',
        responseMode: 'onReceived',
        path: 'webhook',
      },
    ],
    properties: [
      {
        displayName: 'Events',
        name: 'events',
        type: 'multiOptions',
        required: true,
        default: [],
        description: 'The event types that start the workflow',
        options: [
          {
            name: 'All Events',
            value: ALL_EVENTS,
            description: 'Every event type, including types added later',
          },
          ...eventTypeOptions(),
        ],
      },
      {
        displayName: 'Output',
        name: 'output',
        type: 'options',
        default: 'envelope',
        description: 'What each execution receives',
        options: [
          {
            name: 'Whole Event',
            value: 'envelope',
            description: 'The event ID, event type, creation time and data',
          },
          {
            name: 'Data Only',
            value: 'data',
            description: 'Only the data of the event, such as the contact',
          },
        ],
      },
    ],
  };

  webhookMethods = {
    default: {
      /**
       * Returns true when the stored endpoint still exists and delivers the selected event types to this node's
       * URL. Clears the stored record when the API responds with 404. An endpoint that differs (other URL or event
       * types, or disabled) counts as absent, and `create` replaces it.
       */
      async checkExists(this: IHookFunctions): Promise<boolean> {
        const state = new EndpointState(this.getWorkflowStaticData('node'));
        const endpointId = state.endpointId;
        if (endpointId === undefined || state.secret === undefined) {
          return false;
        }

        const endpoint = await findEndpoint(this, endpointId);
        if (endpoint === null) {
          state.clear();
          return false;
        }

        return (
          endpoint.enabled &&
          endpoint.url === this.getNodeWebhookUrl('default') &&
          sameEventTypes(endpoint.event_types, selectedEventTypes(this))
        );
      },

      /**
       * Creates an endpoint for this node's webhook URL and stores its id and secret. First deletes the stored
       * endpoint that `checkExists` found outdated and any other endpoint left at the same URL, so each webhook
       * URL has exactly one endpoint.
       */
      async create(this: IHookFunctions): Promise<boolean> {
        const url = this.getNodeWebhookUrl('default');
        if (url === undefined) {
          throw new NodeOperationError(
            this.getNode(),
            'n8n did not provide a webhook URL for this trigger',
          );
        }
        const eventTypes = selectedEventTypes(this);
        const state = new EndpointState(this.getWorkflowStaticData('node'));

        const staleEndpointId = state.endpointId;
        if (staleEndpointId !== undefined) {
          await deleteEndpoint(this, staleEndpointId);
          state.clear();
        }
        await deleteEndpointsAt(this, url);

        const endpoint = await createEndpoint(this, {
          url,
          event_types: eventTypes,
          description: endpointDescription(this),
        });
        state.store(endpoint.id, endpoint.secret);
        return true;
      },

      /**
       * Deletes the stored endpoint and clears the stored record. A 404 counts as deleted. Any other failure is
       * raised, so the user learns that the endpoint still exists.
       */
      async delete(this: IHookFunctions): Promise<boolean> {
        const state = new EndpointState(this.getWorkflowStaticData('node'));
        const endpointId = state.endpointId;
        if (endpointId === undefined) {
          return true;
        }

        await deleteEndpoint(this, endpointId);
        state.clear();
        return true;
      },
    },
  };

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    return await receiveDelivery(this);
  }
}

// Tells users which workflow owns an endpoint when they list endpoints in the product.
function endpointDescription(context: IHookFunctions): string {
  const workflow = context.getWorkflow();
  const session = context.getMode() === 'manual' ? ', test session' : '';
  const text = `n8n workflow "${workflow.name ?? workflow.id ?? ''}", node "${context.getNode().name}"${session}`;
  return text.slice(0, MAX_DESCRIPTION_LENGTH);
}
