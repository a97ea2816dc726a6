import { problemSchema } from '@app/api-client';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';

import { operations } from '../../src/openapi/operations.js';
import { createApiHarness, type ApiHarness } from '../support/api-harness.js';
import { describeEachDialect } from '../support/databases.js';

// Bounded: each property sends this many requests through inject(); no wall-clock limit is asserted.
const RUNS = 1500;

// Every field name the request schemas know, so random bodies often reach validation past the unknown-key check.
const FIELD_NAMES = [
  'email',
  'first_name',
  'last_name',
  'company',
  'phone',
  'tags',
  'url',
  'event_types',
  'description',
  'enabled',
  'event_type',
  'data',
  'since',
  'id',
];
const QUERY_NAMES = ['limit', 'cursor', 'email', 'type', 'endpoint_id', 'event_id', 'status'];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/problem+json',
  'application/vnd.api+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
];
const NASTY_BODIES = [
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  `{"data":${'['.repeat(5000)}${']'.repeat(5000)}}`,
  '{"email":"a@example.com","first_name":"\\u0000"}',
  '{"email":"a\\u0000@example.com"}',
  '{"email":"\\ud800@example.com"}',
  '{"tags":["\\u0000"],"email":"nul@example.com"}',
  '{"event_type":"contact.created","data":{"id":"\\u0000"}}',
  '{"since":"9999-12-31T23:59:59.999Z"}',
  '{"since":"0000-01-01T00:00:00.000Z"}',
  '{"url":"http://[::1]:0/"}',
  '{"url":"https://user:pass@example.com:99999/"}',
  'null',
  '[]',
  '"text"',
  '1e999',
];
const NASTY_SEGMENTS = [
  '%zz',
  '%00',
  '%2F',
  '..',
  '%E2%80%AE',
  'a'.repeat(120),
  '%F0%9F%92%A9',
  '%C0%AF',
];

/** Strings of printable ASCII or of any UTF-16 code units, control characters and lone surrogates included. */
function anyString(maxLength: number): fc.Arbitrary<string> {
  return fc.oneof(fc.string({ maxLength }), fc.string({ unit: 'binary', maxLength }));
}

// Header values a real HTTP parser lets through: no CR, LF or NUL, and nothing beyond Latin-1.
const headerSafe = (value: string) => /^[\t\x20-\x7e\x80-\xff]*$/.test(value);

function bodyArbitrary(): fc.Arbitrary<string | undefined> {
  const knownFields = fc.dictionary(
    fc.constantFrom(...FIELD_NAMES),
    fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }),
    { maxKeys: 6 },
  );
  return fc.option(
    fc.oneof(
      fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
      fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }).map((value) => JSON.stringify(value)),
      knownFields.map((value) => JSON.stringify(value)),
      anyString(200),
      fc.constantFrom(...NASTY_BODIES),
    ),
    { nil: undefined },
  );
}

function queryArbitrary(): fc.Arbitrary<string> {
  const pairs = fc.array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...QUERY_NAMES), anyString(10)),
      fc.oneof(
        anyString(40),
        fc.integer().map(String),
        fc.constantFrom(
          '0',
          '-1',
          '101',
          '1e3',
          'NaN',
          'succeeded',
          'contact.created',
          'a'.repeat(300),
        ),
      ),
    ),
    { maxLength: 4 },
  );
  return fc.oneof(
    pairs.map((list) => new URLSearchParams(list).toString()),
    fc.constantFrom('limit[]=1', 'email[a]=b', '%zz=1', 'limit=1&limit=2', 'cursor=%00'),
  );
}

