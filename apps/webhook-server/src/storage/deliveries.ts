import type { Attempt, Delivery, DeliveryStatus, EventEnvelope, Page } from '@app/api-client';
import { sql } from 'kysely';

import type { Dialect } from '../db/connect.js';
import { toIso, toIsoOrNull, toPage, type Executor } from './executor.js';

/** A delivery taken by one dispatcher, with everything needed to send it. */
export interface ClaimedDelivery {
  id: string;
  accountId: string;
  endpointId: string;
  eventId: string;
  /** Attempts made so far, manual ones included; the next attempt gets number `attemptCount + 1`. */
  attemptCount: number;
  /** Scheduled attempts made so far; decides the next retry delay. */
  scheduledAttempts: number;
  /** True when the attempt was requested by redeliver or resend-failed. */
  manual: boolean;
  url: string;
  secretEncrypted: string;
  previousSecretEncrypted: string | null;
  previousSecretExpiresAt: number | null;
  /** The envelope text stored with the event; sent byte for byte. */
  payload: string;
}

/** Options of `claimDueDeliveries`. */
export interface ClaimOptions {
  dialect: Dialect;
  /** Id of the claiming dispatcher, stored in `lease_owner`. */
  owner: string;
  now: number;
  /** How long the claim lasts; after it expires another dispatcher may take the delivery again. */
  leaseMs: number;
  /** Maximum number of deliveries to claim. */
  limit: number;
  /** Maximum number of deliveries this dispatcher may have per endpoint, running or claimed ahead. */
  endpointCap: number;
  /** Deliveries this dispatcher has per endpoint id, running or claimed ahead. */
  heldByEndpoint: ReadonlyMap<string, number>;
  /** How many of the oldest due deliveries a claim considers before it picks per endpoint. */
  scanLimit: number;
}

/**
 * Claims due deliveries: pending, due, without a live lease, of an enabled endpoint that is not deleted. Each claim
 * takes at most `endpointCap` minus the count already held per endpoint, so a slow endpoint at its cap never fills
 * the batch, and endpoints at their cap are not considered at all. The claim is one statement, so it is atomic on
 * SQLite; on PostgreSQL `FOR UPDATE SKIP LOCKED` lets several dispatchers claim at once without taking the same rows.
 *
 * NOTE: the per-endpoint pick only considers the `scanLimit` oldest due deliveries, so an endpoint below its cap with a
 * larger backlog than that can hold back newer deliveries to other endpoints until it reaches its cap. On PostgreSQL
 * the scan locks those rows until the statement ends, so a claim running at the same moment skips them and may come
 * back empty. That claim finds them at its next poll.
 */
