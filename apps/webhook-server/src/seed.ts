import { apiKeyExists, createAccount, createApiKey, listAccounts } from './storage/accounts.js';
import type { Executor } from './storage/executor.js';

/** Result of `seedDemoAccount`. */
export interface SeedResult {
  accountId: string;
  /** A key created by this call, to show once; undefined when no key was created. */
  createdApiKey: string | undefined;
}

export const DEMO_ACCOUNT_NAME = 'Demo account';

/**
 * Makes sure a demo account exists on an empty database and, when `seedApiKey` is set, that this exact key belongs
 * to the first account. Creates a random key only for a brand-new account without `seedApiKey`.
 */
export async function seedDemoAccount(
  db: Executor,
  seedApiKey: string | undefined,
): Promise<SeedResult> {
  const accounts = await listAccounts(db);
  let account = accounts[0];
  let isNew = false;
  if (!account) {
    account = await createAccount(db, DEMO_ACCOUNT_NAME);
    isNew = true;
  }

  if (seedApiKey !== undefined) {
    if (await apiKeyExists(db, seedApiKey)) {
      return { accountId: account.id, createdApiKey: undefined };
    }
    await createApiKey(db, { accountId: account.id, name: 'SEED_API_KEY', key: seedApiKey });
    return { accountId: account.id, createdApiKey: undefined };
  }

  if (isNew) {
    const { key } = await createApiKey(db, { accountId: account.id, name: 'demo' });
    return { accountId: account.id, createdApiKey: key };
  }
  return { accountId: account.id, createdApiKey: undefined };
}
