import { newId, type Account } from '@app/api-client';

import { displayPrefix, generateApiKey, hashApiKey } from '../security/api-key.js';
import { toIso, toIsoOrNull, type Executor } from './executor.js';

/** An API key as listings show it: never the key itself. */
export interface ApiKeySummary {
  id: string;
  accountId: string;
  name: string;
  displayPrefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Creates an account. */
export async function createAccount(
  db: Executor,
  name: string,
  now = Date.now(),
): Promise<Account> {
  const id = newId('account', now);
  await db.insertInto('accounts').values({ id, name, created_at: now }).execute();
  return { id, name, created_at: toIso(now) };
}

/** Returns an account by id, or undefined. */
export async function findAccount(db: Executor, accountId: string): Promise<Account | undefined> {
  const row = await db
    .selectFrom('accounts')
    .selectAll()
    .where('id', '=', accountId)
    .executeTakeFirst();
  return row && { id: row.id, name: row.name, created_at: toIso(row.created_at) };
}

/** Lists every account, oldest first. */
export async function listAccounts(db: Executor): Promise<Account[]> {
  const rows = await db.selectFrom('accounts').selectAll().orderBy('id').execute();
  return rows.map((row) => ({ id: row.id, name: row.name, created_at: toIso(row.created_at) }));
}

/**
 * Creates an API key for an account and returns the key itself, which is not stored and cannot be shown again.
 * `key` fixes the value (the demo seed uses it); otherwise a random key is generated.
 */
export async function createApiKey(
  db: Executor,
  options: { accountId: string; name: string; key?: string; now?: number },
): Promise<{ key: string; summary: ApiKeySummary }> {
  const now = options.now ?? Date.now();
  const generated = options.key
    ? { key: options.key, hash: hashApiKey(options.key), displayPrefix: displayPrefix(options.key) }
    : generateApiKey();
  const id = newId('apiKey', now);

  await db
    .insertInto('api_keys')
    .values({
      id,
      account_id: options.accountId,
      name: options.name,
      display_prefix: generated.displayPrefix,
      key_hash: generated.hash,
      created_at: now,
      last_used_at: null,
      revoked_at: null,
    })
    .execute();

  return {
    key: generated.key,
    summary: {
      id,
      accountId: options.accountId,
      name: options.name,
      displayPrefix: generated.displayPrefix,
      createdAt: toIso(now),
      lastUsedAt: null,
      revokedAt: null,
    },
  };
}

/** Lists the API keys of one account (or of every account), oldest first. */
export async function listApiKeys(db: Executor, accountId?: string): Promise<ApiKeySummary[]> {
  let query = db.selectFrom('api_keys').selectAll().orderBy('id');
  if (accountId !== undefined) {
    query = query.where('account_id', '=', accountId);
  }
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    displayPrefix: row.display_prefix,
    createdAt: toIso(row.created_at),
    lastUsedAt: toIsoOrNull(row.last_used_at),
    revokedAt: toIsoOrNull(row.revoked_at),
  }));
}

/** Revokes a key; returns false when no active key has this id. */
export async function revokeApiKey(
  db: Executor,
  keyId: string,
  now = Date.now(),
): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('id', '=', keyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Returns true when a key with this value exists (revoked or not). */
export async function apiKeyExists(db: Executor, key: string): Promise<boolean> {
  const row = await db
    .selectFrom('api_keys')
    .select('id')
    .where('key_hash', '=', hashApiKey(key))
    .executeTakeFirst();
  return row !== undefined;
}

/** Finds the account of an active API key; undefined for an unknown or revoked key. */
export async function authenticateApiKey(
  db: Executor,
  key: string,
): Promise<{ account: Account; apiKeyId: string } | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .innerJoin('accounts', 'accounts.id', 'api_keys.account_id')
    .select([
      'api_keys.id as key_id',
      'api_keys.revoked_at',
      'accounts.id as account_id',
      'accounts.name',
      'accounts.created_at',
    ])
    .where('api_keys.key_hash', '=', hashApiKey(key))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null) {
    return undefined;
  }
  return {
    apiKeyId: row.key_id,
    account: { id: row.account_id, name: row.name, created_at: toIso(row.created_at) },
  };
}
