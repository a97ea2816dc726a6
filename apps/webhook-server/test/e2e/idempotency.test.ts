import pg from 'pg';

import { startServer, type RunningServer } from '../../src/server.js';
import {
  describeEachDialect,
  describePostgres,
  postgresTestUrl,
  sqliteTestUrl,
} from '../support/databases.js';

const API_KEY = 'idempotency_e2e_key_0123456789abcdef';

interface Sent {
  status: number;
  replayed: boolean;
  body: unknown;
}

async function startOn(
  dialect: 'sqlite' | 'postgres',
  env: Record<string, string> = {},
): Promise<{ server: RunningServer; cleanup(): Promise<void> }> {
  const target = dialect === 'sqlite' ? sqliteTestUrl() : await postgresTestUrl();
  const server = await startServer({
    env: {
      PORT: '0',
      DATABASE_URL: target.url,
      SEED_API_KEY: API_KEY,
      LOG_LEVEL: 'silent',
      ...env,
    },
  });
  return {
    server,
    cleanup: async () => {
      await server.close();
      await target.cleanup();
    },
  };
}

async function postContact(server: RunningServer, key: string, body: unknown): Promise<Sent> {
  const response = await fetch(`${server.url}/v1/contacts`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${API_KEY}`,
      'content-type': 'application/json',
      'idempotency-key': key,
    },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    replayed: response.headers.get('idempotent-replayed') === 'true',
    body: await response.json(),
  };
}

async function contactCount(server: RunningServer): Promise<number> {
  const rows = await server.database.db.selectFrom('contacts').select('id').execute();
  return rows.length;
}

describeEachDialect('concurrent requests with one key', (dialect) => {
  test('exactly one runs, the others replay or wait', async () => {
    const { server, cleanup } = await startOn(dialect);
    try {
      const body = { email: 'race@example.com', first_name: 'Race' };

      const results = await Promise.all(
        Array.from({ length: 10 }, () => postContact(server, 'race-key', body)),
      );
      const retry = await postContact(server, 'race-key', body);

      const executed = results.filter((result) => result.status === 201 && !result.replayed);
      const replayed = results.filter((result) => result.status === 201 && result.replayed);
      const waiting = results.filter((result) => result.status === 409);
      expect(executed).toHaveLength(1);
      expect(replayed.length + waiting.length).toBe(9);
      for (const result of replayed) {
        expect(result.body).toEqual(executed[0]?.body);
      }
      for (const result of waiting) {
        expect((result.body as { code: string }).code).toBe('idempotency_request_in_flight');
      }
      expect(retry).toEqual({ status: 201, replayed: true, body: executed[0]?.body });
      expect(await contactCount(server)).toBe(1);
    } finally {
      await cleanup();
    }
  });
});

describePostgres('retry while the first request is in flight', () => {
  test('second request gets 409 until the first finishes', async () => {
    const { server, cleanup } = await startOn('postgres');
    const locker = new pg.Client({ connectionString: server.config.databaseUrl });
    await locker.connect();
    try {
      const body = { email: 'slow@example.com' };
      // The lock holds the first request inside its handler, after it claimed the key: its INSERT into contacts
      // waits for the lock while the idempotency record is in_flight.
      await locker.query('begin');
      await locker.query('lock table contacts in exclusive mode');

      const first = postContact(server, 'slow-key', body);
      await waitForInFlightClaim(server, 'slow-key');
      const second = await postContact(server, 'slow-key', body);

      await locker.query('commit');
      const firstResult = await first;
      const third = await postContact(server, 'slow-key', body);

      expect(second.status).toBe(409);
      expect((second.body as { code: string }).code).toBe('idempotency_request_in_flight');
      expect(firstResult.status).toBe(201);
      expect(firstResult.replayed).toBe(false);
      expect(third).toEqual({ status: 201, replayed: true, body: firstResult.body });
      expect(await contactCount(server)).toBe(1);
    } finally {
      await locker.query('rollback').catch(() => undefined);
      await locker.end();
      await cleanup();
    }
  });
});

describePostgres('request running longer than REQUEST_TIMEOUT', () => {
  test('keeps its key by renewing the claim', async () => {
    const { server, cleanup } = await startOn('postgres', { REQUEST_TIMEOUT: '600ms' });
    const locker = new pg.Client({ connectionString: server.config.databaseUrl });
    await locker.connect();
    try {
      const body = { email: 'long@example.com' };
      await locker.query('begin');
      await locker.query('lock table contacts in exclusive mode');

      const first = postContact(server, 'long-key', body);
      const claimedAt = await waitForInFlightClaim(server, 'long-key');
      // Without renewals the claim would now count as abandoned and the retry would run the request again.
      await waitForRenewal(server, 'long-key', claimedAt + 600);
      const retry = await postContact(server, 'long-key', body);
      await locker.query('commit');
      const firstResult = await first;

      expect(retry.status).toBe(409);
      expect((retry.body as { code: string }).code).toBe('idempotency_request_in_flight');
      expect(firstResult.status).toBe(201);
      expect(await contactCount(server)).toBe(1);
    } finally {
      await locker.query('rollback').catch(() => undefined);
      await locker.end();
      await cleanup();
    }
  });
});

/** Polls until the key's claim was renewed after `after` (epoch ms); bounded at 400 polls of 25 ms. */
async function waitForRenewal(server: RunningServer, key: string, after: number): Promise<void> {
  for (let poll = 0; poll < 400; poll += 1) {
    const row = await server.database.db
      .selectFrom('idempotency_keys')
      .select(['state', 'created_at'])
      .where('key', '=', key)
      .executeTakeFirst();
    if (row?.state === 'in_flight' && row.created_at > after) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`idempotency claim ${key} was never renewed`);
}

/** Polls until the key's record exists in flight and returns its claim time; bounded at 200 polls of 25 ms. */
async function waitForInFlightClaim(server: RunningServer, key: string): Promise<number> {
  for (let poll = 0; poll < 200; poll += 1) {
    const row = await server.database.db
      .selectFrom('idempotency_keys')
      .select(['state', 'created_at'])
      .where('key', '=', key)
      .executeTakeFirst();
    if (row?.state === 'in_flight') {
      return row.created_at;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`idempotency key ${key} was never claimed`);
}
