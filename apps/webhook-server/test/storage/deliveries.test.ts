import { sql } from 'kysely';

import { openDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import {
  claimDueDeliveries,
  findDelivery,
  recordAttempts,
  requestRedelivery,
  type AttemptRecord,
  type ClaimOptions,
} from '../../src/storage/deliveries.js';
import { deleteEndpoint, findEndpoint, updateEndpoint } from '../../src/storage/endpoints.js';
import {
  createTestDatabase,
  describeEachDialect,
  describePostgres,
  type TestDatabase,
} from '../support/databases.js';
import { seedAccount, seedDeliveries, seedEndpoint } from '../support/delivery-fixtures.js';

function claimOptions(
  database: DatabaseHandle,
  overrides: Partial<ClaimOptions> = {},
): ClaimOptions {
  return {
    dialect: database.dialect,
    owner: 'worker-a',
    now: Date.now() + 1,
    leaseMs: 10_000,
    limit: 100,
    endpointCap: 8,
    heldByEndpoint: new Map(),
    scanLimit: 400,
    ...overrides,
  };
}

function successRecord(deliveryId: string, endpointId: string): AttemptRecord {
  return {
    deliveryId,
    endpointId,
    attemptNumber: 1,
    trigger: 'scheduled',
    startedAt: Date.now(),
    durationMs: 5,
    statusCode: 200,
    responseExcerpt: 'ok',
    error: null,
    succeeded: true,
    transition: { status: 'succeeded' },
  };
}

describeEachDialect('delivery claims', (dialect) => {
  let database: TestDatabase;
  let accountId: string;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    accountId = await seedAccount(database);
  });

  afterEach(async () => {
    await database.dispose();
  });

  test('claim leases due deliveries with their payload', async () => {
    const { endpoint } = await seedEndpoint(database, accountId, 'http://127.0.0.1:9/hook');
    const ids = await seedDeliveries(database, accountId, 3);

    const claimed = await claimDueDeliveries(database.db, claimOptions(database));
    const row = await database.db
      .selectFrom('deliveries')
      .selectAll()
      .where('id', '=', ids[0] as string)
      .executeTakeFirst();

    expect(claimed.map((delivery) => delivery.id).sort()).toEqual([...ids].sort());
    expect(claimed[0]?.url).toBe(endpoint.url);
    expect(JSON.parse(claimed[0]?.payload ?? '{}')).toMatchObject({
      event_type: 'contact.created',
    });
    expect(claimed[0]?.manual).toBe(false);
    expect(row?.lease_owner).toBe('worker-a');
  });

  test('live lease blocks a second claim', async () => {
    await seedEndpoint(database, accountId, 'http://127.0.0.1:9/hook');
    await seedDeliveries(database, accountId, 3);

    await claimDueDeliveries(database.db, claimOptions(database));
    const second = await claimDueDeliveries(
      database.db,
      claimOptions(database, { owner: 'worker-b' }),
    );

    expect(second).toHaveLength(0);
  });

  test('expired lease is claimed again', async () => {
    await seedEndpoint(database, accountId, 'http://127.0.0.1:9/hook');
    await seedDeliveries(database, accountId, 3);
    const now = Date.now() + 1;

    await claimDueDeliveries(database.db, claimOptions(database, { now, leaseMs: 1000 }));
    const second = await claimDueDeliveries(
      database.db,
      claimOptions(database, { owner: 'worker-b', now: now + 1000 }),
    );

    expect(second).toHaveLength(3);
  });

  test('future delivery is not claimed', async () => {
    await seedEndpoint(database, accountId, 'http://127.0.0.1:9/hook');
    const [id] = await seedDeliveries(database, accountId, 1);
    await database.db
      .updateTable('deliveries')
      .set({ next_attempt_at: Date.now() + 60_000 })
      .where('id', '=', id as string)
      .execute();

    const claimed = await claimDueDeliveries(database.db, claimOptions(database));

    expect(claimed).toHaveLength(0);
  });

  test('limit caps the batch', async () => {
    await seedEndpoint(database, accountId, 'http://127.0.0.1:9/hook');
    await seedDeliveries(database, accountId, 5);

    const claimed = await claimDueDeliveries(database.db, claimOptions(database, { limit: 2 }));

    expect(claimed).toHaveLength(2);
  });

  test('claim respects per-endpoint room', async () => {
    const slow = await seedEndpoint(database, accountId, 'http://127.0.0.1:9/slow');
    const fast = await seedEndpoint(database, accountId, 'http://127.0.0.1:9/fast');
    await seedDeliveries(database, accountId, 5);

    const partial = await claimDueDeliveries(
      database.db,
      claimOptions(database, { endpointCap: 2, heldByEndpoint: new Map([[slow.endpoint.id, 1]]) }),
    );
    const saturated = await claimDueDeliveries(
      database.db,
      claimOptions(database, {
        owner: 'worker-b',
        endpointCap: 2,
        heldByEndpoint: new Map([[slow.endpoint.id, 2]]),
      }),
    );

    const count = (list: { endpointId: string }[], endpointId: string) =>
      list.filter((delivery) => delivery.endpointId === endpointId).length;
    expect(count(partial, slow.endpoint.id)).toBe(1);
    expect(count(partial, fast.endpoint.id)).toBe(2);
    expect(count(saturated, slow.endpoint.id)).toBe(0);
    expect(count(saturated, fast.endpoint.id)).toBe(2);
  });

  test('disabled and deleted endpoints are skipped', async () => {
    const disabled = await seedEndpoint(database, accountId, 'http://127.0.0.1:9/disabled');
    const deleted = await seedEndpoint(database, accountId, 'http://127.0.0.1:9/deleted');
    const active = await seedEndpoint(database, accountId, 'http://127.0.0.1:9/active');
    await seedDeliveries(database, accountId, 2);
    await updateEndpoint(database.db, {
      accountId,
      endpointId: disabled.endpoint.id,
      changes: { enabled: false },
    });
    await deleteEndpoint(database.db, { accountId, endpointId: deleted.endpoint.id });

    const claimed = await claimDueDeliveries(database.db, claimOptions(database));
    const deletedRows = await database.db
      .selectFrom('deliveries')
      .select('status')
      .where('endpoint_id', '=', deleted.endpoint.id)
      .execute();

    expect(new Set(claimed.map((delivery) => delivery.endpointId))).toEqual(
      new Set([active.endpoint.id]),
    );
    expect(deletedRows.map((row) => row.status)).toEqual(['failed', 'failed']);
  });

  test('record releases the lease and stores the attempt', async () => {
    const { endpoint } = await seedEndpoint(database, accountId, 'http://127.0.0.1:9/hook');
    const [id] = await seedDeliveries(database, accountId, 1);
    await claimDueDeliveries(database.db, claimOptions(database));

    const updated = await database.db.transaction().execute((trx) =>
      recordAttempts(trx, {
        owner: 'worker-a',
        records: [successRecord(id as string, endpoint.id)],
      }),
    );
    const delivery = await findDelivery(database.db, accountId, id as string);
    const row = await database.db
      .selectFrom('deliveries')
      .selectAll()
      .where('id', '=', id as string)
      .executeTakeFirst();

    expect(updated.has(id as string)).toBe(true);
    expect(delivery?.status).toBe('succeeded');
    expect(delivery?.attempt_count).toBe(1);
    expect(delivery?.attempts).toHaveLength(1);
    expect(row?.lease_owner).toBeNull();
    expect(row?.scheduled_attempts).toBe(1);
  });

  test('record by a lost lease keeps the state', async () => {
    const { endpoint } = await seedEndpoint(database, accountId, 'http://127.0.0.1:9/hook');
    const [id] = await seedDeliveries(database, accountId, 1);
    const now = Date.now() + 1;
    await claimDueDeliveries(database.db, claimOptions(database, { now, leaseMs: 10 }));
    await claimDueDeliveries(
      database.db,
      claimOptions(database, { owner: 'worker-b', now: now + 10 }),
    );

    const updated = await recordAttempts(database.db, {
      owner: 'worker-a',
      records: [successRecord(id as string, endpoint.id)],
    });
    const delivery = await findDelivery(database.db, accountId, id as string);

    expect(updated.size).toBe(0);
    expect(delivery?.status).toBe('pending');
    expect(delivery?.attempts).toHaveLength(1);
  });

  test('record of 410 disables the endpoint', async () => {
    const { endpoint } = await seedEndpoint(database, accountId, 'http://127.0.0.1:9/hook');
    const [id] = await seedDeliveries(database, accountId, 1);
    await claimDueDeliveries(database.db, claimOptions(database));

    await recordAttempts(database.db, {
      owner: 'worker-a',
      records: [
        {
          ...successRecord(id as string, endpoint.id),
          statusCode: 410,
          succeeded: false,
          transition: { status: 'failed' },
          disableEndpoint: 'gone',
        },
      ],
    });
    const after = await findEndpoint(database.db, accountId, endpoint.id);

    expect(after?.enabled).toBe(0);
    expect(after?.disabled_reason).toBe('gone');
  });

  test('redelivery is refused during a live lease', async () => {
    await seedEndpoint(database, accountId, 'http://127.0.0.1:9/hook');
    const [id] = await seedDeliveries(database, accountId, 1);
    await claimDueDeliveries(database.db, claimOptions(database));

    const result = await requestRedelivery(database.db, { accountId, deliveryId: id as string });

    expect(result).toEqual({ ok: false, reason: 'in_flight' });
  });
});

