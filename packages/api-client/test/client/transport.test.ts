import {
  ApiClient,
  ApiConnectionError,
  ApiError,
  brand,
  parseRetryAfter,
  Transport,
  type ClientOptions,
} from '../../src/index';
import {
  refusedBaseUrl,
  startScriptedServer,
  type ScriptedResponse,
  type ScriptedServer,
} from '../support/scripted-server';

const API_KEY = 'acme_test_5f2c9a7e1b3d4c6e8a0b2d4f6a8c0e2b';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const account = {
  id: 'acct_01KM2Y7D4K6N8Q0S2V4X6Z8B0D',
  name: 'Northwind Traders',
  created_at: '2026-01-12T10:00:00.000Z',
};
const contact = {
  id: 'con_01KP5HAAAQZK4T7MW2XC8VN3PB',
  email: 'grace.hopper@example.org',
  first_name: 'Grace',
  last_name: 'Hopper',
  company: null,
  phone: null,
  tags: [],
  created_at: '2026-04-14T08:21:53.101Z',
  updated_at: '2026-04-14T08:21:53.101Z',
};
const ok = (body: object = account): ScriptedResponse => ({ status: 200, body });
const problem = (status: number, code: string): ScriptedResponse => ({
  status,
  headers: { 'content-type': 'application/problem+json' },
  body: JSON.stringify({
    type: `https://errors.example/${code}`,
    title: code,
    status,
    detail: `detail of ${code}`,
    code,
  }),
});

let server: ScriptedServer | undefined;

async function serve(script: Parameters<typeof startScriptedServer>[0]): Promise<ScriptedServer> {
  server = await startScriptedServer(script);
  return server;
}

