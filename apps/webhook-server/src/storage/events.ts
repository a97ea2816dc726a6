import { newId, type EventEnvelope, type EventType, type Page } from '@app/api-client';

import { decodeCursor, toPage, type Executor } from './executor.js';

/** Options of `emitEvent`. */
export interface EmitEventOptions {
  accountId: string;
  type: EventType;
  /** The event's `data`, already validated against the event type's schema. */
  data: unknown;
  /** Marks a test event: stored for the delivery log, hidden from `GET /v1/events`. */
  isTest?: boolean;
  /** Deliver only to this endpoint (test events); otherwise to every matching endpoint (see `emitEvent`). */
  endpointId?: string;
  now?: number;
}

/** Event and deliveries stored by `emitEvent`. */
export interface EmittedEvent {
  envelope: EventEnvelope;
  /** The envelope as JSON text, exactly what endpoints receive. */
  payload: string;
  deliveryIds: string[];
}

/**
 * Stores an event and one pending delivery, due now, for each endpoint of the account that subscribes to its type
 * and is enabled or paused by a user (`disabled_reason = 'manual'`). A paused endpoint's deliveries wait until it
 * is enabled again, so pausing loses no event; an endpoint disabled because it returned 410 Gone gets none.
 *
 * Call it inside the transaction that makes the change the event reports: the event and its deliveries then commit
 * or roll back with the change (a transactional outbox), so no event is lost and none is sent for a change that did
 * not happen. The caller wakes the dispatcher after the commit.
 */
export async function emitEvent(db: Executor, options: EmitEventOptions): Promise<EmittedEvent> {
  const now = options.now ?? Date.now();
  const eventId = newId('event', now);
  const envelope = {
    event_id: eventId,
    event_type: options.type,
    created_at: new Date(now).toISOString(),
    data: options.data,
  } as EventEnvelope;
  const payload = JSON.stringify(envelope);

  await db
    .insertInto('events')
    .values({
      id: eventId,
      account_id: options.accountId,
      type: options.type,
      payload,
      is_test: options.isTest ? 1 : 0,
      created_at: now,
    })
    .execute();

  let endpointQuery = db
    .selectFrom('endpoints')
    .select(['id', 'event_types'])
    .where('account_id', '=', options.accountId)
    .where((eb) => eb.or([eb('enabled', '=', 1), eb('disabled_reason', '=', 'manual')]))
    .where('deleted_at', 'is', null);
  if (options.endpointId !== undefined) {
    endpointQuery = endpointQuery.where('id', '=', options.endpointId);
  }
  const endpoints = await endpointQuery.execute();

  const targets = endpoints.filter(
    (endpoint) =>
      options.endpointId !== undefined ||
      endpoint.event_types === null ||
      (JSON.parse(endpoint.event_types) as string[]).includes(options.type),
  );

  const deliveryIds = targets.map(() => newId('delivery', now));
  if (targets.length > 0) {
    await db
      .insertInto('deliveries')
      .values(
        targets.map((endpoint, index) => ({
          id: deliveryIds[index] as string,
          account_id: options.accountId,
          endpoint_id: endpoint.id,
          event_id: eventId,
          event_type: options.type,
          status: 'pending',
          attempt_count: 0,
          scheduled_attempts: 0,
          next_attempt_at: now,
          manual: 0,
          last_status_code: null,
          is_test: options.isTest ? 1 : 0,
          lease_owner: null,
          lease_expires_at: null,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
  }

  return { envelope, payload, deliveryIds };
}

/** Lists an account's events newest first, optionally of one type; test events are left out. */
export async function listEvents(
  db: Executor,
  options: { accountId: string; type?: string; limit: number; cursor?: string },
): Promise<Page<EventEnvelope>> {
  let query = db
    .selectFrom('events')
    .select(['id', 'payload'])
    .where('account_id', '=', options.accountId)
    .where('is_test', '=', 0)
    .orderBy('id', 'desc')
    .limit(options.limit + 1);
  if (options.type !== undefined) {
    query = query.where('type', '=', options.type);
  }
  if (options.cursor !== undefined) {
    query = query.where('id', '<', options.cursor);
  }

  const rows = await query.execute();
  return toPage(rows, options.limit, (row) => JSON.parse(row.payload) as EventEnvelope);
}

/** Returns one event of the account (test events included), or undefined. */
export async function findEvent(
  db: Executor,
  accountId: string,
  eventId: string,
): Promise<EventEnvelope | undefined> {
  const row = await db
    .selectFrom('events')
    .select('payload')
    .where('account_id', '=', accountId)
    .where('id', '=', eventId)
    .executeTakeFirst();
  return row && (JSON.parse(row.payload) as EventEnvelope);
}

export { decodeCursor };