describePostgres('concurrent claims', () => {
  let database: TestDatabase;
  let second: DatabaseHandle;

  beforeEach(async () => {
    database = await createTestDatabase('postgres');
    second = openDatabase(database.url);
  });

  afterEach(async () => {
    await second.close();
    await database.dispose();
  });

  test('two claimers never take the same delivery', async () => {
    const accountId = await seedAccount(database);
    await seedEndpoint(database, accountId, 'http://127.0.0.1:9/a');
    await seedEndpoint(database, accountId, 'http://127.0.0.1:9/b');
    const ids = await seedDeliveries(database, accountId, 150);

    const unclaimed = async () => {
      const row = await database.db
        .selectFrom('deliveries')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('lease_owner', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    };
    const drain = async (handle: DatabaseHandle, owner: string) => {
      const taken: string[] = [];
      for (let round = 0; round < 1000; round += 1) {
        const claimed = await claimDueDeliveries(handle.db, {
          ...claimOptions(handle, { owner, limit: 7, endpointCap: 1000 }),
        });
        taken.push(...claimed.map((delivery) => delivery.id));
        // An empty claim can mean the other claimer holds the rows for the moment; stop only when none is left.
        if (claimed.length === 0 && (await unclaimed()) === 0) {
          break;
        }
        // Stands in for the time attempts take, so the two claimers interleave.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return taken;
    };
    // Open a connection in both pools first, so neither claimer starts late.
    await sql`select 1`.execute(database.db);
    await sql`select 1`.execute(second.db);
    const [first, other] = await Promise.all([
      drain(database, 'worker-a'),
      drain(second, 'worker-b'),
    ]);

    const overlap = first.filter((id) => other.includes(id));
    expect(first.length).toBeGreaterThan(0);
    expect(other.length).toBeGreaterThan(0);
    expect(overlap).toEqual([]);
    expect(new Set([...first, ...other]).size).toBe(ids.length);
    expect(first.length + other.length).toBe(ids.length);
  });
});