describeEachDialect('random requests never cause a 5xx', (dialect) => {
  let harness: ApiHarness;
  let knownIds: string[];

  beforeAll(async () => {
    harness = await createApiHarness(dialect);
    const contact = await harness.tenantA.request({
      method: 'POST',
      url: '/v1/contacts',
      payload: { email: 'fuzz@example.com' },
    });
    const endpoint = await harness.tenantA.request({
      method: 'POST',
      url: '/v1/endpoints',
      payload: { url: 'https://receiver.example/hook' },
    });
    const endpointId = (endpoint.json() as { id: string }).id;
    const delivery = await harness.tenantA.request({
      method: 'POST',
      url: `/v1/endpoints/${endpointId}/test`,
      payload: { event_type: 'contact.created' },
    });
    const delivered = delivery.json() as { id: string; event_id: string };
    knownIds = [
      (contact.json() as { id: string }).id,
      endpointId,
      delivered.id,
      delivered.event_id,
    ];
  });

  afterAll(async () => {
    await harness.close();
  });

  const requestArbitrary = (): fc.Arbitrary<InjectOptions> =>
    fc
      .record({
        operation: fc.constantFrom(...operations),
        otherMethod: fc.option(
          fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS'),
          {
            freq: 5,
            nil: undefined,
          },
        ),
        id: fc.oneof(
          fc.constantFrom(...knownIds).map(encodeURIComponent),
          anyString(70).map((id) => encodeURIComponent(id.replace(/[\ud800-\udfff]/g, '?'))),
          fc.constantFrom(...NASTY_SEGMENTS),
        ),
        query: fc.option(queryArbitrary(), { nil: undefined }),
        contentType: fc.option(
          fc.oneof(fc.constantFrom(...CONTENT_TYPES), fc.string({ maxLength: 30 })),
          {
            nil: undefined,
          },
        ),
        body: bodyArbitrary(),
        idempotencyKey: fc.option(anyString(300), { nil: undefined }),
        // Mostly a valid key, so most requests get past authentication to the routes.
        tenant: fc.constantFrom('a', 'a', 'a', 'b', 'none', 'garbage'),
      })
      .map((input) => {
        const path = input.operation.path.replace('{id}', input.id || 'x');
        const headers: Record<string, string> = {};
        if (input.contentType !== undefined && headerSafe(input.contentType)) {
          headers['content-type'] = input.contentType;
        }
        if (input.idempotencyKey !== undefined && headerSafe(input.idempotencyKey)) {
          headers['idempotency-key'] = input.idempotencyKey;
        }
        const key = {
          a: harness.tenantA.apiKey,
          b: harness.tenantB.apiKey,
          none: undefined,
          garbage: 'acme_live_not_a_key',
        }[input.tenant];
        if (key !== undefined) {
          headers['authorization'] = `Bearer ${key}`;
        }
        return {
          method: (input.otherMethod ??
            input.operation.method.toUpperCase()) as InjectOptions['method'],
          url: input.query === undefined ? path : `${path}?${input.query}`,
          headers,
          ...(input.body === undefined ? {} : { payload: input.body }),
        };
      });

  test('every route answers below 500 with a problem document', async () => {
    await fc.assert(
      fc.asyncProperty(requestArbitrary(), async (options) => {
        const response = await harness.app.inject(options);

        expect({ request: options, status: response.statusCode < 500 }).toEqual({
          request: options,
          status: true,
        });
        if (response.statusCode >= 400 && options.method !== 'HEAD') {
          expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
          const problem = problemSchema.parse(response.json());
          expect(problem.status).toBe(response.statusCode);
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('valid routes with random bodies answer below 500', async () => {
    const bodyRoutes = operations.filter(
      (operation) => operation.method === 'post' || operation.method === 'patch',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...bodyRoutes),
        fc.constantFrom(...knownIds),
        bodyArbitrary(),
        async (operation, id, body) => {
          const response = await harness.tenantA.request({
            method: operation.method.toUpperCase() as 'POST' | 'PATCH',
            url: operation.path.replace('{id}', id),
            headers: { 'content-type': 'application/json' },
            ...(body === undefined ? {} : { payload: body }),
          });

          expect({ body, status: response.statusCode < 500 }).toEqual({ body, status: true });
        },
      ),
      { numRuns: RUNS },
    );
  });
});
