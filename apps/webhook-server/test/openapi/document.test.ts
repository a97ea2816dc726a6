import { readFileSync } from 'node:fs';

import { eventTypes, sampleEvent } from '@app/api-client';

import { buildOpenApiDocument, GENERATED_NOTE } from '../../src/openapi/document.js';
import { operations } from '../../src/openapi/operations.js';
import { webhookEventSchemaName } from '../../src/openapi/schemas.js';
import { DOCUMENT_PATH, serializeOpenApiDocument } from '../../src/openapi/write-document.js';
import { createApiHarness } from '../support/api-harness.js';
import { componentValidators, validateOpenApi } from '../support/openapi-validator.js';
import { collectRoutes } from '../support/route-collector.js';

interface OperationObject {
  operationId: string;
  security?: unknown[];
  parameters?: { $ref?: string; name?: string; in?: string }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }>;
}

const document = buildOpenApiDocument() as {
  openapi: string;
  'x-generated': string;
  paths: Record<string, Record<string, OperationObject>>;
  webhooks: Record<string, { post: OperationObject }>;
  components: {
    schemas: Record<string, unknown>;
    securitySchemes: Record<string, { type: string; scheme: string }>;
  };
};

function allOperations(): { method: string; path: string; operation: OperationObject }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ method, path, operation })),
  );
}

