import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';

import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import type { DispatcherSignal } from '../../src/http/services.js';
import { createLogger } from '../../src/logger.js';
import { SecretBox } from '../../src/security/secret-box.js';
import { createAccount, createApiKey } from '../../src/storage/accounts.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

/** An account with a working API key. */
export interface TestTenant {
  accountId: string;
  apiKey: string;
  apiKeyId: string;
  /** Sends a request with this tenant's `Authorization` header. */
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
}

/** A Fastify app on a fresh database with two tenants, driven through `inject()`. */
export interface ApiHarness {
  app: FastifyInstance;
  database: TestDatabase;
  secretBox: SecretBox;
  tenantA: TestTenant;
  tenantB: TestTenant;
  /** Number of times a handler woke the dispatcher. */
  wakes(): number;
  close(): Promise<void>;
}

/**
 * Builds the real app (every route, hook and error handler) on a fresh, migrated database of `dialect`. The
 * dispatcher is a counter: route tests check that changes wake it, delivery itself is tested elsewhere.
 */
export async function createApiHarness(
  dialect: 'sqlite' | 'postgres' = 'sqlite',
  env: Record<string, string> = {},
): Promise<ApiHarness> {
  const database = await createTestDatabase(dialect);
  const config = loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent', ...env });
  const secretBox = new SecretBox(config.secretEncryptionKey);
  let wakeCount = 0;
  const dispatcher: DispatcherSignal = {
    wake: () => {
      wakeCount += 1;
    },
  };

  const app = await buildApp({
    config,
    database,
    logger: createLogger('silent'),
    secretBox,
    dispatcher,
  });
  await app.ready();

  const tenantA = await createTenant(app, database, 'Tenant A');
  const tenantB = await createTenant(app, database, 'Tenant B');

  return {
    app,
    database,
    secretBox,
    tenantA,
    tenantB,
    wakes: () => wakeCount,
    close: async () => {
      await app.close();
      await database.dispose();
    },
  };
}

/** Creates an account with an API key on the harness database. */
export async function createTenant(
  app: FastifyInstance,
  database: TestDatabase,
  name: string,
): Promise<TestTenant> {
  const account = await createAccount(database.db, name);
  const { key, summary } = await createApiKey(database.db, { accountId: account.id, name: 'test' });
  return {
    accountId: account.id,
    apiKey: key,
    apiKeyId: summary.id,
    request: (options) =>
      app.inject({
        ...options,
        headers: { authorization: `Bearer ${key}`, ...(options.headers ?? {}) },
      }),
  };
}

/** Counts the rows of the tables a change writes to, for checks that a failed change left nothing behind. */
export async function countRows(
  database: TestDatabase,
  accountId: string,
): Promise<{ contacts: number; events: number; deliveries: number }> {
  const count = async (table: 'contacts' | 'events' | 'deliveries') => {
    const row = await database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  };
  return {
    contacts: await count('contacts'),
    events: await count('events'),
    deliveries: await count('deliveries'),
  };
}

/** Inserts an enabled endpoint row directly, so event fan-out can be tested without the endpoint routes. */
export async function insertEndpointRow(
  harness: Pick<ApiHarness, 'database' | 'secretBox'>,
  options: { accountId: string; id: string; url?: string; eventTypes?: string[] | null },
): Promise<void> {
  const now = Date.now();
  await harness.database.db
    .insertInto('endpoints')
    .values({
      id: options.id,
      account_id: options.accountId,
      url: options.url ?? 'https://receiver.example/webhooks',
      description: '',
      event_types: options.eventTypes ? JSON.stringify(options.eventTypes) : null,
      enabled: 1,
      disabled_reason: null,
      secret_encrypted: harness.secretBox.encrypt(
        'whsec_dGVzdCBzZWNyZXQgZm9yIHRoZSBoYXJuZXNz',
        options.id,
      ),
      previous_secret_encrypted: null,
      previous_secret_expires_at: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    })
    .execute();
}
