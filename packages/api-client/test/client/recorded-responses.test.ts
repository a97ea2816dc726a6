// Replays responses recorded from the reference server (test-fixtures/responses) to the typed client, so a change
// in what the server sends shows up here once the recordings are renewed.
import { z } from 'zod';

import {
  accountSchema,
  ApiClient,
  ApiError,
  contactSchema,
  deliverySchema,
  endpointSchema,
  endpointWithSecretSchema,
  eventEnvelopeSchema,
  eventTypeDescriptionSchema,
  listSchema,
  problemSchema,
  type EventType,
  type RequestOptions,
} from '../../src/index';
import {
  loadRecordedResponse,
  recordedResponseNames,
  type RecordedResponse,
} from '../support/fixtures';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server';

const API_KEY = 'acme_test_7b1e0c9d8a7f6e5d4c3b2a1f0e9d8c7b';

/** One client call served by a recording, and the schema of the value the call resolves with. */
interface SuccessCase {
  call(client: ApiClient, recording: RecordedResponse, options: RequestOptions): Promise<unknown>;
  /** Turns the recorded body into what the method resolves with (`eventTypes.list` unwraps `data`). */
  expected?(body: unknown): unknown;
  schema: z.ZodType;
}

// Returns the id in `/v1/<resource>/<id>[/...]`.
function pathId(recording: RecordedResponse): string {
  const id = recording.request.path.split('?')[0]?.split('/')[3];
  if (!id) {
    throw new Error(`recorded path ${recording.request.path} has no id`);
  }
  return id;
}

function queryParam(recording: RecordedResponse, name: string): string {
  const value = new URL(recording.request.path, 'http://127.0.0.1').searchParams.get(name);
  if (value === null) {
    throw new Error(`recorded path ${recording.request.path} has no ${name} parameter`);
  }
  return value;
}

function requestBody<T>(recording: RecordedResponse): T {
  return recording.request.body as T;
}

const successCases: Record<string, SuccessCase> = {
  'account-get': { call: (c, _r, o) => c.account.get(o), schema: accountSchema },
  'event-types-list': {
    call: (c, _r, o) => c.eventTypes.list(o),
    expected: (body) => (body as { data: unknown[] }).data,
    schema: z.array(eventTypeDescriptionSchema),
  },
  'contacts-create': {
    call: (c, r, o) => c.contacts.create(requestBody(r), o),
    schema: contactSchema,
  },
  'contacts-create-replayed': {
    call: (c, r, o) => c.contacts.create(requestBody(r), o),
    schema: contactSchema,
  },
  'contacts-get': { call: (c, r, o) => c.contacts.get(pathId(r), o), schema: contactSchema },
  'contacts-list': {
    call: (c, r, o) => c.contacts.list({ email: queryParam(r, 'email') }, o),
    schema: listSchema(contactSchema),
  },
  'contacts-update': {
    call: (c, r, o) => c.contacts.update(pathId(r), requestBody(r), o),
    schema: contactSchema,
  },
  'contacts-delete': { call: (c, r, o) => c.contacts.delete(pathId(r), o), schema: z.undefined() },
  'events-publish': {
    call: (c, r, o) => c.events.publish(requestBody(r), o),
    schema: eventEnvelopeSchema,
  },
  'events-list': {
    call: (c, r, o) => c.events.list({ limit: Number(queryParam(r, 'limit')) }, o),
    schema: listSchema(eventEnvelopeSchema),
  },
  'events-get': { call: (c, r, o) => c.events.get(pathId(r), o), schema: eventEnvelopeSchema },
  'endpoints-create': {
    call: (c, r, o) => c.endpoints.create(requestBody(r), o),
    schema: endpointWithSecretSchema,
  },
  'endpoints-list': {
    call: (c, _r, o) => c.endpoints.list({}, o),
    schema: listSchema(endpointSchema),
  },
  'endpoints-get': { call: (c, r, o) => c.endpoints.get(pathId(r), o), schema: endpointSchema },
  'endpoints-update': {
    call: (c, r, o) => c.endpoints.update(pathId(r), requestBody(r), o),
    schema: endpointSchema,
  },
  'endpoints-test': {
    call: (c, r, o) =>
      c.endpoints.sendTest(pathId(r), requestBody<{ event_type: EventType }>(r).event_type, o),
    schema: deliverySchema,
  },
  'endpoints-rotate-secret': {
    call: (c, r, o) => c.endpoints.rotateSecret(pathId(r), o),
    schema: endpointWithSecretSchema,
  },
  'endpoints-get-secret': {
    call: (c, r, o) => c.endpoints.getSecret(pathId(r), o),
    expected: (body) => (body as { secret: string }).secret,
    schema: z.string().startsWith('whsec_'),
  },
  'endpoints-delete': {
    call: (c, r, o) => c.endpoints.delete(pathId(r), o),
    schema: z.undefined(),
  },
  'deliveries-get': { call: (c, r, o) => c.deliveries.get(pathId(r), o), schema: deliverySchema },
  'deliveries-list': {
    call: (c, r, o) => c.deliveries.list({ endpoint_id: queryParam(r, 'endpoint_id') }, o),
    schema: listSchema(deliverySchema),
  },
};

