import { Writable } from 'node:stream';

import { verify } from '@app/api-client';
import pino from 'pino';
import type { buildConnector } from 'undici';

import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/connect.js';
import { Dispatcher } from '../../src/delivery/dispatcher.js';
import { createLogger } from '../../src/logger.js';
import { claimDueDeliveries, findDelivery } from '../../src/storage/deliveries.js';
import { deleteEndpoint } from '../../src/storage/endpoints.js';
import {
  createTestDatabase,
  describePostgres,
  sqliteTestUrl,
  type TestDatabase,
} from '../support/databases.js';
import {
  seedAccount,
  seedDeliveries,
  seedEndpoint,
  testSecretBox,
} from '../support/delivery-fixtures.js';
import { startReceiver, waitUntil, type Receiver } from '../support/receiver.js';

const logger = createLogger('silent');

function dispatcherFor(
  database: TestDatabase,
  env: Record<string, string> = {},
  extra: Partial<ConstructorParameters<typeof Dispatcher>[0]> = {},
): Dispatcher {
  const config = loadConfig({
    RETRY_SCHEDULE: '200ms,400ms',
    DELIVERY_TIMEOUT: '1s',
    LOG_LEVEL: 'silent',
    ...env,
  });
  return new Dispatcher({
    config,
    database,
    logger,
    secretBox: testSecretBox,
    pollIntervalMs: 50,
    ...extra,
  });
}

describe('dispatcher', () => {
  let database: TestDatabase;
  let receiver: Receiver | undefined;
  let dispatcher: Dispatcher | undefined;

  beforeEach(async () => {
    database = await createTestDatabase('sqlite');
  });

  afterEach(async () => {
    await dispatcher?.stop();
    await receiver?.close();
    await database.dispose();
    dispatcher = undefined;
    receiver = undefined;
  });

  test('private DNS answer is ssrf_blocked at connect time', async () => {
    const accountId = await seedAccount(database);
    await seedEndpoint(database, accountId, 'https://hooks.example.test/webhooks');
    const [deliveryId] = await seedDeliveries(database, accountId, 1);
    const lookups: string[] = [];
    const dialled: buildConnector.Options[] = [];
    dispatcher = dispatcherFor(
      database,
      { ALLOW_PRIVATE_URLS: 'false' },
      {
        resolveHost: async (hostname) => {
          lookups.push(hostname);
          return [{ address: '169.254.169.254', family: 4 }];
        },
        // Fails the test if the guard ever lets a connection through.
        connect: (options, callback) => {
          dialled.push(options);
          callback(new Error('the SSRF guard let a connection through'), null);
        },
      },
    );

    dispatcher.start();
    const delivery = await waitUntil('a recorded attempt', async () => {
      const current = await findDelivery(database.db, accountId, deliveryId as string);
      return current && current.attempts.length > 0 ? current : undefined;
    });

    expect(delivery.attempts[0]?.error).toBe('ssrf_blocked');
    expect(delivery.attempts[0]?.status_code).toBeNull();
    expect(lookups).toContain('hooks.example.test');
    expect(dialled).toHaveLength(0);
  });

  test('expired lease of a dead worker is sent again', async () => {
    receiver = await startReceiver();
    const accountId = await seedAccount(database);
    const { secret } = await seedEndpoint(database, accountId, receiver.url);
    const [deliveryId] = await seedDeliveries(database, accountId, 1);
    const claimedAt = Date.now() + 1;
    await claimDueDeliveries(database.db, {
      dialect: database.dialect,
      owner: 'dead-worker',
      now: claimedAt,
      leaseMs: 300,
      limit: 10,
      endpointCap: 8,
      heldByEndpoint: new Map(),
      scanLimit: 100,
    });

    dispatcher = dispatcherFor(database);
    dispatcher.start();
    const [request] = await receiver.waitForRequests(1);
    const delivery = await waitUntil('success', async () => {
      const current = await findDelivery(database.db, accountId, deliveryId as string);
      return current?.status === 'succeeded' ? current : undefined;
    });

    expect(request?.receivedAt).toBeGreaterThanOrEqual(claimedAt + 300);
    expect(verify(request?.body ?? '', request?.headers ?? {}, secret)).toEqual(delivery.payload);
  });

  test('stop waits for in-flight attempts and records them', async () => {
    receiver = await startReceiver(() => ({ status: 200, delayMs: 300, body: 'slow ok' }));
    const accountId = await seedAccount(database);
    await seedEndpoint(database, accountId, receiver.url);
    const ids = await seedDeliveries(database, accountId, 3);
    dispatcher = dispatcherFor(database);

    dispatcher.start();
    await receiver.waitForRequests(3);
    await dispatcher.stop();
    const deliveries = await Promise.all(ids.map((id) => findDelivery(database.db, accountId, id)));

    for (const delivery of deliveries) {
      expect(delivery?.status).toBe('succeeded');
      expect(delivery?.attempts[0]?.response_excerpt).toBe('slow ok');
    }
    dispatcher = undefined;
  });

  test('stop releases deliveries claimed ahead', async () => {
    receiver = await startReceiver(() => ({ status: 200, delayMs: 300 }));
    const accountId = await seedAccount(database);
    await seedEndpoint(database, accountId, receiver.url);
    await seedDeliveries(database, accountId, 3);
    // One slot per endpoint: one delivery runs, one more is claimed ahead and waits.
    dispatcher = dispatcherFor(database, { ENDPOINT_CONCURRENCY: '1' });

    dispatcher.start();
    await receiver.waitForRequests(1);
    await dispatcher.stop();
    const rows = await database.db.selectFrom('deliveries').selectAll().orderBy('id').execute();

    expect(rows.map((row) => row.status).sort()).toEqual(['pending', 'pending', 'succeeded']);
    expect(rows.map((row) => row.lease_owner)).toEqual([null, null, null]);
    expect(receiver.requests).toHaveLength(1);
    dispatcher = undefined;
  });

  test('410 drops the deliveries claimed ahead', async () => {
    receiver = await startReceiver(() => ({ status: 410, delayMs: 200 }));
    const accountId = await seedAccount(database);
    const { endpoint } = await seedEndpoint(database, accountId, receiver.url);
    await seedDeliveries(database, accountId, 3);
    // One slot: one delivery runs and the other two wait behind it.
    dispatcher = dispatcherFor(database, { ENDPOINT_CONCURRENCY: '1' });

    dispatcher.start();
    await receiver.waitForRequests(1);
    const rows = await waitUntil('waiting deliveries released', async () => {
      const current = await database.db.selectFrom('deliveries').selectAll().execute();
      return current.every((row) => row.lease_owner === null) ? current : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stored = await database.db
      .selectFrom('endpoints')
      .selectAll()
      .where('id', '=', endpoint.id)
      .executeTakeFirst();

    expect(receiver.requests).toHaveLength(1);
    expect(rows.map((row) => row.status).sort()).toEqual(['failed', 'pending', 'pending']);
    expect(stored?.disabled_reason).toBe('gone');
  });

  test('deleted endpoint loses its waiting deliveries', async () => {
    receiver = await startReceiver(() => ({ status: 200, delayMs: 300 }));
    const accountId = await seedAccount(database);
    const { endpoint } = await seedEndpoint(database, accountId, receiver.url);
    await seedDeliveries(database, accountId, 3);
    dispatcher = dispatcherFor(database, { ENDPOINT_CONCURRENCY: '1' });

    dispatcher.start();
    await receiver.waitForRequests(1);
    await deleteEndpoint(database.db, { accountId, endpointId: endpoint.id });
    dispatcher.endpointChanged(endpoint.id);
    const rows = await waitUntil('attempt recorded and leases released', async () => {
      const current = await database.db.selectFrom('deliveries').selectAll().execute();
      const settled = current.every((row) => row.lease_owner === null && row.status !== 'pending');
      return settled ? current : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(receiver.requests).toHaveLength(1);
    expect(rows.map((row) => row.status).sort()).toEqual(['failed', 'failed', 'succeeded']);
  });

  test('claim failures are logged once per interval', async () => {
    const target = sqliteTestUrl();
    // Not migrated: every claim fails because the tables do not exist.
    const broken = openDatabase(target.url);
    const lines: string[] = [];
    const capture = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          lines.push(chunk.toString('utf8'));
          callback();
        },
      }),
    );
    const failing = new Dispatcher({
      config: loadConfig({ LOG_LEVEL: 'silent' }),
      database: broken,
      logger: capture,
      secretBox: testSecretBox,
      pollIntervalMs: 20,
    });

    failing.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await failing.stop();
    await broken.close();
    target.cleanup();

    expect(lines.filter((line) => line.includes('claiming due deliveries failed'))).toHaveLength(1);
  });

  test('stopped dispatcher claims nothing', async () => {
    receiver = await startReceiver();
    const accountId = await seedAccount(database);
    await seedEndpoint(database, accountId, receiver.url);
    dispatcher = dispatcherFor(database);
    dispatcher.start();
    await dispatcher.stop();

    await seedDeliveries(database, accountId, 2);
    dispatcher.wake();
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(receiver.requests).toHaveLength(0);
    dispatcher = undefined;
  });
});

