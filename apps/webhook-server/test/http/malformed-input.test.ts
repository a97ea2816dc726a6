import { problemSchema, type Problem } from '@app/api-client';
import type { LightMyRequestResponse } from 'fastify';

import { countRows, createApiHarness, type ApiHarness } from '../support/api-harness.js';
import { describeEachDialect } from '../support/databases.js';

const BODY_LIMIT = 2048;

function problemOf(response: LightMyRequestResponse): Problem {
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  return problemSchema.parse(response.json());
}

describe('malformed input', () => {
  let harness: ApiHarness;

  beforeAll(async () => {
    harness = await createApiHarness('sqlite', { BODY_LIMIT: String(BODY_LIMIT) });
  });

  afterAll(async () => {
    await harness.close();
  });

  // `null` sends no Content-Type header at all.
  function post(url: string, payload: string, contentType: string | null = 'application/json') {
    return harness.tenantA.request({
      method: 'POST',
      url,
      payload,
      headers: contentType === null ? {} : { 'content-type': contentType },
    });
  }

  describe('400 invalid JSON', () => {
    test.each([
      ['truncated document', '{"email":'],
      ['trailing comma', '{"email":"a@example.com",}'],
      ['single quotes', "{'email':'a@example.com'}"],
      ['empty body', ''],
    ])('%s', async (_case, payload) => {
      const response = await post('/v1/contacts', payload);

      expect(response.statusCode).toBe(400);
      expect(problemOf(response).code).toBe('invalid_json');
    });
  });

  test('missing body names the required field', async () => {
    const response = await harness.tenantA.request({ method: 'POST', url: '/v1/contacts' });

    expect(response.statusCode).toBe(422);
    expect(problemOf(response).field).toBe('email');
  });

  test('invalid JSON detail says what to send', async () => {
    const response = await post('/v1/contacts', '{"email":');

    expect(problemOf(response).detail).toMatch(/not valid JSON.*Send a JSON document/);
    expect(problemOf(response).detail).not.toMatch(/Body is not valid JSON/);
  });

  describe('prototype pollution keys', () => {
    test.each([
      ['top-level __proto__', '{"__proto__":{"admin":true},"email":"a@example.com"}'],
      ['nested __proto__', '{"email":"a@example.com","tags":[{"__proto__":{"x":1}}]}'],
      [
        'constructor.prototype',
        '{"email":"a@example.com","constructor":{"prototype":{"admin":true}}}',
      ],
    ])('%s is 400', async (_case, payload) => {
      const response = await post('/v1/contacts', payload);

      expect(response.statusCode).toBe(400);
      expect(problemOf(response).code).toBe('invalid_json');
      expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
    });
  });

  test('body over BODY_LIMIT is 413', async () => {
    const payload = JSON.stringify({ email: 'a@example.com', company: 'x'.repeat(BODY_LIMIT) });

    const response = await post('/v1/contacts', payload);

    expect(response.statusCode).toBe(413);
    expect(problemOf(response).code).toBe('payload_too_large');
  });

  test('body just under BODY_LIMIT is parsed', async () => {
    const payload = JSON.stringify({ email: 'limit@example.com', company: 'x'.repeat(150) });

    const response = await post('/v1/contacts', payload);

    expect(payload.length).toBeLessThan(BODY_LIMIT);
    expect(response.statusCode).toBe(201);
  });

  describe('415 non-JSON bodies', () => {
    test.each([
      ['text/plain', '{"email":"a@example.com"}'],
      ['application/x-www-form-urlencoded', 'email=a%40example.com'],
      [
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na\r\n--x--',
      ],
      ['application/xml', '<contact/>'],
      ['application/json-seq', '{}'],
      [null, '{"email":"a@example.com"}'],
    ])('%s', async (contentType, payload) => {
      const response = await post('/v1/contacts', payload, contentType);

      expect(response.statusCode).toBe(415);
      expect(problemOf(response).code).toBe('unsupported_media_type');
    });

    test('on DELETE with a body', async () => {
      const response = await harness.tenantA.request({
        method: 'DELETE',
        url: '/v1/contacts/con_01JD3Q8Z5V6Y7K2M4N8P0R1S3T',
        payload: 'x',
        headers: { 'content-type': 'text/plain' },
      });

      expect(response.statusCode).toBe(415);
    });
  });

  test('+json media types are parsed as JSON', async () => {
    const response = await post(
      '/v1/contacts',
      '{"email":"vnd@example.com"}',
      'application/vnd.api+json',
    );

    expect(response.statusCode).toBe(201);
  });

  describe('422 names the field', () => {
    test.each([
      ['/v1/contacts', { email: 'not-an-email' }, 'email', 'invalid_format'],
      ['/v1/contacts', { first_name: 'Ada' }, 'email', 'required'],
      ['/v1/contacts', { email: 'a@example.com', tags: ['ok', 7] }, 'tags.1', 'invalid_type'],
      ['/v1/contacts', { email: 'a@example.com', phone: 'x'.repeat(41) }, 'phone', 'too_big'],
      [
        '/v1/events',
        { event_type: 'contact.deleted', data: { id: 'con_1' } },
        'data.email',
        'required',
      ],
      ['/v1/events', { data: {} }, 'event_type', 'required'],
      ['/v1/endpoints', { url: 'ftp://example.com/hook' }, 'url', 'invalid_format'],
      [
        '/v1/endpoints',
        { url: 'https://example.com/hook', event_types: ['nope'] },
        'event_types.0',
        'invalid_value',
      ],
    ])('%s %j', async (url, body, field, code) => {
      const response = await post(url, JSON.stringify(body));

      expect(response.statusCode).toBe(422);
      const problem = problemOf(response);
      expect(problem.code).toBe('validation_failed');
      expect(problem.field).toBe(field);
      expect(problem.errors?.[0]).toMatchObject({ field, code });
    });

    test('body that is not an object', async () => {
      const response = await post('/v1/contacts', '[1,2]');

      expect(response.statusCode).toBe(422);
      expect(problemOf(response).field).toBe('body');
    });
  });

  describe('unknown fields are rejected', () => {
    test.each([
      ['POST', '/v1/contacts', { email: 'u@example.com', nickname: 'x' }, 'nickname'],
      ['POST', '/v1/events', { event_type: 'invoice.paid', data: {}, priority: 1 }, 'priority'],
      ['POST', '/v1/endpoints', { url: 'https://example.com/hook', secret: 'whsec_x' }, 'secret'],
    ])('%s %s %j', async (method, url, body, field) => {
      const response = await harness.tenantA.request({
        method: method as 'POST',
        url,
        payload: body,
      });

      expect(response.statusCode).toBe(422);
      const problem = problemOf(response);
      expect(problem.field).toBe(field);
      expect(problem.errors?.find((error) => error.field === field)?.code).toBe('unknown_field');
    });

    test('on PATCH of a contact', async () => {
      const created = await post('/v1/contacts', '{"email":"patch-unknown@example.com"}');
      const id = (created.json() as { id: string }).id;

      const response = await harness.tenantA.request({
        method: 'PATCH',
        url: `/v1/contacts/${id}`,
        payload: { company: 'X', id: 'con_other' },
      });

      expect(response.statusCode).toBe(422);
      expect(problemOf(response).field).toBe('id');
    });
  });

  describe('401', () => {
    test.each([
      ['missing header', undefined],
      ['basic scheme', 'Basic dXNlcjpwYXNz'],
      ['empty bearer', 'Bearer '],
      ['unknown key', 'Bearer acme_live_unknownkeyunknownkeyunknownkey'],
    ])('%s', async (_case, authorization) => {
      const response = await harness.app.inject({
        method: 'GET',
        url: '/v1/contacts',
        headers: authorization === undefined ? {} : { authorization },
      });

      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(problemOf(response).code).toBe('unauthorized');
    });

    test('revoked key', async () => {
      const tenant = harness.tenantB;
      const before = await tenant.request({ method: 'GET', url: '/v1/account' });
      await harness.database.db
        .updateTable('api_keys')
        .set({ revoked_at: Date.now() })
        .where('id', '=', tenant.apiKeyId)
        .execute();

      const after = await tenant.request({ method: 'GET', url: '/v1/account' });

      expect(before.statusCode).toBe(200);
      expect(after.statusCode).toBe(401);
      expect(problemOf(after).code).toBe('unauthorized');
    });

    test('POST without key changes nothing', async () => {
      const before = await countRows(harness.database, harness.tenantA.accountId);

      const response = await harness.app.inject({
        method: 'POST',
        url: '/v1/contacts',
        payload: { email: 'anonymous@example.com' },
      });

      expect(response.statusCode).toBe(401);
      expect(await countRows(harness.database, harness.tenantA.accountId)).toEqual(before);
    });
  });

  describe('404 unknown route', () => {
    test.each([
      ['GET', '/v1/nope'],
      ['GET', '/v2/contacts'],
      ['PUT', '/v1/contacts'],
      ['POST', '/v1/contacts/con_1'],
      ['GET', '/'],
    ])('%s %s', async (method, url) => {
      const response = await harness.tenantA.request({ method: method as 'GET', url });

      expect(response.statusCode).toBe(404);
      expect(problemOf(response).code).toBe('route_not_found');
    });
  });

  describe('400 invalid path and query', () => {
    test('malformed percent escape', async () => {
      const response = await harness.tenantA.request({ method: 'GET', url: '/v1/contacts/%zz' });

      expect(response.statusCode).toBe(400);
      expect(problemOf(response).field).toBe('path');
    });

    test('id longer than 64 characters', async () => {
      const response = await harness.tenantA.request({
        method: 'GET',
        url: `/v1/contacts/${'c'.repeat(65)}`,
      });

      expect(response.statusCode).toBe(400);
      expect(problemOf(response).field).toBe('path.id');
    });

    test('id longer than the router accepts', async () => {
      const response = await harness.tenantA.request({
        method: 'GET',
        url: `/v1/contacts/${'c'.repeat(500)}`,
      });

      expect(response.statusCode).toBeLessThan(500);
      expect(problemOf(response).status).toBe(response.statusCode);
    });

    test('repeated query parameter', async () => {
      const response = await harness.tenantA.request({
        method: 'GET',
        url: '/v1/contacts?limit=1&limit=2',
      });

      expect(response.statusCode).toBe(400);
      expect(problemOf(response).field).toBe('query.limit');
    });
  });
});

