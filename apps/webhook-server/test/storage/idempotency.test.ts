import { createAccount } from '../../src/storage/accounts.js';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  purgeExpiredIdempotencyKeys,
  releaseIdempotencyKey,
  renewIdempotencyClaim,
  type ClaimOptions,
} from '../../src/storage/idempotency.js';
import {
  createTestDatabase,
  describeEachDialect,
  type TestDatabase,
} from '../support/databases.js';

const HOUR = 60 * 60 * 1000;
const T0 = Date.parse('2026-06-01T12:00:00.000Z');

describeEachDialect('idempotency key storage', (dialect) => {
  let database: TestDatabase;
  let accountId: string;
  let otherAccountId: string;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    accountId = (await createAccount(database.db, 'Tenant A')).id;
    otherAccountId = (await createAccount(database.db, 'Tenant B')).id;
  });

  afterEach(async () => {
    await database.dispose();
  });

  function claim(overrides: Partial<ClaimOptions> = {}) {
    return claimIdempotencyKey(database.db, {
      accountId,
      key: 'key-1',
      fingerprint: 'fingerprint-1',
      ttlMs: 24 * HOUR,
      abandonAfterMs: 30_000,
      now: T0,
      ...overrides,
    });
  }

  test('first claim wins, retry in flight', async () => {
    expect(await claim()).toEqual({ outcome: 'claimed', claimedAt: T0 });

    expect(await claim({ now: T0 + 1000 })).toEqual({ outcome: 'in_flight' });
  });

  test('other fingerprint is a mismatch', async () => {
    await claim();

    expect(await claim({ fingerprint: 'fingerprint-2', now: T0 + 1000 })).toEqual({
      outcome: 'mismatch',
    });
  });

  test('completed key replays the response', async () => {
    await claim();
    const stored = await completeIdempotencyKey(database.db, {
      accountId,
      key: 'key-1',
      claimedAt: T0,
      status: 201,
      contentType: 'application/json; charset=utf-8',
      body: '{"id":"con_1"}',
    });

    expect(stored).toBe(true);
    expect(await claim({ now: T0 + HOUR })).toEqual({
      outcome: 'replay',
      status: 201,
      contentType: 'application/json; charset=utf-8',
      body: '{"id":"con_1"}',
    });
    expect(await claim({ fingerprint: 'fingerprint-2', now: T0 + HOUR })).toEqual({
      outcome: 'mismatch',
    });
  });

  test('released key can be claimed again', async () => {
    await claim();

    expect(
      await releaseIdempotencyKey(database.db, { accountId, key: 'key-1', claimedAt: T0 }),
    ).toBe(true);
    expect(await claim({ now: T0 + 1 })).toEqual({ outcome: 'claimed', claimedAt: T0 + 1 });
  });

  test('accounts have independent keys', async () => {
    await claim();

    expect(await claim({ accountId: otherAccountId, fingerprint: 'another request' })).toEqual({
      outcome: 'claimed',
      claimedAt: T0,
    });
  });

  test('expired key is claimed afresh', async () => {
    await claim();
    await completeIdempotencyKey(database.db, {
      accountId,
      key: 'key-1',
      claimedAt: T0,
      status: 201,
      contentType: null,
      body: null,
    });

    const later = T0 + 24 * HOUR;
    expect(await claim({ fingerprint: 'fingerprint-2', now: later })).toEqual({
      outcome: 'claimed',
      claimedAt: later,
    });
  });

  test('abandoned in-flight claim is taken over', async () => {
    await claim();
    const later = T0 + 30_000;

    expect(await claim({ now: later })).toEqual({ outcome: 'claimed', claimedAt: later });
    // The first request finishing late no longer owns the key, so it cannot overwrite or release the new claim.
    expect(
      await completeIdempotencyKey(database.db, {
        accountId,
        key: 'key-1',
        claimedAt: T0,
        status: 201,
        contentType: null,
        body: null,
      }),
    ).toBe(false);
    expect(
      await releaseIdempotencyKey(database.db, { accountId, key: 'key-1', claimedAt: T0 }),
    ).toBe(false);
    expect(await claim({ now: later + 1 })).toEqual({ outcome: 'in_flight' });
  });

  test('renewed claim is not abandoned', async () => {
    await claim();
    const renewedAt = T0 + 20_000;

    const renewed = await renewIdempotencyClaim(database.db, {
      accountId,
      key: 'key-1',
      claimedAt: T0,
      now: renewedAt,
    });

    expect(renewed).toBe(true);
    expect(await claim({ now: T0 + 40_000 })).toEqual({ outcome: 'in_flight' });
    expect(await claim({ now: renewedAt + 30_000 })).toEqual({
      outcome: 'claimed',
      claimedAt: renewedAt + 30_000,
    });
  });

  test('renewal of a lost claim fails', async () => {
    await claim();
    await completeIdempotencyKey(database.db, {
      accountId,
      key: 'key-1',
      claimedAt: T0,
      status: 201,
      contentType: null,
      body: null,
    });

    expect(
      await renewIdempotencyClaim(database.db, {
        accountId,
        key: 'key-1',
        claimedAt: T0,
        now: T0 + 1,
      }),
    ).toBe(false);
  });

  test('abandoned claim with other fingerprint is a mismatch', async () => {
    await claim();

    expect(await claim({ fingerprint: 'fingerprint-2', now: T0 + HOUR })).toEqual({
      outcome: 'mismatch',
    });
  });

  test('concurrent claims grant exactly one', async () => {
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => claim()));

    expect(outcomes.filter((outcome) => outcome.outcome === 'claimed')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.outcome === 'in_flight')).toHaveLength(7);
  });

  test('purge deletes only expired keys', async () => {
    await claim({ key: 'old', ttlMs: HOUR });
    await claim({ key: 'fresh', ttlMs: 3 * HOUR });

    expect(await purgeExpiredIdempotencyKeys(database.db, T0 + 2 * HOUR)).toBe(1);

    const keys = await database.db.selectFrom('idempotency_keys').select('key').execute();
    expect(keys.map((row) => row.key)).toEqual(['fresh']);
  });
});
