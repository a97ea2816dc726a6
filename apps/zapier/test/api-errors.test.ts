import App from '../src/index';
import { appErrorOf, rejectionOf, run } from './support/app-tester';
import { api, authData, useNock } from './support/nock-api';

useNock();

const problemHeaders = { 'content-type': 'application/problem+json' };

function createContact(): Promise<unknown> {
  return run(App.creates.create_contact.operation.perform, {
    authData,
    inputData: { email: 'ada@example.com' },
  });
}

describe('API error mapping', () => {
  test('401 asks the user to reconnect', async () => {
    api().post('/v1/contacts').reply(
      401,
      {
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: 'Unknown API key.',
        code: 'unauthorized',
      },
      problemHeaders,
    );

    const error = await rejectionOf(createContact());

    expect(error.name).toBe('ExpiredAuthError');
    expect(error.message).toMatch(/Reconnect your Acme CRM account/);
  });

  test('422 names the field and the reason', async () => {
    api()
      .post('/v1/contacts')
      .reply(
        422,
        {
          type: 'about:blank',
          title: 'Validation failed',
          status: 422,
          detail: 'email: Invalid email address',
          code: 'validation_failed',
          field: 'email',
          errors: [{ field: 'email', code: 'invalid_format', message: 'Invalid email address' }],
        },
        problemHeaders,
      );

    const error = appErrorOf(await rejectionOf(createContact()));

    expect(error.message).toBe('Invalid field "email": Invalid email address.');
    expect(error.code).toBe('validation_failed');
    expect(error.status).toBe(422);
  });

  test('422 lists every invalid field', async () => {
    api()
      .post('/v1/contacts')
      .reply(
        422,
        {
          type: 'about:blank',
          title: 'Validation failed',
          status: 422,
          detail: 'The request body is invalid.',
          code: 'validation_failed',
          field: 'email',
          errors: [
            { field: 'email', code: 'invalid_format', message: 'Invalid email address.' },
            { field: 'tags', code: 'too_big', message: 'At most 20 tags are allowed' },
          ],
        },
        problemHeaders,
      );

    const error = appErrorOf(await rejectionOf(createContact()));

    expect(error.message).toBe(
      'Invalid field "email": Invalid email address. Invalid field "tags": At most 20 tags are allowed.',
    );
  });

  test('422 with only a field uses the detail', async () => {
    api().post('/v1/contacts').reply(
      422,
      {
        type: 'about:blank',
        title: 'Validation failed',
        status: 422,
        detail: 'Enter a valid email address',
        code: 'validation_failed',
        field: 'email',
      },
      problemHeaders,
    );

    const error = appErrorOf(await rejectionOf(createContact()));

    expect(error.message).toBe('Invalid field "email": Enter a valid email address.');
  });

  test('429 throttles with the server delay', async () => {
    api()
      .post('/v1/contacts')
      .reply(
        429,
        {
          type: 'about:blank',
          title: 'Too Many Requests',
          status: 429,
          detail: 'Rate limit of 10 requests per second exceeded.',
          code: 'rate_limited',
        },
        { ...problemHeaders, 'retry-after': '30' },
      );

    const error = await rejectionOf(createContact());
    const payload = JSON.parse(error.message) as { message: string; delay: number };

    expect(error.name).toBe('ThrottledError');
    expect(payload.delay).toBe(30);
    expect(payload.message).toBe('Rate limit of 10 requests per second exceeded.');
  });

  test('409 keeps the server message', async () => {
    api().post('/v1/contacts').reply(
      409,
      {
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        detail: 'A contact with email ada@example.com already exists.',
        code: 'conflict',
      },
      problemHeaders,
    );

    const error = appErrorOf(await rejectionOf(createContact()));

    expect(error).toEqual({
      message: 'A contact with email ada@example.com already exists.',
      code: 'conflict',
      status: 409,
    });
  });

  test('non-JSON error bodies are quoted', async () => {
    api()
      .post('/v1/contacts')
      .reply(502, '<html>Bad Gateway</html>', { 'content-type': 'text/html' });

    const error = appErrorOf(await rejectionOf(createContact()));

    expect(error.message).toBe('Acme CRM returned HTTP 502: <html>Bad Gateway</html>');
    expect(error.code).toBe('http_502');
  });
});