/** Client calls whose recorded response is a problem document. */
const problemCases: Record<
  string,
  (client: ApiClient, recording: RecordedResponse) => Promise<unknown>
> = {
  'account-get-missing-api-key': (c) => c.account.get(),
  'contacts-create-duplicate-email': (c, r) => c.contacts.create(requestBody(r)),
  'contacts-create-invalid-email': (c, r) => c.contacts.create(requestBody(r)),
  'contacts-get-unknown-id': (c, r) => c.contacts.get(pathId(r)),
  'endpoints-delete-again': (c, r) => c.endpoints.delete(pathId(r)),
};

let server: ScriptedServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

// Serves `recording` once on a local server and returns a client pointed at it.
async function serve(recording: RecordedResponse): Promise<ApiClient> {
  server = await startScriptedServer([
    {
      status: recording.status,
      headers: recording.headers,
      ...(recording.body === null ? {} : { body: JSON.stringify(recording.body) }),
    },
  ]);
  return new ApiClient({ apiKey: API_KEY, baseUrl: server.baseUrl, maxRetries: 0 });
}

function sentRequest(): { method: string; path: string; body: unknown; idempotencyKey: unknown } {
  const request = server?.requests[0];
  if (request === undefined) {
    throw new Error('the client sent no request');
  }
  return {
    method: request.method,
    path: `${request.url.pathname}${request.url.search}`,
    body: request.body === '' ? undefined : JSON.parse(request.body),
    idempotencyKey: request.headers['idempotency-key'],
  };
}

describe('recorded responses', () => {
  test('every recording has a client call', () => {
    const covered = [...Object.keys(successCases), ...Object.keys(problemCases)].sort();

    expect(covered).toEqual(recordedResponseNames());
  });

  describe.each(Object.keys(successCases))('%s', (name) => {
    const recording = loadRecordedResponse(name);
    const testCase = successCases[name] as SuccessCase;
    const options: RequestOptions = {
      ...(recording.request.headers?.['idempotency-key'] === undefined
        ? {}
        : { idempotencyKey: recording.request.headers['idempotency-key'] }),
    };

    test('client sends the recorded request', async () => {
      const client = await serve(recording);

      await testCase.call(client, recording, options);
      const sent = sentRequest();

      expect(sent.method).toBe(recording.request.method);
      expect(sent.path).toBe(recording.request.path);
      expect(sent.body).toEqual(recording.request.body);
      if (options.idempotencyKey !== undefined) {
        expect(sent.idempotencyKey).toBe(options.idempotencyKey);
      }
    });

    test('client decodes the recorded body', async () => {
      const client = await serve(recording);

      const decoded = await testCase.call(client, recording, options);
      const expected =
        testCase.expected === undefined
          ? (recording.body ?? undefined)
          : testCase.expected(recording.body);

      expect(decoded).toEqual(expected);
      expect(testCase.schema.safeParse(decoded).error?.issues).toBeUndefined();
    });
  });

  describe.each(Object.keys(problemCases))('%s', (name) => {
    const recording = loadRecordedResponse(name);
    const call = problemCases[name] as (typeof problemCases)[string];
    const problem = problemSchema.parse(recording.body);

    test('client rejects with the recorded problem as ApiError', async () => {
      const client = await serve(recording);

      const error: unknown = await call(client, recording).then(
        () => undefined,
        (reason: unknown) => reason,
      );

      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(recording.status);
      expect((error as ApiError).code).toBe(problem.code);
      expect((error as ApiError).field).toBe(problem.field);
      expect((error as ApiError).errors).toEqual(problem.errors ?? []);
      expect((error as ApiError).message).toBe(problem.detail);
      expect((error as ApiError).problem).toEqual(recording.body);
    });

    test('client sends the recorded request', async () => {
      const client = await serve(recording);

      await call(client, recording).catch(() => undefined);
      const sent = sentRequest();

      expect(sent.method).toBe(recording.request.method);
      expect(sent.path).toBe(recording.request.path);
      expect(sent.body).toEqual(recording.request.body);
    });
  });
});
