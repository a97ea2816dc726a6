import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  brand,
  catalog,
  DEFAULT_TOLERANCE_SECONDS,
  eventTypes,
  webhookHeaderNames,
  type EventType,
} from '@app/api-client';
import { z } from 'zod';

import {
  IDEMPOTENCY_KEY_MAX_LENGTH,
  IDEMPOTENCY_KEY_TTL_MS,
  IDEMPOTENT_REPLAYED_HEADER,
} from '../http/idempotency.js';
import { inputSchemas, outputSchemas, webhookEventSchemaName } from './schemas.js';
import { operations, type Operation } from './operations.js';

/** A JSON object of the OpenAPI document. */
export type JsonObject = Record<string, unknown>;

/** Marks the committed copy as generated; JSON has no comments, so it is an OpenAPI extension field. */
export const GENERATED_NOTE =
  'Generated from the zod schemas of @app/api-client by `pnpm --filter @app/webhook-server openapi`. Do not edit.';

const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';
const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const SECURITY_SCHEME = 'apiKey';

let cached: JsonObject | undefined;

/**
 * Returns the OpenAPI 3.1 document of the API: every route of `operations` with its parameters, request body and
 * responses (errors as problem+json), the bearer API key scheme, the `Idempotency-Key` header on POSTs, and one
 * `webhooks` entry per catalog event type. Every schema is derived from the zod schemas of @app/api-client with
 * `z.toJSONSchema`; the result is built once and cached.
 */
export function buildOpenApiDocument(): JsonObject {
  cached ??= assembleDocument();
  return cached;
}

function assembleDocument(): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const operation of operations) {
    paths[operation.path] ??= {};
    (paths[operation.path] as Record<string, JsonObject>)[operation.method] =
      describeOperation(operation);
  }

  return {
    openapi: '3.1.0',
    'x-generated': GENERATED_NOTE,
    jsonSchemaDialect: SCHEMA_DIALECT,
    info: {
      title: `${brand.name} API`,
      version: packageVersion(),
      summary: brand.description,
      description: [
        'Every request except the health checks and this document needs `Authorization: Bearer <API key>`.',
        'Errors are RFC 9457 problem documents (`application/problem+json`) with a stable `code` and, where one',
        'field caused the error, `field`. Lists are paged with `limit` and the `next_cursor` of the previous page.',
        `Every POST accepts an \`Idempotency-Key\` header, kept ${IDEMPOTENCY_KEY_TTL_MS / 3_600_000} hours.`,
        'Webhooks are signed with the Standard Webhooks scheme (`webhook-id`, `webhook-timestamp`,',
        '`webhook-signature`).',
      ].join(' '),
      license: { name: 'MIT', identifier: 'MIT' },
    },
    security: [{ [SECURITY_SCHEME]: [] }],
    tags: [
      { name: 'Account', description: 'The account (tenant) of the API key.' },
      { name: 'Event types', description: 'The event catalog.' },
      { name: 'Events', description: 'Publish events and look them up.' },
      { name: 'Contacts', description: 'Contacts; every change emits an event.' },
      { name: 'Endpoints', description: 'Webhook subscriptions and their signing secrets.' },
      {
        name: 'Deliveries',
        description: 'The delivery log: every event sent to every endpoint, with attempts.',
      },
      { name: 'Service', description: 'Health checks and this document; no API key needed.' },
      {
        name: 'Webhooks',
        description: 'Requests the server sends to endpoints, one per event type.',
      },
    ],
    paths,
    webhooks: describeWebhooks(),
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          description: `An API key, such as \`${brand.apiKeyPrefix}_live_...\`, created with \`webhook-server api-keys create\`.`,
        },
      },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'Makes the POST safe to retry: a retry with the same key and request gets the stored response ' +
            '(with `Idempotent-Replayed: true`) instead of running again. Keys are per account and kept ' +
            `${IDEMPOTENCY_KEY_TTL_MS / 3_600_000} hours; 5xx responses are not stored.`,
          schema: {
            type: 'string',
            minLength: 1,
            maxLength: IDEMPOTENCY_KEY_MAX_LENGTH,
            pattern: '^[\\x20-\\x7E]+$',
          },
        },
      },
      headers: {
        IdempotentReplayed: {
          description:
            '`true` when the response is the stored one of an earlier request with the same key.',
          schema: { type: 'string', enum: ['true'] },
        },
        RetryAfter: {
          description: 'Seconds to wait before retrying.',
          schema: { type: 'integer', minimum: 0 },
        },
        WwwAuthenticate: {
          description: 'The authentication scheme to use: `Bearer`.',
          schema: { type: 'string' },
        },
      },
    },
  };
}

