import { resendFailedDeliveries } from '../../src/storage/deliveries.js';
import {
  deleteEndpoint,
  findEndpoint,
  findEndpointIncludingDeleted,
  listEndpoints,
  rotateEndpointSecret,
  SECRET_ROTATION_OVERLAP_MS,
  updateEndpoint,
} from '../../src/storage/endpoints.js';
import {
  createTestDatabase,
  describeEachDialect,
  type TestDatabase,
} from '../support/databases.js';
import {
  seedAccount,
  seedDeliveries,
  seedEndpoint,
  testSecretBox,
} from '../support/delivery-fixtures.js';

describeEachDialect('endpoint storage', (dialect) => {
  let database: TestDatabase;
  let accountId: string;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    accountId = await seedAccount(database);
  });

  afterEach(async () => {
    await database.dispose();
  });

  test('list pages newest first and skips deleted', async () => {
    const ids: string[] = [];
    // Ids sort by their millisecond, so each endpoint gets its own.
    for (const [index, path] of ['a', 'b', 'c', 'd'].entries()) {
      const url = `https://hooks.example.com/${path}`;
      const { endpoint } = await seedEndpoint(database, accountId, url, 1_000 + index);
      ids.push(endpoint.id);
    }
    await deleteEndpoint(database.db, { accountId, endpointId: ids[3] as string });

    const first = await listEndpoints(database.db, { accountId, limit: 2 });
    const cursor = Buffer.from(first.next_cursor ?? '', 'base64url').toString('utf8');
    const second = await listEndpoints(database.db, { accountId, limit: 2, cursor });

    expect(first.data.map((endpoint) => endpoint.id)).toEqual([ids[2], ids[1]]);
    expect(second.data.map((endpoint) => endpoint.id)).toEqual([ids[0]]);
    expect(second.next_cursor).toBeNull();
  });

  test('delete keeps the row for the log', async () => {
    const { endpoint } = await seedEndpoint(database, accountId, 'https://hooks.example.com/in');

    const first = await deleteEndpoint(database.db, { accountId, endpointId: endpoint.id });
    const second = await deleteEndpoint(database.db, { accountId, endpointId: endpoint.id });

    expect(first).toBe(true);
    expect(second).toBe(false);
    expect(await findEndpoint(database.db, accountId, endpoint.id)).toBeUndefined();
    expect(
      (await findEndpointIncludingDeleted(database.db, accountId, endpoint.id))?.deleted_at,
    ).not.toBeNull();
  });

  test('rotation keeps the old secret for the overlap', async () => {
    const { endpoint, secret } = await seedEndpoint(
      database,
      accountId,
      'https://hooks.example.com/in',
    );
    const now = Date.now();

    const rotated = await rotateEndpointSecret(database.db, {
      accountId,
      endpointId: endpoint.id,
      sealSecret: (id) => testSecretBox.encrypt('whsec_bmV3LXNlY3JldC1ieXRlcy0wMTIzNDU2Nzg5', id),
      now,
    });
    const stored = await findEndpoint(database.db, accountId, endpoint.id);

    expect(rotated?.previous_secret_expires_at).toBe(now + SECRET_ROTATION_OVERLAP_MS);
    expect(stored?.previous_secret_expires_at).toBe(now + SECRET_ROTATION_OVERLAP_MS);
    expect(testSecretBox.decrypt(stored?.previous_secret_encrypted ?? '', endpoint.id)).toBe(
      secret,
    );
    expect(testSecretBox.decrypt(stored?.secret_encrypted ?? '', endpoint.id)).toMatch(
      /^whsec_bmV3/,
    );
  });

  test('other account cannot change the endpoint', async () => {
    const { endpoint } = await seedEndpoint(database, accountId, 'https://hooks.example.com/in');
    const otherAccount = await seedAccount(database);

    const updated = await updateEndpoint(database.db, {
      accountId: otherAccount,
      endpointId: endpoint.id,
      changes: { enabled: false },
    });
    const deleted = await deleteEndpoint(database.db, {
      accountId: otherAccount,
      endpointId: endpoint.id,
    });

    expect(updated).toBeUndefined();
    expect(deleted).toBe(false);
    expect((await findEndpoint(database.db, accountId, endpoint.id))?.enabled).toBe(1);
  });

  test('resend-failed takes failed deliveries since a time', async () => {
    const { endpoint } = await seedEndpoint(database, accountId, 'https://hooks.example.com/in');
    const ids = await seedDeliveries(database, accountId, 3, 1_000_000);
    await database.db
      .updateTable('deliveries')
      .set({ status: 'failed', next_attempt_at: null })
      .execute();
    await database.db
      .updateTable('deliveries')
      .set({ status: 'succeeded' })
      .where('id', '=', ids[2] as string)
      .execute();

    const resent = await resendFailedDeliveries(database.db, {
      accountId,
      endpointId: endpoint.id,
      since: 1_000_001,
      now: 5_000_000,
    });
    const rows = await database.db
      .selectFrom('deliveries')
      .selectAll()
      .orderBy('created_at')
      .execute();

    expect(resent).toBe(1);
    expect(rows.map((row) => row.status)).toEqual(['failed', 'pending', 'succeeded']);
    expect(rows[1]?.manual).toBe(1);
    expect(rows[1]?.next_attempt_at).toBe(5_000_000);
  });
});
