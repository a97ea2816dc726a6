import type { Executor } from './executor.js';

/** Outcome of `claimIdempotencyKey`. */
export type IdempotencyClaim =
  /** The caller owns the key and runs the request; `claimedAt` identifies the claim when completing it. */
  | { outcome: 'claimed'; claimedAt: number }
  /** A request with this key and fingerprint finished; its response is to be sent again. */
  | { outcome: 'replay'; status: number; contentType: string | null; body: string | null }
  /** The key was used for a request with another fingerprint. */
  | { outcome: 'mismatch' }
  /** A request with this key is still running. */
  | { outcome: 'in_flight' };

/** Options of `claimIdempotencyKey`. */
export interface ClaimOptions {
  accountId: string;
  key: string;
  /** Digest of the request (method, path, body); a reused key with another fingerprint is a mismatch. */
  fingerprint: string;
  /** How long a key is kept, from its claim, in milliseconds. */
  ttlMs: number;
  /**
   * Age in milliseconds after which an in-flight claim counts as abandoned (its request died with the process) and
   * may be taken over. A live request keeps its claim young with `renewIdempotencyClaim`.
   */
  abandonAfterMs: number;
  now?: number;
}

// Each pass claims the key, decides the outcome, or removes one expired or abandoned record. Three passes are enough
// even when the record changes state between the insert and the read.
const MAX_CLAIM_PASSES = 3;

/**
 * Claims `key` for the account, or reports why the request must not run. The insert is atomic on both dialects
 * (`ON CONFLICT DO NOTHING` on the primary key), so of two concurrent requests exactly one gets `claimed`. An
 * expired record is deleted and the key claimed afresh; an abandoned in-flight record with the same fingerprint is
 * taken over.
 */
export async function claimIdempotencyKey(
  db: Executor,
  options: ClaimOptions,
): Promise<IdempotencyClaim> {
  const now = options.now ?? Date.now();

  for (let pass = 0; pass < MAX_CLAIM_PASSES; pass += 1) {
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({
        account_id: options.accountId,
        key: options.key,
        fingerprint: options.fingerprint,
        state: 'in_flight',
        response_status: null,
        response_content_type: null,
        response_body: null,
        created_at: now,
        expires_at: now + options.ttlMs,
      })
      .onConflict((conflict) => conflict.columns(['account_id', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) {
      return { outcome: 'claimed', claimedAt: now };
    }

    const row = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('account_id', '=', options.accountId)
      .where('key', '=', options.key)
      .executeTakeFirst();
    if (!row) {
      continue;
    }

    if (row.expires_at <= now) {
      await db
        .deleteFrom('idempotency_keys')
        .where('account_id', '=', options.accountId)
        .where('key', '=', options.key)
        .where('expires_at', '=', row.expires_at)
        .execute();
      continue;
    }

    if (row.fingerprint !== options.fingerprint) {
      return { outcome: 'mismatch' };
    }

    if (row.state === 'completed' && row.response_status !== null) {
      return {
        outcome: 'replay',
        status: row.response_status,
        contentType: row.response_content_type,
        body: row.response_body,
      };
    }

    if (row.created_at > now - options.abandonAfterMs) {
      return { outcome: 'in_flight' };
    }

    // Compare-and-set on `created_at`: of two requests taking over the same abandoned claim, one wins.
    const takenOver = await db
      .updateTable('idempotency_keys')
      .set({ created_at: now, expires_at: now + options.ttlMs })
      .where('account_id', '=', options.accountId)
      .where('key', '=', options.key)
      .where('state', '=', 'in_flight')
      .where('created_at', '=', row.created_at)
      .executeTakeFirst();
    if (Number(takenOver.numUpdatedRows) > 0) {
      return { outcome: 'claimed', claimedAt: now };
    }
  }

  return { outcome: 'in_flight' };
}

/**
 * Renews a claim while its request is still running, so it is not taken for abandoned: moves `created_at` to `now`
 * if the claim is still the caller's. Returns false when it is not (it was completed, released or taken over).
 */
export async function renewIdempotencyClaim(
  db: Executor,
  options: { accountId: string; key: string; claimedAt: number; now: number },
): Promise<boolean> {
  const result = await db
    .updateTable('idempotency_keys')
    .set({ created_at: options.now })
    .where('account_id', '=', options.accountId)
    .where('key', '=', options.key)
    .where('state', '=', 'in_flight')
    .where('created_at', '=', options.claimedAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Options of `completeIdempotencyKey`. */
export interface CompleteOptions {
  accountId: string;
  key: string;
  /** `claimedAt` of the claim; a claim taken over by another request in the meantime is left alone. */
  claimedAt: number;
  status: number;
  contentType: string | null;
  body: string | null;
}

/** Stores the response of a claimed request for replays. Returns false when the claim is no longer the caller's. */
export async function completeIdempotencyKey(
  db: Executor,
  options: CompleteOptions,
): Promise<boolean> {
  const result = await db
    .updateTable('idempotency_keys')
    .set({
      state: 'completed',
      response_status: options.status,
      response_content_type: options.contentType,
      response_body: options.body,
    })
    .where('account_id', '=', options.accountId)
    .where('key', '=', options.key)
    .where('state', '=', 'in_flight')
    .where('created_at', '=', options.claimedAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Deletes a claim so the client can retry with the same key (after a 5xx). Returns false when the claim is no longer
 * the caller's.
 */
export async function releaseIdempotencyKey(
  db: Executor,
  options: { accountId: string; key: string; claimedAt: number },
): Promise<boolean> {
  const result = await db
    .deleteFrom('idempotency_keys')
    .where('account_id', '=', options.accountId)
    .where('key', '=', options.key)
    .where('state', '=', 'in_flight')
    .where('created_at', '=', options.claimedAt)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Deletes every record that expired at or before `now`, whatever its state; returns how many were deleted. */
export async function purgeExpiredIdempotencyKeys(db: Executor, now = Date.now()): Promise<number> {
  const result = await db
    .deleteFrom('idempotency_keys')
    .where('expires_at', '<=', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