function describeOperation(operation: Operation): JsonObject {
  const parameters: JsonObject[] = [];
  if (operation.idParameter !== undefined) {
    parameters.push({
      name: 'id',
      in: 'path',
      required: true,
      description: operation.idParameter,
      schema: { type: 'string', minLength: 1, maxLength: 64 },
    });
  }
  if (operation.query !== undefined) {
    parameters.push(...queryParameters(operation.query));
  }
  const idempotent = isIdempotentPost(operation);
  if (idempotent) {
    parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
  }

  return {
    operationId: operation.operationId,
    tags: [operation.tag],
    summary: operation.summary,
    ...(operation.description === undefined ? {} : { description: operation.description }),
    ...(operation.authenticated ? {} : { security: [] }),
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(operation.requestBody === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemaRef(operation.requestBody) } },
          },
        }),
    responses: describeResponses(operation, idempotent),
  };
}

function describeResponses(operation: Operation, idempotent: boolean): JsonObject {
  const responses: JsonObject = {};
  const { success } = operation;
  responses[String(success.status)] = {
    description: success.description,
    ...(idempotent
      ? { headers: { [replayedHeaderName()]: { $ref: '#/components/headers/IdempotentReplayed' } } }
      : {}),
    ...(success.schema === undefined
      ? {}
      : { content: { 'application/json': { schema: schemaRef(success.schema) } } }),
  };
  for (const other of operation.otherResponses ?? []) {
    responses[String(other.status)] = {
      description: other.description,
      content: { 'application/json': { schema: schemaRef(other.schema) } },
    };
  }

  for (const [status, causes] of errorCauses(operation, idempotent)) {
    const headers: JsonObject = {};
    if (status === 401) {
      headers['WWW-Authenticate'] = { $ref: '#/components/headers/WwwAuthenticate' };
    }
    if (status === 409 && idempotent) {
      headers['Retry-After'] = { $ref: '#/components/headers/RetryAfter' };
    }
    responses[String(status)] = {
      description: causes.join(' '),
      ...(Object.keys(headers).length === 0 ? {} : { headers }),
      content: { [PROBLEM_CONTENT_TYPE]: { schema: schemaRef('Problem') } },
    };
  }
  return responses;
}

/** Lists the error statuses an operation can return, each with the causes and codes behind it. */
function errorCauses(operation: Operation, idempotent: boolean): Map<number, string[]> {
  const causes = new Map<number, string[]>();
  const add = (status: number, cause: string) => {
    causes.set(status, [...(causes.get(status) ?? []), cause]);
  };
  const takesBody = operation.method === 'post' || operation.method === 'patch';

  if (takesBody) {
    add(400, '`invalid_json` when the body is not valid JSON or has a `__proto__` key.');
  }
  if (operation.idParameter !== undefined || operation.query !== undefined) {
    add(400, '`validation_failed` when a path or query parameter is invalid; `field` names it.');
  }
  if (idempotent) {
    add(
      400,
      '`idempotency_key_invalid` when Idempotency-Key is empty, too long or not printable ASCII.',
    );
  }
  if (operation.authenticated) {
    add(401, '`unauthorized` when the API key is missing, unknown or revoked.');
  }
  if (operation.idParameter !== undefined) {
    add(404, '`not_found` when the account has no such resource.');
  }
  for (const error of operation.errors ?? []) {
    add(error.status, error.description);
  }
  if (idempotent) {
    add(
      409,
      '`idempotency_request_in_flight` while a request with the same Idempotency-Key is running.',
    );
  }
  if (takesBody) {
    add(413, '`payload_too_large` when the body is larger than the server accepts.');
    add(415, '`unsupported_media_type` when the body is not `application/json`.');
  }
  if (operation.requestBody !== undefined) {
    add(
      422,
      '`validation_failed` when the body breaks the schema; `field` names the first invalid field.',
    );
  }
  if (idempotent) {
    add(422, '`idempotency_key_reused` when the Idempotency-Key was used for another request.');
  }
  add(500, '`internal_error` when the server failed; the request can be retried.');

  return new Map([...causes.entries()].sort(([left], [right]) => left - right));
}