describe('OpenAPI document', () => {
  test('committed openapi.json is up to date', () => {
    const committed = readFileSync(DOCUMENT_PATH, 'utf8');

    // On failure: run `pnpm --filter @app/webhook-server openapi` and commit openapi.json.
    expect(committed).toBe(serializeOpenApiDocument());
  });

  test('committed file carries generated note', () => {
    const committed = JSON.parse(readFileSync(DOCUMENT_PATH, 'utf8')) as Record<string, unknown>;

    expect(committed['x-generated']).toBe(GENERATED_NOTE);
  });

  test('passes OpenAPI 3.1 schema validation', () => {
    const result = validateOpenApi(document);

    expect(result.errors).toBeNull();
    expect(result.valid).toBe(true);
    expect(result.version).toBe('3.1');
    expect(result.refsResolved).toBe(true);
  });

  test('validator rejects a broken document', () => {
    const broken = JSON.parse(JSON.stringify(document)) as typeof document;
    const account = broken.paths['/v1/account']?.['get'];
    const content = account?.responses['200']?.content?.['application/json'];
    if (content) {
      content.schema.$ref = '#/components/schemas/Missing';
    }

    expect(validateOpenApi(broken).valid).toBe(false);
    expect(validateOpenApi({ openapi: '3.1.0', paths: {} }).valid).toBe(false);
  });

  test('lists every Fastify route and no other', async () => {
    const collector = collectRoutes();
    const harness = await createApiHarness();
    collector.stop();
    await harness.close();

    const registered = collector.routes.map(
      (route) => `${route.method} ${route.url.replace(/:([A-Za-z]+)/g, '{$1}')}`,
    );
    const documented = allOperations().map(({ method, path }) => `${method.toUpperCase()} ${path}`);

    expect(registered.length).toBeGreaterThan(20);
    expect(new Set(registered).size).toBe(registered.length);
    expect([...documented].sort()).toEqual([...registered].sort());
  });

  test('operation ids are unique', () => {
    const ids = allOperations().map(({ operation }) => operation.operationId);

    expect(new Set(ids).size).toBe(ids.length);
  });

  test('every POST under /v1 takes Idempotency-Key', () => {
    const posts = allOperations().filter(
      ({ method, path }) => method === 'post' && path.startsWith('/v1/'),
    );

    expect(posts.length).toBeGreaterThanOrEqual(6);
    for (const { path, operation } of posts) {
      const references = (operation.parameters ?? []).map((parameter) => parameter.$ref);
      expect({ path, references }).toEqual({
        path,
        references: expect.arrayContaining(['#/components/parameters/IdempotencyKey']),
      });
      expect(operation.responses['409']).toBeDefined();
      expect(operation.responses['422']).toBeDefined();
    }
  });

  test('bearer scheme guards authenticated routes', () => {
    expect(document.components.securitySchemes['apiKey']).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });

    for (const { path, operation } of allOperations()) {
      const open = ['/healthz', '/readyz', '/v1/openapi.json'].includes(path);
      if (open) {
        expect({ path, security: operation.security }).toEqual({ path, security: [] });
      } else {
        expect({ path, security: operation.security }).toEqual({ path, security: undefined });
        expect({ path, has401: '401' in operation.responses }).toEqual({ path, has401: true });
      }
    }
  });

  test('errors are problem+json', () => {
    for (const { path, operation } of allOperations()) {
      expect({ path, has500: '500' in operation.responses }).toEqual({ path, has500: true });
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) >= 400 && !(path === '/readyz' && status === '503')) {
          expect({ path, status, types: Object.keys(response.content ?? {}) }).toEqual({
            path,
            status,
            types: ['application/problem+json'],
          });
        }
      }
    }
  });

  test('routes with bodies document 413, 415 and 422', () => {
    for (const { path, operation } of allOperations().filter(
      ({ operation }) => operation.requestBody,
    )) {
      expect({ path, statuses: Object.keys(operation.responses) }).toEqual({
        path,
        statuses: expect.arrayContaining(['400', '413', '415', '422']),
      });
    }
  });

  test('routes with an id document 404', () => {
    for (const { path, operation } of allOperations().filter(({ path }) => path.includes('{id}'))) {
      expect({ path, has404: '404' in operation.responses }).toEqual({ path, has404: true });
      expect(operation.parameters).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'id', in: 'path' })]),
      );
    }
  });

  test('list routes document their query parameters', () => {
    const names = (path: string) =>
      (document.paths[path]?.['get']?.parameters ?? []).map((parameter) => parameter.name).sort();

    expect(names('/v1/contacts')).toEqual(['cursor', 'email', 'limit']);
    expect(names('/v1/events')).toEqual(['cursor', 'limit', 'type']);
    expect(names('/v1/endpoints')).toEqual(['cursor', 'limit']);
    expect(names('/v1/deliveries')).toEqual([
      'cursor',
      'endpoint_id',
      'event_id',
      'limit',
      'status',
    ]);
  });

  test('webhooks cover every catalog event type', () => {
    expect(Object.keys(document.webhooks).sort()).toEqual([...eventTypes].sort());
  });

  test.each(eventTypes)('webhook %s schema accepts its sample', (type) => {
    const validatorFor = componentValidators(document);
    const webhook = document.webhooks[type]?.post;
    const name = webhookEventSchemaName(type);

    expect(webhook?.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
    });
    const validate = validatorFor(name);
    expect(validate(sampleEvent(type))).toBe(true);
    expect(validate.errors ?? null).toBeNull();
    expect(validate({ ...sampleEvent(type), event_type: 'something.else' })).toBe(false);
  });

  test('request body schemas reject unknown fields', () => {
    const validatorFor = componentValidators(document);

    expect(validatorFor('ContactCreate')({ email: 'ada@example.com' })).toBe(true);
    expect(validatorFor('ContactCreate')({ email: 'ada@example.com', nickname: 'Ada' })).toBe(
      false,
    );
    expect(validatorFor('EndpointCreate')({ url: 'https://example.com/hook', extra: 1 })).toBe(
      false,
    );
  });

  test('operation table matches the document', () => {
    expect(operations).toHaveLength(allOperations().length);
  });
});

describe('GET /v1/openapi.json', () => {
  test('serves the document without an API key', async () => {
    const harness = await createApiHarness();
    try {
      const response = await harness.app.inject({ method: 'GET', url: '/v1/openapi.json' });

      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toEqual(JSON.parse(readFileSync(DOCUMENT_PATH, 'utf8')));
    } finally {
      await harness.close();
    }
  });
});
