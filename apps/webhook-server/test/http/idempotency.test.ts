import { problemSchema } from '@app/api-client';

import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import { fingerprintRequest, IDEMPOTENCY_KEY_TTL_MS } from '../../src/http/idempotency.js';
import { createLogger } from '../../src/logger.js';
import { SecretBox } from '../../src/security/secret-box.js';
import { createAccount } from '../../src/storage/accounts.js';
import { claimIdempotencyKey } from '../../src/storage/idempotency.js';
import { countRows, createApiHarness, type ApiHarness } from '../support/api-harness.js';
import { createTestDatabase } from '../support/databases.js';
import { failInsertsInto } from '../support/forced-failure.js';

const REQUEST_TIMEOUT_MS = 5_000;

describe('Idempotency-Key on POST', () => {
  let harness: ApiHarness;

  beforeEach(async () => {
    harness = await createApiHarness('sqlite', { REQUEST_TIMEOUT: `${REQUEST_TIMEOUT_MS}ms` });
  });

  afterEach(async () => {
    await harness.close();
  });

  function postContact(key: string | undefined, body: unknown, tenant = harness.tenantA) {
    return tenant.request({
      method: 'POST',
      url: '/v1/contacts',
      payload: typeof body === 'string' ? body : JSON.stringify(body),
      headers: {
        'content-type': 'application/json',
        ...(key === undefined ? {} : { 'idempotency-key': key }),
      },
    });
  }

  test('same key and request replays response', async () => {
    const first = await postContact('key-replay', { email: 'ada@example.com' });
    const second = await postContact('key-replay', { email: 'ada@example.com' });

    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
    expect(second.body).toBe(first.body);
    expect(await countRows(harness.database, harness.tenantA.accountId)).toEqual({
      contacts: 1,
      events: 1,
      deliveries: 0,
    });
    expect(harness.wakes()).toBe(0);
  });

  test('key order and whitespace do not change the request', async () => {
    const first = await postContact('key-order', '{"email":"ada@example.com","first_name":"Ada"}');
    const second = await postContact(
      'key-order',
      '{ "first_name": "Ada",\n  "email": "ada@example.com" }',
    );

    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
  });

  test('same key with another body is 422', async () => {
    await postContact('key-reused', { email: 'ada@example.com' });

    const response = await postContact('key-reused', { email: 'grace@example.com' });

    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(problemSchema.parse(response.json()).code).toBe('idempotency_key_reused');
    expect((await countRows(harness.database, harness.tenantA.accountId)).contacts).toBe(1);
  });

  test('same key on another route is 422', async () => {
    await postContact('key-route', { email: 'ada@example.com' });

    const response = await harness.tenantA.request({
      method: 'POST',
      url: '/v1/events',
      payload: {
        event_type: 'contact.deleted',
        data: { id: 'con_1', email: 'ada@example.com', deleted_at: '2026-01-01T00:00:00.000Z' },
      },
      headers: { 'idempotency-key': 'key-route' },
    });

    expect(response.statusCode).toBe(422);
    expect(problemSchema.parse(response.json()).code).toBe('idempotency_key_reused');
  });

  test('retry while first is in flight is 409', async () => {
    const body = { email: 'ada@example.com' };
    await claimIdempotencyKey(harness.database.db, {
      accountId: harness.tenantA.accountId,
      key: 'key-in-flight',
      fingerprint: fingerprintRequest({ method: 'POST', url: '/v1/contacts', body }),
      ttlMs: IDEMPOTENCY_KEY_TTL_MS,
      abandonAfterMs: REQUEST_TIMEOUT_MS,
    });

    const response = await postContact('key-in-flight', body);

    expect(response.statusCode).toBe(409);
    expect(response.headers['retry-after']).toBe('1');
    expect(problemSchema.parse(response.json()).code).toBe('idempotency_request_in_flight');
    expect((await countRows(harness.database, harness.tenantA.accountId)).contacts).toBe(0);
  });

  test('claim older than REQUEST_TIMEOUT is abandoned', async () => {
    const body = { email: 'ada@example.com' };
    await claimIdempotencyKey(harness.database.db, {
      accountId: harness.tenantA.accountId,
      key: 'key-abandoned',
      fingerprint: fingerprintRequest({ method: 'POST', url: '/v1/contacts', body }),
      ttlMs: IDEMPOTENCY_KEY_TTL_MS,
      abandonAfterMs: REQUEST_TIMEOUT_MS,
      now: Date.now() - REQUEST_TIMEOUT_MS - 1_000,
    });

    const response = await postContact('key-abandoned', body);
    const replayed = await postContact('key-abandoned', body);

    expect(response.statusCode).toBe(201);
    expect(response.headers['idempotent-replayed']).toBeUndefined();
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect((await countRows(harness.database, harness.tenantA.accountId)).contacts).toBe(1);
  });

  test.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['a control character', 'key\u0001one'],
    ['a tab', 'key\tone'],
    ['a non-ASCII character', 'clé'],
  ])('key with %s is 400', async (_case, key) => {
    const response = await postContact(key, { email: 'ada@example.com' });

    expect(response.statusCode).toBe(400);
    const problem = problemSchema.parse(response.json());
    expect(problem.code).toBe('idempotency_key_invalid');
    expect(problem.field).toBe('header.idempotency-key');
    expect((await countRows(harness.database, harness.tenantA.accountId)).contacts).toBe(0);
  });

  test('key of 255 printable characters is accepted', async () => {
    const key = `${'k'.repeat(250)} ~!@#`;

    const first = await postContact(key, { email: 'ada@example.com' });
    const second = await postContact(key, { email: 'ada@example.com' });

    expect(key).toHaveLength(255);
    expect(first.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
  });

  test('5xx is not stored and the key is released', async () => {
    const restore = await failInsertsInto(harness.database, 'contacts');
    const failed = await postContact('key-5xx', { email: 'ada@example.com' });
    await restore();

    const retried = await postContact('key-5xx', { email: 'ada@example.com' });

    expect(failed.statusCode).toBe(500);
    expect(retried.statusCode).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect((await countRows(harness.database, harness.tenantA.accountId)).contacts).toBe(1);
  });

  test('4xx is stored and replayed as problem+json', async () => {
    const first = await postContact('key-422', { email: 'not-an-email' });
    const second = await postContact('key-422', { email: 'not-an-email' });

    expect(first.statusCode).toBe(422);
    expect(second.statusCode).toBe(422);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(second.json()).toEqual(first.json());
  });

  test('stored conflict replays after the conflict is gone', async () => {
    const existing = await postContact(undefined, { email: 'ada@example.com' });
    const conflict = await postContact('key-409', { email: 'ada@example.com' });
    await harness.tenantA.request({
      method: 'DELETE',
      url: `/v1/contacts/${(existing.json() as { id: string }).id}`,
    });

    const replayed = await postContact('key-409', { email: 'ada@example.com' });

    expect(conflict.statusCode).toBe(409);
    expect(replayed.statusCode).toBe(409);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect((await countRows(harness.database, harness.tenantA.accountId)).contacts).toBe(0);
  });

  test('two accounts use the same key independently', async () => {
    const forA = await postContact('shared-key', { email: 'ada@example.com' }, harness.tenantA);
    const forB = await postContact('shared-key', { email: 'grace@example.com' }, harness.tenantB);
    const againB = await postContact('shared-key', { email: 'grace@example.com' }, harness.tenantB);

    expect(forA.statusCode).toBe(201);
    expect(forB.statusCode).toBe(201);
    expect(forB.headers['idempotent-replayed']).toBeUndefined();
    expect(againB.headers['idempotent-replayed']).toBe('true');
    expect(forB.json()).not.toEqual(forA.json());
    expect((await countRows(harness.database, harness.tenantA.accountId)).contacts).toBe(1);
    expect((await countRows(harness.database, harness.tenantB.accountId)).contacts).toBe(1);
  });

  test('expired key runs the request again', async () => {
    await postContact('key-expired', { email: 'ada@example.com' });
    await harness.database.db
      .updateTable('idempotency_keys')
      .set({ expires_at: Date.now() - 1 })
      .where('key', '=', 'key-expired')
      .execute();

    const response = await postContact('key-expired', { email: 'grace@example.com' });

    expect(response.statusCode).toBe(201);
    expect(response.headers['idempotent-replayed']).toBeUndefined();
    expect((await countRows(harness.database, harness.tenantA.accountId)).contacts).toBe(2);
  });

  test('without a key each POST runs', async () => {
    const body = {
      event_type: 'contact.deleted',
      data: { id: 'con_1', email: 'ada@example.com', deleted_at: '2026-01-01T00:00:00.000Z' },
    };

    await harness.tenantA.request({ method: 'POST', url: '/v1/events', payload: body });
    await harness.tenantA.request({ method: 'POST', url: '/v1/events', payload: body });

    expect((await countRows(harness.database, harness.tenantA.accountId)).events).toBe(2);
  });

  test('other methods ignore the header', async () => {
    const created = await postContact(undefined, { email: 'ada@example.com' });
    const id = (created.json() as { id: string }).id;

    const got = await harness.tenantA.request({
      method: 'GET',
      url: `/v1/contacts/${id}`,
      headers: { 'idempotency-key': '' },
    });
    const patched = await harness.tenantA.request({
      method: 'PATCH',
      url: `/v1/contacts/${id}`,
      payload: { company: 'X' },
      headers: { 'idempotency-key': 'patch-key' },
    });

    expect(got.statusCode).toBe(200);
    expect(patched.statusCode).toBe(200);
    expect(await harness.database.db.selectFrom('idempotency_keys').selectAll().execute()).toEqual(
      [],
    );
  });

  test('stored response with a secret is encrypted at rest', async () => {
    const response = await harness.tenantA.request({
      method: 'POST',
      url: '/v1/endpoints',
      payload: { url: 'https://receiver.example/hook' },
      headers: { 'idempotency-key': 'key-endpoint' },
    });
    const replayed = await harness.tenantA.request({
      method: 'POST',
      url: '/v1/endpoints',
      payload: { url: 'https://receiver.example/hook' },
      headers: { 'idempotency-key': 'key-endpoint' },
    });

    const secret = (response.json() as { secret: string }).secret;
    const rows = await harness.database.db.selectFrom('idempotency_keys').selectAll().execute();
    expect(response.statusCode).toBe(201);
    expect(secret).toMatch(/^whsec_/);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.response_body).not.toContain(secret);
    expect(rows[0]?.response_body).not.toContain('receiver.example');
    expect(replayed.json()).toEqual(response.json());
  });
});

describe('idempotency key purge', () => {
  test('expired keys are purged when the app starts', async () => {
    const database = await createTestDatabase('sqlite');
    try {
      const account = await createAccount(database.db, 'Tenant');
      const now = Date.now();
      for (const [key, expiresAt] of [
        ['expired', now - 1],
        ['live', now + 60_000],
      ] as const) {
        await database.db
          .insertInto('idempotency_keys')
          .values({
            account_id: account.id,
            key,
            fingerprint: 'f',
            state: 'completed',
            response_status: 201,
            response_content_type: null,
            response_body: null,
            created_at: now - 1000,
            expires_at: expiresAt,
          })
          .execute();
      }
      const config = loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
      const app = await buildApp({
        config,
        database,
        logger: createLogger('silent'),
        secretBox: new SecretBox(undefined),
        dispatcher: { wake: () => undefined },
      });

      await app.ready();
      await app.close();

      const keys = await database.db.selectFrom('idempotency_keys').select('key').execute();
      expect(keys.map((row) => row.key)).toEqual(['live']);
    } finally {
      await database.dispose();
    }
  });
});