describePostgres('dispatchers sharing a database', () => {
  let database: TestDatabase;
  let receiver: Receiver;

  beforeEach(async () => {
    database = await createTestDatabase('postgres');
  });

  afterEach(async () => {
    await receiver.close();
    await database.dispose();
  });

  test('two dispatchers send each delivery once', async () => {
    receiver = await startReceiver(() => ({ status: 200, delayMs: 5 }));
    const accountId = await seedAccount(database);
    await seedEndpoint(database, accountId, receiver.url);
    const ids = await seedDeliveries(database, accountId, 120);
    const otherHandle = openDatabase(database.url);
    // Long leases: within one lease period a delivery must never be sent twice.
    const first = dispatcherFor(database, {}, { leaseMs: 60_000 });
    const second = dispatcherFor(database, {}, { leaseMs: 60_000, database: otherHandle });

    first.start();
    second.start();
    await receiver.waitForRequests(ids.length, 30_000);
    await waitUntil('all deliveries recorded', async () => {
      const left = await database.db
        .selectFrom('deliveries')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('status', '!=', 'succeeded')
        .executeTakeFirstOrThrow();
      return Number(left.count) === 0 ? true : undefined;
    });
    await first.stop();
    await second.stop();
    await otherHandle.close();

    const webhookIds = receiver.requests.map((request) => String(request.headers['webhook-id']));
    expect(webhookIds).toHaveLength(ids.length);
    expect(new Set(webhookIds).size).toBe(ids.length);
    const owners = await database.db.selectFrom('attempts').select('delivery_id').execute();
    expect(owners).toHaveLength(ids.length);
  });
});
