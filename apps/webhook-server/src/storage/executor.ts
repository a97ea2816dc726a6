import type { Page } from '@app/api-client';
import type { Kysely, Transaction } from 'kysely';

import type { Database } from '../db/schema.js';

/** A database or an open transaction; storage functions accept either so callers decide the transaction scope. */
export type Executor = Kysely<Database> | Transaction<Database>;

/** Converts stored epoch milliseconds to the API's ISO-8601 UTC form. */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Converts an optional stored time; null stays null. */
export function toIsoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** Encodes a list cursor: the id of the last item of the page, opaque to clients. */
export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** Decodes a cursor; returns undefined when it is not one this server made. */
export function decodeCursor(cursor: string): string | undefined {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  return /^[a-z]+_[0-9A-Z]{26}$/.test(id) ? id : undefined;
}

/**
 * Turns the rows of a list query that asked for `limit + 1` rows into a page: the first `limit` rows, mapped, and a
 * cursor pointing after the last of them when the extra row shows there is more.
 */
export function toPage<Row extends { id: string }, Item>(
  rows: Row[],
  limit: number,
  map: (row: Row) => Item,
): Page<Item> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    data: page.map(map),
    next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null,
  };
}