export async function claimDueDeliveries(
  db: Executor,
  options: ClaimOptions,
): Promise<ClaimedDelivery[]> {
  const { now, endpointCap } = options;
  const inFlight = [...options.heldByEndpoint].filter(([, count]) => count > 0);
  const saturated = inFlight
    .filter(([, count]) => count >= endpointCap)
    .map(([endpointId]) => endpointId);
  const partial = inFlight.filter(([, count]) => count < endpointCap);

  const skipSaturated =
    saturated.length === 0 ? sql`` : sql`AND d.endpoint_id NOT IN (${sql.join(saturated)})`;
  const room =
    partial.length === 0
      ? sql`${endpointCap}`
      : sql`CASE endpoint_id ${sql.join(
          partial.map(
            ([endpointId, count]) =>
              sql`WHEN ${endpointId} THEN CAST(${endpointCap - count} AS INTEGER)`,
          ),
          sql` `,
        )} ELSE CAST(${endpointCap} AS INTEGER) END`;
  const lock = options.dialect === 'postgres' ? sql`FOR UPDATE OF d SKIP LOCKED` : sql``;

  const claimed = await sql<{ id: string }>`
    WITH candidates AS (
      SELECT d.id, d.endpoint_id, d.next_attempt_at
      FROM deliveries d
      JOIN endpoints e ON e.id = d.endpoint_id
      WHERE d.status = 'pending'
        AND d.next_attempt_at <= ${now}
        AND (d.lease_expires_at IS NULL OR d.lease_expires_at <= ${now})
        AND e.enabled = 1
        AND e.deleted_at IS NULL
        ${skipSaturated}
      -- Ordered by the index column alone: a tie-break on id would sort every due row before the LIMIT.
      ORDER BY d.next_attempt_at
      LIMIT ${options.scanLimit}
      ${lock}
    ),
    ranked AS (
      SELECT id, endpoint_id, next_attempt_at,
        ROW_NUMBER() OVER (PARTITION BY endpoint_id ORDER BY next_attempt_at, id) AS position
      FROM candidates
    )
    UPDATE deliveries
    SET lease_owner = ${options.owner}, lease_expires_at = ${now + options.leaseMs}
    WHERE id IN (
      SELECT id FROM ranked WHERE position <= ${room} ORDER BY next_attempt_at, id LIMIT ${options.limit}
    )
    RETURNING id`.execute(db);

  const ids = claimed.rows.map((row) => row.id);
  if (ids.length === 0) {
    return [];
  }

  const rows = await db
    .selectFrom('deliveries as d')
    .innerJoin('endpoints as e', 'e.id', 'd.endpoint_id')
    .innerJoin('events as ev', 'ev.id', 'd.event_id')
    .select([
      'd.id',
      'd.account_id',
      'd.endpoint_id',
      'd.event_id',
      'd.attempt_count',
      'd.scheduled_attempts',
      'd.manual',
      'e.url',
      'e.secret_encrypted',
      'e.previous_secret_encrypted',
      'e.previous_secret_expires_at',
      'ev.payload',
    ])
    .where('d.id', 'in', ids)
    .execute();

  return rows.map((row) => ({
    id: row.id,
    accountId: row.account_id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    attemptCount: row.attempt_count,
    scheduledAttempts: row.scheduled_attempts,
    manual: row.manual === 1,
    url: row.url,
    secretEncrypted: row.secret_encrypted,
    previousSecretEncrypted: row.previous_secret_encrypted,
    previousSecretExpiresAt: row.previous_secret_expires_at,
    payload: row.payload,
  }));
}

/** Clears the leases `owner` holds on deliveries it claimed but never started, so any dispatcher can claim them. */
export async function releaseLeases(
  db: Executor,
  options: { owner: string; deliveryIds: readonly string[] },
): Promise<void> {
  if (options.deliveryIds.length === 0) {
    return;
  }
  await db
    .updateTable('deliveries')
    .set({ lease_owner: null, lease_expires_at: null })
    .where('id', 'in', options.deliveryIds)
    .where('lease_owner', '=', options.owner)
    .execute();
}

/** Next state of a delivery after an attempt. */
export type DeliveryTransition =
  { status: 'succeeded' } | { status: 'failed' } | { status: 'pending'; nextAttemptAt: number };

/** One finished attempt and the state it moves its delivery to. */
export interface AttemptRecord {
  deliveryId: string;
  endpointId: string;
  attemptNumber: number;
  trigger: 'scheduled' | 'manual';
  startedAt: number;
  durationMs: number;
  statusCode: number | null;
  responseExcerpt: string | null;
  error: string | null;
  succeeded: boolean;
  transition: DeliveryTransition;
  /** Set when the response was 410 Gone: the endpoint is disabled with this reason. */
  disableEndpoint?: 'gone';
}

// Rows per multi-row INSERT; 10 columns each stays far below SQLite's limit of bound parameters.
const INSERT_CHUNK = 200;

/**
 * Records a batch of attempts: inserts every attempt row and moves each delivery to its next state, releasing the
 * lease. Call it inside a transaction so the log and the state never disagree. A delivery whose lease `owner` lost
 * (it expired and another dispatcher took it) keeps its state. Its attempt row is still inserted, because the
 * request was made. Deliveries left pending for an endpoint deleted meanwhile become `failed`.
 * Returns the ids of the deliveries whose state was updated.
 */
