import { newId, type Endpoint, type EventType, type Page } from '@app/api-client';
import type { Selectable } from 'kysely';

import type { EndpointsTable } from '../db/schema.js';
import { toIso, toPage, type Executor } from './executor.js';

/** How long a replaced signing secret keeps signing next to the new one after a rotation. */
export const SECRET_ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** An endpoint row as stored. */
export type EndpointRow = Selectable<EndpointsTable>;

/** Options of `createEndpoint`. */
export interface CreateEndpointOptions {
  accountId: string;
  url: string;
  /** Event types to receive; null for every type. */
  eventTypes: EventType[] | null;
  description: string;
  /** Encrypts the new secret for the endpoint id it is given (the id is the encryption's associated data). */
  sealSecret: (endpointId: string) => string;
  now?: number;
}

/** Stores a new, enabled endpoint and returns its row. */
export async function createEndpoint(
  db: Executor,
  options: CreateEndpointOptions,
): Promise<EndpointRow> {
  const now = options.now ?? Date.now();
  const id = newId('endpoint', now);
  const row: EndpointRow = {
    id,
    account_id: options.accountId,
    url: options.url,
    description: options.description,
    event_types: options.eventTypes === null ? null : JSON.stringify(options.eventTypes),
    enabled: 1,
    disabled_reason: null,
    secret_encrypted: options.sealSecret(id),
    previous_secret_encrypted: null,
    previous_secret_expires_at: null,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  await db.insertInto('endpoints').values(row).execute();
  return row;
}

/** Returns an endpoint of the account that is not deleted, or undefined. */
export async function findEndpoint(
  db: Executor,
  accountId: string,
  endpointId: string,
): Promise<EndpointRow | undefined> {
  return selectEndpoint(db, accountId, endpointId, false);
}

/** Returns an endpoint of the account even when it is deleted, or undefined. */
export async function findEndpointIncludingDeleted(
  db: Executor,
  accountId: string,
  endpointId: string,
): Promise<EndpointRow | undefined> {
  return selectEndpoint(db, accountId, endpointId, true);
}

function selectEndpoint(
  db: Executor,
  accountId: string,
  endpointId: string,
  includeDeleted: boolean,
): Promise<EndpointRow | undefined> {
  let query = db
    .selectFrom('endpoints')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', endpointId);
  if (!includeDeleted) {
    query = query.where('deleted_at', 'is', null);
  }
  return query.executeTakeFirst();
}

/** Lists the account's endpoints that are not deleted, newest first. */
export async function listEndpoints(
  db: Executor,
  options: { accountId: string; limit: number; cursor?: string },
): Promise<Page<Endpoint>> {
  let query = db
    .selectFrom('endpoints')
    .selectAll()
    .where('account_id', '=', options.accountId)
    .where('deleted_at', 'is', null)
    .orderBy('id', 'desc')
    .limit(options.limit + 1);
  if (options.cursor !== undefined) {
    query = query.where('id', '<', options.cursor);
  }

  const rows = await query.execute();
  return toPage(rows, options.limit, toEndpoint);
}

/** Fields `updateEndpoint` may change; an absent field keeps its value. */
export interface EndpointChanges {
  url?: string;
  eventTypes?: EventType[] | null;
  description?: string;
  enabled?: boolean;
}

/**
 * Applies `changes` and returns the updated row, or undefined when the endpoint does not exist. Disabling sets
 * `disabled_reason` to `manual`; enabling clears any reason, including `gone`.
 */
export async function updateEndpoint(
  db: Executor,
  options: { accountId: string; endpointId: string; changes: EndpointChanges; now?: number },
): Promise<EndpointRow | undefined> {
  const now = options.now ?? Date.now();
  const { changes } = options;
  const current = await findEndpoint(db, options.accountId, options.endpointId);
  if (!current) {
    return undefined;
  }

  const values: Partial<EndpointRow> = { updated_at: now };
  if (changes.url !== undefined) {
    values.url = changes.url;
  }
  if (changes.eventTypes !== undefined) {
    values.event_types = changes.eventTypes === null ? null : JSON.stringify(changes.eventTypes);
  }
  if (changes.description !== undefined) {
    values.description = changes.description;
  }
  if (changes.enabled === true) {
    values.enabled = 1;
    values.disabled_reason = null;
  } else if (changes.enabled === false && current.enabled === 1) {
    values.enabled = 0;
    values.disabled_reason = 'manual';
  }

  await db
    .updateTable('endpoints')
    .set(values)
    .where('id', '=', options.endpointId)
    .where('account_id', '=', options.accountId)
    .execute();
  return { ...current, ...values };
}

/**
 * Soft-deletes an endpoint: it disappears from the API, its delivery log stays, and its pending deliveries become
 * `failed` without another attempt. An attempt already in flight still finishes, and its record sets the final
 * state: `succeeded`, or `failed` for anything else. Returns false when there is no such endpoint (or it was
 * already deleted).
 */
export async function deleteEndpoint(
  db: Executor,
  options: { accountId: string; endpointId: string; now?: number },
): Promise<boolean> {
  const now = options.now ?? Date.now();
  const result = await db
    .updateTable('endpoints')
    .set({ deleted_at: now, updated_at: now, enabled: 0 })
    .where('id', '=', options.endpointId)
    .where('account_id', '=', options.accountId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    return false;
  }

  await db
    .updateTable('deliveries')
    .set({ status: 'failed', next_attempt_at: null, manual: 0, updated_at: now })
    .where('endpoint_id', '=', options.endpointId)
    .where('status', '=', 'pending')
    .execute();
  return true;
}

/**
 * Replaces the signing secret. The replaced secret moves to `previous_secret_encrypted` and keeps signing until
 * `SECRET_ROTATION_OVERLAP_MS` from now. A secret replaced earlier than that is dropped, so at most two secrets sign.
 * Returns the updated row, or undefined when the endpoint does not exist.
 */
export async function rotateEndpointSecret(
  db: Executor,
  options: {
    accountId: string;
    endpointId: string;
    sealSecret: (endpointId: string) => string;
    now?: number;
  },
): Promise<EndpointRow | undefined> {
  const now = options.now ?? Date.now();
  const current = await findEndpoint(db, options.accountId, options.endpointId);
  if (!current) {
    return undefined;
  }

  const values = {
    secret_encrypted: options.sealSecret(current.id),
    previous_secret_encrypted: current.secret_encrypted,
    previous_secret_expires_at: now + SECRET_ROTATION_OVERLAP_MS,
    updated_at: now,
  };
  await db.updateTable('endpoints').set(values).where('id', '=', current.id).execute();
  return { ...current, ...values };
}

/** Renders a row as the API's endpoint, without any secret. */
export function toEndpoint(row: EndpointRow): Endpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    event_types: row.event_types === null ? null : (JSON.parse(row.event_types) as EventType[]),
    enabled: row.enabled === 1,
    disabled_reason: row.disabled_reason as Endpoint['disabled_reason'],
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
}
