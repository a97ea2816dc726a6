import { eventEnvelopeSchema, eventPublishSchema, toJsonSchema } from '@app/api-client';

import type { EventTypeInput } from '../input.js';
import { parametersFromObjectSchema } from '../json-schema-to-make.js';
import type { MakeParameter, ModuleComponent, RpcComponent } from '../model.js';
import { RPC_OPTIONS_PREFIX } from '../make-format.js';

/** Id of the RPC that lists event types for dropdowns. */
export const EVENT_TYPES_RPC = 'listEventTypes';

/**
 * Builds the RPC that lists the server's event types (`GET /v1/event-types`) as dropdown options, labelled with
 * their titles. It reads the server rather than the catalog, so a dropdown offers exactly what the connected
 * account accepts.
 */
export function buildEventTypesRpc(connection: string): RpcComponent {
  return {
    id: EVENT_TYPES_RPC,
    label: 'List Event Types',
    connection,
    sections: {
      communication: {
        url: '/event-types',
        method: 'GET',
        response: {
          iterate: '{{body.data}}',
          output: { label: '{{item.title}}', value: '{{item.type}}' },
        },
      },
      params: [],
    },
  };
}

/**
 * Builds Publish an Event, an action that creates. The event type comes from the RPC dropdown and the data is JSON,
 * which Make parses into an object. The server validates the data against the type's schema and returns 422 with
 * the offending field when it does not match.
 */
export function buildPublishEventModule(
  connection: string,
  sampleEvent: EventTypeInput,
): ModuleComponent {
  const publish = toJsonSchema(eventPublishSchema);
  const properties = publish['properties'] as Record<string, { description?: string }>;

  const mappableParams: MakeParameter[] = [
    {
      name: 'event_type',
      label: 'Event Type',
      type: 'select',
      required: true,
      options: `${RPC_OPTIONS_PREFIX}${EVENT_TYPES_RPC}`,
      help: properties['event_type']?.description ?? 'Event type from the catalog.',
    },
    {
      name: 'data',
      label: 'Data',
      type: 'json',
      required: true,
      help: `${properties['data']?.description ?? 'Payload of the event.'} For example, for \`${sampleEvent.type}\`: \`${JSON.stringify(sampleEvent.sample['data'])}\``,
    },
  ];

  return {
    id: 'publishEvent',
    label: 'Publish an Event',
    description:
      'Publishes an event; every endpoint subscribed to its type receives it as a signed webhook.',
    moduleType: 'action',
    actionCrud: 'create',
    connection,
    sections: {
      communication: {
        url: '/events',
        method: 'POST',
        body: { event_type: '{{parameters.event_type}}', data: '{{parameters.data}}' },
        response: { output: '{{body}}' },
      },
      staticParams: [],
      mappableParams,
      interface: parametersFromObjectSchema(toJsonSchema(eventEnvelopeSchema), 'interface'),
      samples: sampleEvent.sample,
    },
  };
}
