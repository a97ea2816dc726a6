import type { FastifyInstance } from 'fastify';

import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';
import { createApiKey } from '../../src/storage/accounts.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { seedAccount, testSecretBox } from './delivery-fixtures.js';

/** An app built on a fresh SQLite file with one account, for `inject` route tests. */
export interface Harness {
  accountId: string;
  app: FastifyInstance;
  database: TestDatabase;
  wakes: { count: number };
  request<T>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }>;
}

/** Builds the app with a wake-counting dispatcher signal; `env` sets configuration variables. */
export async function buildHarness(env: Record<string, string> = {}): Promise<Harness> {
  const database = await createTestDatabase('sqlite');
  const accountId = await seedAccount(database);
  const { key } = await createApiKey(database.db, { accountId, name: 'test' });
  const wakes = { count: 0 };
  const app = await buildApp({
    config: loadConfig({ LOG_LEVEL: 'silent', ...env }),
    database,
    logger: createLogger('silent'),
    secretBox: testSecretBox,
    // The dispatcher is not under test here; the routes only have to signal it.
    dispatcher: { wake: () => void (wakes.count += 1) },
  });

  const request = async <T>(method: string, url: string, body?: unknown) => {
    const response = await app.inject({
      method: method as 'GET',
      url: `/v1${url}`,
      headers: { authorization: `Bearer ${key}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    return {
      status: response.statusCode,
      body: (response.body === '' ? undefined : response.json()) as T,
    };
  };
  return { app, database, wakes, request, accountId };
}