export async function recordAttempts(
  db: Executor,
  options: { owner: string; records: readonly AttemptRecord[]; now?: number },
): Promise<Set<string>> {
  const now = options.now ?? Date.now();
  const { records, owner } = options;
  const updated = new Set<string>();
  if (records.length === 0) {
    return updated;
  }

  for (let start = 0; start < records.length; start += INSERT_CHUNK) {
    await db
      .insertInto('attempts')
      .values(
        records.slice(start, start + INSERT_CHUNK).map((record) => ({
          delivery_id: record.deliveryId,
          attempt_number: record.attemptNumber,
          trigger: record.trigger,
          started_at: record.startedAt,
          duration_ms: record.durationMs,
          status_code: record.statusCode,
          // PostgreSQL text cannot hold NUL, which a binary response body may contain.
          response_excerpt: record.responseExcerpt?.replaceAll('\u0000', '\uFFFD') ?? null,
          error: record.error,
          succeeded: record.succeeded ? 1 : 0,
        })),
      )
      .execute();
  }

  // Deliveries that end the same way share one UPDATE; under a high success rate that is one statement per batch.
  // The counters are incremented rather than set: no one else changes them while this owner holds the lease.
  const groups = new Map<string, AttemptRecord[]>();
  for (const record of records) {
    const next = record.transition.status === 'pending' ? record.transition.nextAttemptAt : null;
    const key = [record.transition.status, next, record.statusCode, record.trigger].join('|');
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }

  for (const group of groups.values()) {
    const first = group[0] as AttemptRecord;
    const ids = group.map((record) => record.deliveryId);
    const result = await db
      .updateTable('deliveries')
      .set((eb) => ({
        status: first.transition.status,
        attempt_count: eb('attempt_count', '+', 1),
        scheduled_attempts: eb('scheduled_attempts', '+', first.trigger === 'scheduled' ? 1 : 0),
        next_attempt_at:
          first.transition.status === 'pending' ? first.transition.nextAttemptAt : null,
        last_status_code: first.statusCode,
        manual: 0,
        lease_owner: null,
        lease_expires_at: null,
        updated_at: now,
      }))
      .where('id', 'in', ids)
      .where('lease_owner', '=', owner)
      .returning('id')
      .execute();
    for (const row of result) {
      updated.add(row.id);
    }
  }

  const gone = [
    ...new Set(
      records.filter((record) => record.disableEndpoint === 'gone').map((r) => r.endpointId),
    ),
  ];
  if (gone.length > 0) {
    await db
      .updateTable('endpoints')
      .set({ enabled: 0, disabled_reason: 'gone', updated_at: now })
      .where('id', 'in', gone)
      .where('enabled', '=', 1)
      .execute();
  }

  const rescheduled = records
    .filter((record) => record.transition.status === 'pending')
    .map((r) => r.deliveryId);
  if (rescheduled.length > 0) {
    await db
      .updateTable('deliveries')
      .set({ status: 'failed', next_attempt_at: null, updated_at: now })
      .where('id', 'in', rescheduled)
      .where('status', '=', 'pending')
      .where('endpoint_id', 'in', (eb) =>
        eb.selectFrom('endpoints').select('id').where('deleted_at', 'is not', null),
      )
      .execute();
  }

  return updated;
}

/** Filters and paging of `listDeliveries`. */
export interface ListDeliveriesOptions {
  accountId: string;
  endpointId?: string;
  eventId?: string;
  status?: DeliveryStatus;
  limit: number;
  /** Id of the last delivery of the previous page. */
  cursor?: string;
}

/** Lists an account's deliveries newest first, each with its payload and attempts. */
export async function listDeliveries(
  db: Executor,
  options: ListDeliveriesOptions,
): Promise<Page<Delivery>> {
  let query = db
    .selectFrom('deliveries as d')
    .innerJoin('events as ev', 'ev.id', 'd.event_id')
    .selectAll('d')
    .select('ev.payload')
    .where('d.account_id', '=', options.accountId)
    .orderBy('d.id', 'desc')
    .limit(options.limit + 1);
  if (options.endpointId !== undefined) {
    query = query.where('d.endpoint_id', '=', options.endpointId);
  }
  if (options.eventId !== undefined) {
    query = query.where('d.event_id', '=', options.eventId);
  }
  if (options.status !== undefined) {
    query = query.where('d.status', '=', options.status);
  }
  if (options.cursor !== undefined) {
    query = query.where('d.id', '<', options.cursor);
  }

  const rows = await query.execute();
  const page = rows.slice(0, options.limit);
  const attempts = await loadAttempts(
    db,
    page.map((row) => row.id),
  );
  return toPage(rows, options.limit, (row) => toDelivery(row, attempts.get(row.id) ?? []));
}