function isIdempotentPost(operation: Operation): boolean {
  return (
    operation.method === 'post' && operation.authenticated && operation.path.startsWith('/v1/')
  );
}

function replayedHeaderName(): string {
  return IDEMPOTENT_REPLAYED_HEADER.replace(
    /(^|-)([a-z])/g,
    (_match, dash: string, letter: string) => dash + letter.toUpperCase(),
  );
}

/** Turns the properties of a query schema into OpenAPI query parameters, moving descriptions up to the parameter. */
function queryParameters(schema: z.ZodObject): JsonObject[] {
  const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as {
    properties?: Record<string, JsonObject>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: 'query',
      required: json.required?.includes(name) ?? false,
      ...(typeof description === 'string' ? { description } : {}),
      schema: propertySchema,
    };
  });
}

function describeWebhooks(): JsonObject {
  const webhooks: JsonObject = {};
  for (const type of eventTypes) {
    webhooks[type] = { post: describeWebhook(type) };
  }
  return webhooks;
}

function describeWebhook(type: EventType): JsonObject {
  const definition = catalog[type];
  return {
    operationId: `receive${webhookEventSchemaName(type).replace(/Event$/, '')}Webhook`,
    summary: definition.title,
    description:
      `${definition.description} Sent as a POST to every enabled endpoint subscribed to \`${type}\`, signed with ` +
      "the endpoint's secret. Verify the signature over the raw body before parsing it, and deduplicate on " +
      '`webhook-id`, which stays the same on every retry.',
    tags: ['Webhooks'],
    security: [],
    parameters: [
      {
        name: webhookHeaderNames.id,
        in: 'header',
        required: true,
        description: 'The event id; the same on every attempt, so use it to deduplicate.',
        schema: { type: 'string' },
      },
      {
        name: webhookHeaderNames.timestamp,
        in: 'header',
        required: true,
        description: `Unix seconds when the attempt was signed; reject values more than ${DEFAULT_TOLERANCE_SECONDS} s away.`,
        schema: { type: 'string', pattern: '^[0-9]+$' },
      },
      {
        name: webhookHeaderNames.signature,
        in: 'header',
        required: true,
        description:
          'Space-separated `v1,<base64 HMAC-SHA256>` signatures of `<webhook-id>.<webhook-timestamp>.<body>`; ' +
          'two during a secret rotation.',
        schema: { type: 'string' },
      },
    ],
    requestBody: {
      required: true,
      content: { 'application/json': { schema: schemaRef(webhookEventSchemaName(type)) } },
    },
    responses: {
      '2XX': { description: 'Any 2xx status acknowledges the delivery.' },
      '410': {
        description:
          'Gone: the endpoint is disabled and receives nothing more until enabled again.',
      },
      default: {
        description:
          'Any other status, a redirect or a timeout is a failure, retried on the schedule.',
      },
    },
  };
}

function componentSchemas(): Record<string, JsonObject> {
  const output = z.toJSONSchema(outputSchemas(), {
    io: 'output',
    target: 'draft-2020-12',
    uri: (id) => `#/components/schemas/${id}`,
  }).schemas as Record<string, JsonObject>;
  const input = z.toJSONSchema(inputSchemas(), {
    io: 'input',
    target: 'draft-2020-12',
    uri: (id) => `#/components/schemas/${id}`,
  }).schemas as Record<string, JsonObject>;

  const schemas: Record<string, JsonObject> = {};
  for (const [name, schema] of [...Object.entries(output), ...Object.entries(input)]) {
    if (name === '__shared') {
      // Zod puts a subschema with an id outside the registries here; every such schema must be registered instead.
      throw new Error(
        `OpenAPI schemas reference unregistered ids: ${Object.keys(schema['$defs'] ?? {}).join(', ')}`,
      );
    }
    if (name in schemas) {
      throw new Error(`OpenAPI schema ${name} is both an input and an output schema`);
    }
    const { $schema: _dialect, $id: _id, ...rest } = schema;
    schemas[name] = rest;
  }
  return Object.fromEntries(
    Object.entries(schemas).sort(([left], [right]) => left.localeCompare(right)),
  );
}

function schemaRef(name: string): JsonObject {
  return { $ref: `#/components/schemas/${name}` };
}

function packageVersion(): string {
  // `..` twice reaches the package folder from both src/openapi (tests) and dist/openapi (the built server).
  const text = readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
