import { createHash } from 'node:crypto';

import { z } from 'zod';

import { catalog, eventTypes, isEventType, type EventData, type EventType } from './catalog.js';
import { isId, newId } from './ids.js';
import { timestampSchema, toTimestamp } from './resources/common.js';

/** An event as it is stored, listed by the API and delivered to endpoints. */
export interface EventEnvelope<T extends EventType = EventType> {
  /** Unique id prefixed `evt_`; receivers deduplicate on it (it is also the `webhook-id` header). */
  event_id: string;
  /** Catalog name of the event type, `noun.verb`. */
  event_type: T;
  /** When the event happened, ISO-8601 UTC with milliseconds. */
  created_at: string;
  /** Payload, valid against the event type's schema. */
  data: EventData<T>;
}

/** Envelope schema with `data` left open; `parseEvent` also checks `data` against its event type's schema. */
export const eventEnvelopeSchema = z
  .object({
    event_id: z
      .string()
      .regex(/^evt_[0-9A-HJKMNP-TV-Z]{26}$/)
      .describe('Unique event id, prefixed `evt_`. Also sent as the `webhook-id` header.'),
    event_type: z
      .enum(eventTypes as [EventType, ...EventType[]])
      .describe('Event type from the catalog.'),
    created_at: timestampSchema.describe('When the event happened.'),
    data: z
      .record(z.string(), z.unknown())
      .describe('Payload; its schema depends on `event_type`.'),
  })
  .meta({ id: 'Event' });

/** Body of `POST /v1/events`. */
export const eventPublishSchema = z
  .object({
    event_type: z.string().min(1).describe('Event type from the catalog, such as `invoice.paid`.'),
    data: z
      .record(z.string(), z.unknown())
      .describe('Payload, validated against the event type schema.'),
  })
  .strict()
  .meta({ id: 'EventPublish' });

/** Body of `POST /v1/events`. */
export type EventPublish = z.infer<typeof eventPublishSchema>;

/** Options of `createEvent`, for replaying or testing with fixed values. */
export interface CreateEventOptions {
  /** Id to use instead of a new one; must be `evt_` followed by 26 Crockford base32 characters. */
  eventId?: string;
  /** When the event happened, as a `Date` or milliseconds since the epoch; defaults to now. */
  createdAt?: Date | number;
}

/**
 * Builds an envelope for `data` after validating it against the event type's schema.
 * Throws a `ZodError` whose issues name the invalid field when `data` does not match, a `TypeError` when
 * `options.eventId` is not an event id, and a `RangeError` when `options.createdAt` is not a valid time.
 */
export function createEvent<T extends EventType>(
  type: T,
  data: EventData<T>,
  options: CreateEventOptions = {},
): EventEnvelope<T> {
  if (options.eventId !== undefined && !isEventId(options.eventId)) {
    throw new TypeError(
      `eventId must be "evt_" followed by 26 Crockford base32 characters, got "${options.eventId}"`,
    );
  }
  const createdAt = new Date(options.createdAt ?? Date.now()).getTime();
  if (Number.isNaN(createdAt)) {
    throw new RangeError('createdAt is an invalid date');
  }

  const parsed = catalog[type].schema.parse(data) as EventData<T>;
  return {
    event_id: options.eventId ?? newId('event', createdAt),
    event_type: type,
    created_at: toTimestamp(createdAt),
    data: parsed,
  };
}

/** Returns the sample envelope of an event type: a fixed id and time, and the catalog sample as `data`. */
export function sampleEvent<T extends EventType>(type: T): EventEnvelope<T> {
  const definition = catalog[type];
  return {
    event_id: sampleEventId(type),
    event_type: type,
    created_at: '2026-03-01T12:00:00.000Z',
    data: definition.sample as EventData<T>,
  };
}

/**
 * Parses an unknown value (for example a verified webhook body) into an envelope, checking the envelope and the
 * `data` schema of its event type. Throws a `ZodError` naming the invalid field.
 */
export function parseEvent(value: unknown): EventEnvelope {
  const envelope = eventEnvelopeSchema.parse(value);
  if (!isEventType(envelope.event_type)) {
    throw new Error(`unknown event type ${envelope.event_type}`);
  }
  const data = catalog[envelope.event_type].schema.parse(envelope.data) as EventData<EventType>;
  return { ...envelope, data };
}

/** Returns true when `value` is a syntactically valid event id. */
export function isEventId(value: string): boolean {
  return isId('event', value);
}

// Sample ids are derived from the type name, so samples are stable across builds and look like real ids.
function sampleEventId(type: EventType): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const digest = createHash('sha256').update(type).digest();
  let suffix = '';
  for (let i = 0; i < 26; i += 1) {
    suffix += alphabet.charAt((digest[i] ?? 0) % 32);
  }
  return `evt_${suffix}`;
}
