import { randomBytes } from 'node:crypto';

import { createLogger } from '../../src/logger.js';
import { SecretBox } from '../../src/security/secret-box.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { sqliteTestUrl } from '../support/databases.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

// Canaries: values that must never reach a log line. Each is distinctive, so a match cannot be a coincidence.
const SEED_API_KEY = 'canary_seed_key_4f1c9a7e2b6d8035';
const WRONG_API_KEY = 'canary_wrong_key_9d2e7b4a1c6f3058';
const IDEMPOTENCY_KEY = 'canary-idempotency-key-5e8a2c7d';
const CANARY_SECRET = `whsec_${Buffer.from('canary endpoint secret 7c3e9a1f5b2d').toString('base64')}`;
const ENCRYPTION_KEY = randomBytes(32);

describe('log output', () => {
  let server: RunningServer;
  let receiver: Receiver;
  let database: { url: string; cleanup(): void };
  const lines: string[] = [];
  const issuedSecrets: string[] = [];

  async function api(
    method: string,
    path: string,
    options: { body?: unknown; key?: string; headers?: Record<string, string> } = {},
  ) {
    const response = await fetch(`${server.url}/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.key ?? SEED_API_KEY}`,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text === '' ? undefined : JSON.parse(text)) as Record<string, unknown>,
    };
  }

  beforeAll(async () => {
    database = sqliteTestUrl();
    receiver = await startReceiver((request) =>
      request.path === '/fail' ? { status: 500, body: 'no' } : { status: 200 },
    );
    server = await startServer({
      env: {
        PORT: '0',
        DATABASE_URL: database.url,
        SEED_API_KEY,
        SECRET_ENCRYPTION_KEY: ENCRYPTION_KEY.toString('base64'),
        RETRY_SCHEDULE: '200ms,400ms',
        DELIVERY_TIMEOUT: '2s',
        LOG_LEVEL: 'trace',
      },
      logger: createLogger('trace', { write: (line: string) => void lines.push(line) }),
    });

    // The requests below handle every kind of secret: API keys (valid and invalid), signing secrets (created,
    // rotated, read back, seeded) and an idempotency key. Some deliveries succeed and some fail, so the dispatcher
    // logs its paths too.
    expect((await api('GET', '/account')).status).toBe(200);
    expect((await api('GET', '/account', { key: WRONG_API_KEY })).status).toBe(401);

    const created = await api('POST', '/endpoints', { body: { url: `${receiver.url}/ok` } });
    issuedSecrets.push(String(created.body['secret']));
    const endpointId = String(created.body['id']);
    const rotated = await api('POST', `/endpoints/${endpointId}/rotate-secret`);
    issuedSecrets.push(String(rotated.body['secret']));
    expect((await api('GET', `/endpoints/${endpointId}/secret`)).body['secret']).toBe(
      issuedSecrets[1],
    );
    const failing = await api('POST', '/endpoints', { body: { url: `${receiver.url}/fail` } });
    issuedSecrets.push(String(failing.body['secret']));

    const seededId = 'ep_01JD3QCANARY0000000000000';
    const now = Date.now();
    await server.database.db
      .insertInto('endpoints')
      .values({
        id: seededId,
        account_id: server.seed.accountId,
        url: `${receiver.url}/canary`,
        description: 'canary',
        event_types: null,
        enabled: 1,
        disabled_reason: null,
        secret_encrypted: new SecretBox(ENCRYPTION_KEY).encrypt(CANARY_SECRET, seededId),
        previous_secret_encrypted: null,
        previous_secret_expires_at: null,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      })
      .execute();
    expect((await api('GET', `/endpoints/${seededId}/secret`)).body['secret']).toBe(CANARY_SECRET);

    const contact = await api('POST', '/contacts', {
      body: { email: 'canary@example.com' },
      headers: { 'idempotency-key': IDEMPOTENCY_KEY },
    });
    expect(contact.status).toBe(201);
    expect(
      (await api('POST', `/endpoints/${endpointId}/test`, { body: { event_type: 'invoice.paid' } }))
        .status,
    ).toBe(201);

    // contact.created goes to three endpoints and the test event to one; the failing endpoint is retried twice.
    await receiver.waitForRequests(6, 15_000);
    await server.close();
  });

  afterAll(async () => {
    await server.close();
    await receiver.close();
    database.cleanup();
  });

  test('was captured', () => {
    const text = lines.join('');

    expect(lines.length).toBeGreaterThan(10);
    expect(text).toContain('server listening');
    expect(text).toContain('"statusCode":401');
    expect(receiver.requests.some((request) => request.path === '/canary')).toBe(true);
  });

  test('never contains an API key', () => {
    const text = lines.join('');

    expect(text).not.toContain(SEED_API_KEY);
    expect(text).not.toContain(WRONG_API_KEY);
  });

  test('never contains a signing secret', () => {
    const text = lines.join('');
    const secrets = [CANARY_SECRET, ...issuedSecrets];

    expect(issuedSecrets).toHaveLength(3);
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_/);
      expect({ secret, logged: text.includes(secret) }).toEqual({ secret, logged: false });
      // The base64 part alone is the key material, with or without the prefix.
      const material = secret.slice('whsec_'.length);
      expect({ secret, logged: text.includes(material) }).toEqual({ secret, logged: false });
    }
  });

  test('never contains the idempotency key', () => {
    expect(lines.join('')).not.toContain(IDEMPOTENCY_KEY);
  });
});
