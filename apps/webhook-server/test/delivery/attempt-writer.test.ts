import { Writable } from 'node:stream';

import pino from 'pino';

import { AttemptWriter } from '../../src/delivery/attempt-writer.js';
import { openDatabase } from '../../src/db/connect.js';
import {
  claimDueDeliveries,
  findDelivery,
  type AttemptRecord,
} from '../../src/storage/deliveries.js';
import {
  createTestDatabase,
  describeEachDialect,
  sqliteTestUrl,
  type TestDatabase,
} from '../support/databases.js';
import { seedAccount, seedDeliveries, seedEndpoint } from '../support/delivery-fixtures.js';

function capturingLogger() {
  const lines: string[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString('utf8'));
        callback();
      },
    }),
  );
  return { logger, lines };
}

function record(deliveryId: string, endpointId: string, excerpt = 'ok'): AttemptRecord {
  return {
    deliveryId,
    endpointId,
    attemptNumber: 1,
    trigger: 'scheduled',
    startedAt: Date.now(),
    durationMs: 4,
    statusCode: 200,
    responseExcerpt: excerpt,
    error: null,
    succeeded: true,
    transition: { status: 'succeeded' },
  };
}

describeEachDialect('attempt writer', (dialect) => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
  });

  afterEach(async () => {
    await database.dispose();
  });

  async function claimedDeliveries(count: number) {
    const accountId = await seedAccount(database);
    const { endpoint } = await seedEndpoint(database, accountId, 'http://127.0.0.1:9/hook');
    const ids = await seedDeliveries(database, accountId, count);
    await claimDueDeliveries(database.db, {
      dialect,
      owner: 'writer-test',
      now: Date.now() + 1,
      leaseMs: 60_000,
      limit: 100,
      endpointCap: 100,
      heldByEndpoint: new Map(),
      scanLimit: 100,
    });
    return { accountId, endpointId: endpoint.id, ids };
  }

  test('queued records are all written', async () => {
    const { accountId, endpointId, ids } = await claimedDeliveries(3);
    const { logger } = capturingLogger();
    const writer = new AttemptWriter({ database, owner: 'writer-test', logger });

    for (const id of ids) {
      writer.add(record(id, endpointId));
    }
    await writer.idle();
    const deliveries = await Promise.all(ids.map((id) => findDelivery(database.db, accountId, id)));

    expect(deliveries.map((delivery) => delivery?.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
  });

  test('NUL in a response excerpt is stored', async () => {
    const { accountId, endpointId, ids } = await claimedDeliveries(1);
    const { logger } = capturingLogger();
    const writer = new AttemptWriter({ database, owner: 'writer-test', logger });

    writer.add(record(ids[0] as string, endpointId, 'bin\u0000ary'));
    await writer.idle();
    const delivery = await findDelivery(database.db, accountId, ids[0] as string);

    expect(delivery?.attempts[0]?.response_excerpt).toBe('bin\uFFFDary');
  });

  test('rejected record is dropped, the rest kept', async () => {
    const { accountId, endpointId, ids } = await claimedDeliveries(2);
    const { logger, lines } = capturingLogger();
    const writer = new AttemptWriter({ database, owner: 'writer-test', logger });

    // An attempt of a delivery that does not exist breaks the attempts foreign key.
    writer.add(record('dlv_01JD3Q8Z5V6Y7K2M4N8P0R1S3T', endpointId));
    for (const id of ids) {
      writer.add(record(id, endpointId));
    }
    await writer.idle();
    const deliveries = await Promise.all(ids.map((id) => findDelivery(database.db, accountId, id)));

    expect(deliveries.map((delivery) => delivery?.status)).toEqual(['succeeded', 'succeeded']);
    expect(lines.join('')).toContain('records dropped');
  });
});

describe('attempt writer outage', () => {
  test('failed writes are retried until close', async () => {
    const target = sqliteTestUrl();
    const database = openDatabase(target.url);
    // No migration: every write fails because the tables do not exist.
    const { logger, lines } = capturingLogger();
    const writer = new AttemptWriter({ database, owner: 'writer-test', logger, retryDelayMs: 20 });

    writer.add(record('dlv_1', 'ep_1'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    const retries = lines.filter((line) => line.includes('failed; retrying')).length;
    await writer.close();
    await database.close();
    target.cleanup();

    expect(retries).toBeGreaterThanOrEqual(2);
    expect(lines.join('')).toContain('records dropped');
  });
});
