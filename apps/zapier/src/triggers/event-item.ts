import { eventDataJsonSchema, eventEnvelopeSchema, type EventType } from '@app/api-client';
import type { PlainOutputField } from 'zapier-platform-core';

import { outputFieldsFromSchema } from '../fields/json-schema-fields.js';
import { labelFromKey } from '../fields/labels.js';

/**
 * One event as every event trigger outputs it: the envelope the API sends and lists, with `event_id` renamed to
 * `id`, the key Zapier expects to identify an item.
 */
export interface EventItem {
  /** The event id (`evt_...`), also sent as the `webhook-id` header. */
  id: string;
  /** The catalog event type, such as `contact.created`. */
  event_type: string;
  /** When the event happened, ISO-8601 UTC. */
  created_at: string;
  /** The event's payload; its shape depends on `event_type`. */
  data: Record<string, unknown>;
}

/**
 * Maps an event envelope, from a verified delivery or from `GET /v1/events`, to the trigger output. `perform` and
 * `performList` both use it, so a sample in the Zap editor has exactly the shape of a live event.
 * Throws an `Error` naming the first invalid field when `value` is not an envelope.
 */
export function toEventItem(value: unknown): EventItem {
  const result = eventEnvelopeSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path.join('.') || 'body';
    throw new Error(
      `The event is not a valid event envelope: ${path}: ${issue?.message ?? 'invalid'}.`,
    );
  }

  const envelope = result.data;
  return {
    id: envelope.event_id,
    event_type: envelope.event_type,
    created_at: envelope.created_at,
    data: envelope.data,
  };
}

/**
 * Describes the output of one event type's trigger: the envelope fields, then every field of `data` derived from the
 * event type's schema in the catalog (nested objects flattened with `__`), labelled with the event type's noun.
 */
export function eventItemOutputFields(type: EventType): PlainOutputField[] {
  return [
    { key: 'id', label: 'Event ID', type: 'string' },
    { key: 'event_type', label: 'Event Type', type: 'string' },
    { key: 'created_at', label: 'Event Created At', type: 'datetime' },
    ...outputFieldsFromSchema(eventDataJsonSchema(type), {
      keyPrefix: 'data__',
      labelPrefix: nounOf(type),
    }),
  ];
}

/** Returns the noun of an event type, such as "Invoice" for `invoice.payment_failed`. */
export function nounOf(type: string): string {
  return labelFromKey(type.split('.')[0] ?? type);
}