describe('deeply nested bodies', () => {
  test('with Idempotency-Key are not a 5xx', async () => {
    const harness = await createApiHarness('sqlite');
    const depth = 100_000;
    const nested = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    try {
      const event = await harness.tenantA.request({
        method: 'POST',
        url: '/v1/events',
        payload: `{"event_type":"invoice.paid","data":{"x":${nested}}}`,
        headers: { 'content-type': 'application/json', 'idempotency-key': 'deep-event' },
      });
      const contact = await harness.tenantA.request({
        method: 'POST',
        url: '/v1/contacts',
        payload: `{"email":"deep@example.com","tags":${nested}}`,
        headers: { 'content-type': 'application/json', 'idempotency-key': 'deep-contact' },
      });

      expect(event.statusCode).toBe(422);
      expect(contact.statusCode).toBe(422);
      expect(problemOf(contact).field).toBe('tags.0');
    } finally {
      await harness.close();
    }
  });
});

describeEachDialect('NUL characters', (dialect) => {
  let harness: ApiHarness;

  beforeAll(async () => {
    harness = await createApiHarness(dialect);
  });

  afterAll(async () => {
    await harness.close();
  });

  test.each([
    [
      'POST',
      '/v1/contacts',
      '{"email":"a@example.com","first_name":"A\\u0000"}',
      422,
      'first_name',
    ],
    ['POST', '/v1/contacts', '{"email":"a@example.com","tags":["ok","\\u0000"]}', 422, 'tags.1'],
    [
      'POST',
      '/v1/events',
      '{"event_type":"contact.deleted","data":{"id":"\\u0000","email":"a@example.com","deleted_at":"2026-01-01T00:00:00.000Z"}}',
      422,
      'data.id',
    ],
    ['GET', '/v1/contacts?email=%00', undefined, 400, 'query.email'],
    ['GET', '/v1/events?type=a%00', undefined, 400, 'query.type'],
    ['GET', '/v1/deliveries?endpoint_id=%00', undefined, 400, 'query.endpoint_id'],
    ['GET', '/v1/contacts/con_%00', undefined, 400, 'path.id'],
    ['DELETE', '/v1/endpoints/%00', undefined, 400, 'path.id'],
  ])('%s %s is rejected', async (method, url, payload, status, field) => {
    const response = await harness.tenantA.request({
      method: method as 'GET',
      url,
      ...(payload === undefined
        ? {}
        : { payload, headers: { 'content-type': 'application/json' } }),
    });

    expect(response.statusCode).toBe(status);
    expect(problemOf(response).field).toBe(field);
  });
});
