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
