import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { EventEnvelope } from '../../../shared/api-client';
import { eventTypeOptions } from '../../../shared/event-types';
import { apiRequest } from '../../../shared/transport';
import { showFor, type Operation } from '../operation';

const eventTypes = eventTypeOptions();

/** Event → Publish: `POST /v1/events`; the server validates `data` against the event type's schema. */
export const publishEvent: Operation = {
  properties: [
    {
      displayName: 'Event Type',
      name: 'eventType',
      type: 'options',
      required: true,
      default: '',
      description: 'The type of the event, from the catalog',
      displayOptions: showFor('event', ['publish']),
      options: eventTypes,
    },
    {
      displayName: 'Data',
      name: 'data',
      type: 'json',
      required: true,
      default: '{}',
      description:
        'The payload of the event as a JSON object. The server checks it against the schema of the event type and names each invalid field.',
      displayOptions: showFor('event', ['publish']),
    },
    {
      displayName: 'Options',
      name: 'options',
      type: 'collection',
      placeholder: 'Add Option',
      default: {},
      displayOptions: showFor('event', ['publish']),
      options: [
        {
          displayName: 'Idempotency Key',
          name: 'idempotencyKey',
          type: 'string',
          default: '',
          description:
            'A key that makes a retried publish return the first event instead of creating a second one. Leave empty for a random key per request.',
        },
      ],
    },
  ],

  async execute(context, itemIndex) {
    const eventType = context.getNodeParameter('eventType', itemIndex) as string;
    const data = readData(context.getNodeParameter('data', itemIndex), context, itemIndex);
    const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
    const idempotencyKey =
      typeof options['idempotencyKey'] === 'string' ? options['idempotencyKey'].trim() : '';

    const event = await apiRequest<EventEnvelope>(context, {
      method: 'POST',
      path: '/events',
      body: { event_type: eventType, data },
      idempotencyKey: idempotencyKey === '' ? undefined : idempotencyKey,
      itemIndex,
    });
    return [event as unknown as IDataObject];
  },
};

// The Data parameter arrives as text when typed and as an object when an expression returns one.
function readData(value: unknown, context: IExecuteFunctions, itemIndex: number): IDataObject {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value) as unknown;
    } catch (error) {
      throw new NodeOperationError(context.getNode(), error as Error, {
        message: 'Data is not valid JSON',
        description: 'Enter the payload as a JSON object, such as {"email": "ada@example.com"}.',
        itemIndex,
      });
    }
  }

  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new NodeOperationError(context.getNode(), 'Data must be a JSON object', {
      description: 'Enter the payload of the event as an object, with one key per field.',
      itemIndex,
    });
  }
  return parsed as IDataObject;
}