/** Returns one delivery of the account with its payload and attempts, or undefined. */
export async function findDelivery(
  db: Executor,
  accountId: string,
  deliveryId: string,
): Promise<Delivery | undefined> {
  const row = await db
    .selectFrom('deliveries as d')
    .innerJoin('events as ev', 'ev.id', 'd.event_id')
    .selectAll('d')
    .select('ev.payload')
    .where('d.account_id', '=', accountId)
    .where('d.id', '=', deliveryId)
    .executeTakeFirst();
  if (!row) {
    return undefined;
  }
  const attempts = await loadAttempts(db, [row.id]);
  return toDelivery(row, attempts.get(row.id) ?? []);
}

/** Reason `requestRedelivery` did not schedule an attempt. */
export type RedeliveryRefusal =
  'not_found' | 'in_flight' | 'endpoint_disabled' | 'endpoint_deleted';

/**
 * Makes a delivery due now as a manual attempt, whatever its status. Refuses while an attempt holds a live lease
 * (the attempt would overwrite the request) and when the endpoint is disabled or deleted (nothing would be sent).
 */
export async function requestRedelivery(
  db: Executor,
  options: { accountId: string; deliveryId: string; now?: number },
): Promise<{ ok: true } | { ok: false; reason: RedeliveryRefusal }> {
  const now = options.now ?? Date.now();
  const row = await db
    .selectFrom('deliveries as d')
    .innerJoin('endpoints as e', 'e.id', 'd.endpoint_id')
    .select(['d.id', 'e.enabled', 'e.deleted_at'])
    .where('d.account_id', '=', options.accountId)
    .where('d.id', '=', options.deliveryId)
    .executeTakeFirst();
  if (!row) {
    return { ok: false, reason: 'not_found' };
  }
  if (row.deleted_at !== null) {
    return { ok: false, reason: 'endpoint_deleted' };
  }
  if (row.enabled !== 1) {
    return { ok: false, reason: 'endpoint_disabled' };
  }

  const result = await db
    .updateTable('deliveries')
    .set({ status: 'pending', next_attempt_at: now, manual: 1, updated_at: now })
    .where('id', '=', options.deliveryId)
    .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0 ? { ok: true } : { ok: false, reason: 'in_flight' };
}

/**
 * Makes every failed delivery of the endpoint created at or after `since` due now as a manual attempt. Returns how
 * many were scheduled.
 */
export async function resendFailedDeliveries(
  db: Executor,
  options: { accountId: string; endpointId: string; since: number; now?: number },
): Promise<number> {
  const now = options.now ?? Date.now();
  const result = await db
    .updateTable('deliveries')
    .set({ status: 'pending', next_attempt_at: now, manual: 1, updated_at: now })
    .where('account_id', '=', options.accountId)
    .where('endpoint_id', '=', options.endpointId)
    .where('status', '=', 'failed')
    .where('created_at', '>=', options.since)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

async function loadAttempts(db: Executor, deliveryIds: string[]): Promise<Map<string, Attempt[]>> {
  const byDelivery = new Map<string, Attempt[]>();
  if (deliveryIds.length === 0) {
    return byDelivery;
  }

  const rows = await db
    .selectFrom('attempts')
    .selectAll()
    .where('delivery_id', 'in', deliveryIds)
    .orderBy('delivery_id')
    .orderBy('attempt_number')
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const list = byDelivery.get(row.delivery_id) ?? [];
    list.push({
      attempt_number: row.attempt_number,
      trigger: row.trigger as Attempt['trigger'],
      started_at: toIso(row.started_at),
      duration_ms: row.duration_ms,
      status_code: row.status_code,
      response_excerpt: row.response_excerpt,
      error: row.error,
      succeeded: row.succeeded === 1,
    });
    byDelivery.set(row.delivery_id, list);
  }
  return byDelivery;
}

interface DeliveryRowWithPayload {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: string;
  attempt_count: number;
  next_attempt_at: number | null;
  last_status_code: number | null;
  is_test: number;
  created_at: number;
  updated_at: number;
  payload: string;
}

function toDelivery(row: DeliveryRowWithPayload, attempts: Attempt[]): Delivery {
  return {
    id: row.id,
    endpoint_id: row.endpoint_id,
    event_id: row.event_id,
    event_type: row.event_type,
    status: row.status as DeliveryStatus,
    attempt_count: row.attempt_count,
    next_attempt_at: row.status === 'pending' ? toIsoOrNull(row.next_attempt_at) : null,
    last_status_code: row.last_status_code,
    is_test: row.is_test === 1,
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
    payload: JSON.parse(row.payload) as EventEnvelope as Delivery['payload'],
    attempts,
  };
}