function clientFor(
  target: ScriptedServer | string,
  options: Partial<ClientOptions> = {},
): ApiClient {
  const baseUrl = typeof target === 'string' ? target : target.baseUrl;
  return new ApiClient({
    apiKey: API_KEY,
    baseUrl,
    initialBackoffMs: 5,
    maxRetries: 3,
    timeoutMs: 5_000,
    ...options,
  });
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('request', () => {
  test('sends the API key as a bearer token', async () => {
    const target = await serve([ok()]);

    await clientFor(target).account.get();

    expect(target.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  test('sends accept and user-agent headers', async () => {
    const target = await serve([ok()]);

    await clientFor(target, { userAgent: 'zapier-app/1.2.0' }).account.get();

    expect(target.requests[0]?.headers.accept).toBe('application/json');
    expect(target.requests[0]?.headers['user-agent']).toBe(
      `${brand.slug}-api-client/0.1.0 zapier-app/1.2.0`,
    );
  });

  test('adds /v1 once to a base URL with a trailing /v1/', async () => {
    const target = await serve([ok()]);

    await clientFor(`${target.baseUrl}/v1/`).account.get();

    expect(target.requests[0]?.url.pathname).toBe('/v1/account');
  });

  test('builds the query string from the list query', async () => {
    const target = await serve([ok({ data: [], next_cursor: null })]);

    await clientFor(target).contacts.list({
      email: 'ada+crm@example.com',
      limit: 5,
      cursor: 'c 1/2&x=y',
    });
    const url = target.requests[0]?.url;

    expect(url?.pathname).toBe('/v1/contacts');
    expect(url?.searchParams.get('email')).toBe('ada+crm@example.com');
    expect(url?.searchParams.get('limit')).toBe('5');
    expect(url?.searchParams.get('cursor')).toBe('c 1/2&x=y');
    expect(url?.searchParams.get('x')).toBeNull();
  });

  test('leaves out undefined, null and empty query values', async () => {
    const target = await serve([ok({})]);
    const transport = new Transport({ apiKey: API_KEY, baseUrl: target.baseUrl });

    await transport.request({
      method: 'GET',
      path: '/events',
      query: { missing: undefined, nothing: null, empty: '', no: false, zero: 0 },
    });
    const params = target.requests[0]?.url.searchParams;

    expect(params?.has('missing')).toBe(false);
    expect(params?.has('nothing')).toBe(false);
    expect(params?.has('empty')).toBe(false);
    expect(params?.get('no')).toBe('false');
    expect(params?.get('zero')).toBe('0');
  });

  test('encodes ids in the path', async () => {
    const target = await serve([ok(contact)]);

    await clientFor(target).contacts.get('con/../x?y');

    expect(target.requests[0]?.url.pathname).toBe('/v1/contacts/con%2F..%2Fx%3Fy');
    expect(target.requests[0]?.url.search).toBe('');
  });

  test('rejects an empty id before sending', async () => {
    const target = await serve([ok(contact)]);

    await expect(clientFor(target).contacts.get('')).rejects.toThrow(TypeError);
    expect(target.requests).toHaveLength(0);
  });

  test('sends a JSON body with its content type', async () => {
    const target = await serve([{ status: 201, body: contact }]);

    await clientFor(target).contacts.create({
      email: 'grace.hopper@example.org',
      first_name: 'Grace',
    });

    expect(target.requests[0]?.method).toBe('POST');
    expect(target.requests[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(target.requests[0]?.body ?? '')).toEqual({
      email: 'grace.hopper@example.org',
      first_name: 'Grace',
    });
  });
});

describe('response decoding', () => {
  test('resolves with the parsed JSON body', async () => {
    const target = await serve([ok()]);

    await expect(clientFor(target).account.get()).resolves.toEqual(account);
  });

  test('resolves undefined for 204', async () => {
    const target = await serve([{ status: 204 }]);

    await expect(clientFor(target).contacts.delete(contact.id)).resolves.toBeUndefined();
    expect(target.requests[0]?.method).toBe('DELETE');
  });

  test('resolves undefined for an empty 200 body', async () => {
    const target = await serve([{ status: 200, body: '' }]);
    const transport = new Transport({ apiKey: API_KEY, baseUrl: target.baseUrl });

    await expect(transport.request({ method: 'GET', path: '/account' })).resolves.toBeUndefined();
  });

  test('rejects a 2xx body that is not JSON', async () => {
    const target = await serve([
      { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>ok</html>' },
    ]);

    const error = await rejectionOf(clientFor(target).account.get());

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('invalid_response');
    expect((error as ApiError).status).toBe(200);
    expect((error as ApiError).cause).toBeInstanceOf(SyntaxError);
  });

  test('problem+json becomes an ApiError with status, code, field and errors', async () => {
    const errors = [
      {
        field: 'email',
        code: 'invalid_format',
        message: 'Send an email address such as ada@example.com.',
      },
      { field: 'tags.0', code: 'too_long', message: 'Send tags of at most 50 characters.' },
    ];
    const target = await serve([
      {
        status: 422,
        headers: { 'content-type': 'application/problem+json' },
        body: JSON.stringify({
          type: 'https://docs.acmecrm.example/errors/validation_failed',
          title: 'Validation failed',
          status: 422,
          detail: 'email is not a valid email address.',
          code: 'validation_failed',
          field: 'email',
          errors,
          instance: '/v1/contacts',
        }),
      },
    ]);

    const error = await rejectionOf(clientFor(target).contacts.create({ email: 'not-an-email' }));

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(422);
    expect((error as ApiError).code).toBe('validation_failed');
    expect((error as ApiError).field).toBe('email');
    expect((error as ApiError).errors).toEqual(errors);
    expect((error as ApiError).message).toBe('email is not a valid email address.');
    expect((error as ApiError).problem?.instance).toBe('/v1/contacts');
    expect((error as ApiError).name).toBe('ApiError');
  });

  test('non-JSON error body becomes http_<status> with the body excerpt', async () => {
    const target = await serve([
      { status: 404, headers: { 'content-type': 'text/html' }, body: '<h1>No such page</h1>' },
    ]);

    const error = await rejectionOf(clientFor(target).account.get());

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(404);
    expect((error as ApiError).code).toBe('http_404');
    expect((error as ApiError).message).toContain('<h1>No such page</h1>');
    expect((error as ApiError).problem).toBeUndefined();
    expect((error as ApiError).field).toBeUndefined();
    expect((error as ApiError).errors).toEqual([]);
  });

  test('JSON error body without a code becomes http_<status>', async () => {
    const target = await serve([{ status: 400, body: { message: 'bad' } }]);

    const error = await rejectionOf(clientFor(target).account.get());

    expect((error as ApiError).code).toBe('http_400');
    expect((error as ApiError).problem).toBeUndefined();
  });

  test('malformed problem extensions are dropped', async () => {
    const target = await serve([
      { status: 400, body: { code: 'validation_failed', field: 42, errors: 'email' } },
    ]);

    const error = await rejectionOf(clientFor(target).account.get());

    expect((error as ApiError).code).toBe('validation_failed');
    expect((error as ApiError).field).toBeUndefined();
    expect((error as ApiError).errors).toEqual([]);
  });

  test('a redirect is not followed', async () => {
    const target = await serve([{ status: 302, headers: { location: '/v1/elsewhere' } }, ok()]);

    const error = await rejectionOf(clientFor(target).account.get());

    expect((error as ApiError).status).toBe(302);
    expect(target.requests).toHaveLength(1);
  });
});

describe('retries', () => {
  test.each([[500], [502], [503], [504], [507], [429]])(
    'retries %i then resolves',
    async (status) => {
      const target = await serve([{ status }, ok()]);

      await expect(clientFor(target).account.get()).resolves.toEqual(account);
      expect(target.requests).toHaveLength(2);
    },
  );

  test('retries a dropped connection then resolves', async () => {
    const target = await serve([{ action: 'destroy' }, ok()]);

    await expect(clientFor(target).account.get()).resolves.toEqual(account);
    expect(target.requests).toHaveLength(2);
  });

  test('retries a connection dropped in the middle of the body', async () => {
    const target = await serve([{ action: 'destroy-mid-body' }, ok()]);

    await expect(clientFor(target).account.get()).resolves.toEqual(account);
    expect(target.requests).toHaveLength(2);
  });

  test.each([[400], [401], [403], [404], [409], [410], [422]])(
    'does not retry %i',
    async (status) => {
      const target = await serve([problem(status, 'not_retried'), ok()]);

      const error = await rejectionOf(clientFor(target).account.get());

      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(status);
      expect(target.requests).toHaveLength(1);
    },
  );

  test('exhausted maxRetries reject with the last ApiError', async () => {
    const target = await serve([
      problem(503, 'first_failure'),
      problem(502, 'second_failure'),
      {
        ...problem(503, 'third_failure'),
        headers: { 'content-type': 'application/problem+json', 'retry-after': '0' },
      },
      ok(),
    ]);

    const error = await rejectionOf(clientFor(target, { maxRetries: 2 }).account.get());

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(503);
    expect((error as ApiError).code).toBe('third_failure');
    expect((error as ApiError).retryAfterSeconds).toBe(0);
    expect(target.requests).toHaveLength(3);
  });

  test('maxRetries 0 sends one request', async () => {
    const target = await serve([{ status: 503 }, ok()]);

    const error = await rejectionOf(clientFor(target, { maxRetries: 0 }).account.get());

    expect((error as ApiError).status).toBe(503);
    expect(target.requests).toHaveLength(1);
  });

  test('429 waits at least Retry-After seconds', async () => {
    const target = await serve([{ status: 429, headers: { 'retry-after': '1' } }, ok()]);

    await clientFor(target, { initialBackoffMs: 1 }).account.get();
    const [first, second] = target.requests;
    const gapMs = (second?.receivedAt ?? 0) - (first?.receivedAt ?? 0);

    expect(target.requests).toHaveLength(2);
    // Timers may fire a few ms early against performance.now(); 25 ms of tolerance covers that, nothing more.
    expect(gapMs).toBeGreaterThanOrEqual(1_000 - 25);
  });

  test('Retry-After above maxBackoffMs is capped', async () => {
    const target = await serve([{ status: 503, headers: { 'retry-after': '3600' } }, ok()]);

    await expect(clientFor(target, { maxBackoffMs: 10 }).account.get()).resolves.toEqual(account);
    expect(target.requests).toHaveLength(2);
  });

  test('an abort during the backoff rejects without another request', async () => {
    const controller = new AbortController();
    const target = await serve((_request, index) => {
      if (index === 0) {
        setTimeout(() => controller.abort(), 20);
      }
      return { status: 503, headers: { 'retry-after': '30' } };
    });

    const error = await rejectionOf(clientFor(target).account.get({ signal: controller.signal }));

    expect((error as Error).name).toBe('AbortError');
    expect(target.requests).toHaveLength(1);
  });

  test('an aborted signal sends nothing', async () => {
    const target = await serve([ok()]);

    await expect(clientFor(target).account.get({ signal: AbortSignal.abort() })).rejects.toThrow();
    expect(target.requests).toHaveLength(0);
  });
});

describe('idempotency keys', () => {
  test('a POST reuses one key on every retry', async () => {
    const target = await serve([
      { status: 503 },
      { action: 'destroy' },
      { status: 201, body: contact },
    ]);

    await clientFor(target).contacts.create({ email: contact.email });
    const keys = target.requests.map((request) => request.headers['idempotency-key']);

    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(UUID);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).toBe(keys[0]);
  });

  test('each POST call gets a fresh key', async () => {
    const target = await serve([
      { status: 201, body: contact },
      { status: 201, body: contact },
    ]);
    const client = clientFor(target);

    await client.contacts.create({ email: contact.email });
    await client.contacts.create({ email: 'second@example.org' });
    const [first, second] = target.requests.map((request) => request.headers['idempotency-key']);

    expect(first).toMatch(UUID);
    expect(second).toMatch(UUID);
    expect(second).not.toBe(first);
  });

  test('a caller-supplied key is sent on every retry', async () => {
    const target = await serve([{ status: 500 }, { status: 201, body: contact }]);

    await clientFor(target).contacts.create(
      { email: contact.email },
      { idempotencyKey: 'import-2026-04-14-row-17' },
    );

    expect(target.requests[0]?.headers['idempotency-key']).toBe('import-2026-04-14-row-17');
    expect(target.requests[1]?.headers['idempotency-key']).toBe('import-2026-04-14-row-17');
  });

  test('GET, PATCH and DELETE carry no key', async () => {
    const target = await serve([ok(contact), ok(contact), { status: 204 }]);
    const client = clientFor(target);

    await client.contacts.get(contact.id);
    await client.contacts.update(contact.id, { company: 'Remington Rand' });
    await client.contacts.delete(contact.id);

    expect(target.requests.map((request) => request.method)).toEqual(['GET', 'PATCH', 'DELETE']);
    for (const request of target.requests) {
      expect(request.headers['idempotency-key']).toBeUndefined();
    }
  });
});

describe('connection errors', () => {
  test('refused connection rejects with ApiConnectionError', async () => {
    const error = await rejectionOf(
      clientFor(await refusedBaseUrl(), { maxRetries: 1 }).account.get(),
    );

    expect(error).toBeInstanceOf(ApiConnectionError);
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect((error as Error).cause).toBeDefined();
  });

  test('timeoutMs rejects with ApiConnectionError', async () => {
    const target = await serve([{ action: 'hang' }]);

    const error = await rejectionOf(
      clientFor(target, { timeoutMs: 100, maxRetries: 0 }).account.get(),
    );

    expect(error).toBeInstanceOf(ApiConnectionError);
    expect((error as Error).message).toContain('timed out after 100 ms');
    expect(target.requests).toHaveLength(1);
  });

  test('a timeout is retried', async () => {
    const target = await serve([{ action: 'hang' }, ok()]);

    await expect(clientFor(target, { timeoutMs: 100 }).account.get()).resolves.toEqual(account);
    expect(target.requests).toHaveLength(2);
  });

  test('dropped connections on every try reject with ApiConnectionError', async () => {
    const target = await serve([
      { action: 'destroy' },
      { action: 'destroy' },
      { action: 'destroy-mid-body' },
    ]);

    const error = await rejectionOf(clientFor(target, { maxRetries: 2 }).account.get());

    expect(error).toBeInstanceOf(ApiConnectionError);
    expect(target.requests).toHaveLength(3);
  });

  test('the error message never contains the API key', async () => {
    const error = await rejectionOf(
      clientFor(await refusedBaseUrl(), { maxRetries: 0 }).account.get(),
    );

    expect((error as Error).message).not.toContain(API_KEY);
  });
});

describe('client options', () => {
  test('rejects an empty API key', () => {
    expect(() => new ApiClient({ apiKey: '' })).toThrow(TypeError);
  });

  test.each([
    [{ maxRetries: -1 }],
    [{ maxRetries: 1.5 }],
    [{ timeoutMs: 0 }],
    [{ initialBackoffMs: -5 }],
    [{ maxBackoffMs: Number.NaN }],
  ])('rejects %p', (options) => {
    expect(() => new ApiClient({ apiKey: API_KEY, ...options })).toThrow(RangeError);
  });
});

describe('parseRetryAfter', () => {
  test('reads delay seconds', () => {
    expect(parseRetryAfter('1')).toBe(1);
    expect(parseRetryAfter(' 120 ')).toBe(120);
    expect(parseRetryAfter('0')).toBe(0);
  });

  test('reads an HTTP date as seconds from now', () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();

    // toUTCString drops the milliseconds, so the result is 9 or 10.
    expect(parseRetryAfter(inTenSeconds)).toBeGreaterThanOrEqual(9);
    expect(parseRetryAfter(inTenSeconds)).toBeLessThanOrEqual(10);
  });

  test('reads a past HTTP date as zero', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT')).toBe(0);
  });

  test('returns undefined when absent or unreadable', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
