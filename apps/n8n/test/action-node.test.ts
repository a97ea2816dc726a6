import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';

import { ApiError, paginate, type Contact } from '@app/api-client';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { AcmeCrm } from '../nodes/AcmeCrm/AcmeCrm.node';
import { createExecuteContext, makeNode } from './support/contexts';
import type { SentRequest } from './support/n8n-http';
import { startReferenceServer, type ReferenceServer } from './support/reference-server';

let server: ReferenceServer;

beforeAll(async () => {
  server = await startReferenceServer();
});

afterAll(async () => {
  await server.close();
});

interface RunOptions {
  continueOnFail?: boolean;
  credentials?: { apiKey: string; baseUrl: string };
  sent?: SentRequest[];
}

/** Runs the action node once, with one input item per parameter set. */
async function run(
  parameterSets: IDataObject[],
  options: RunOptions = {},
): Promise<INodeExecutionData[]> {
  const context = createExecuteContext({
    node: makeNode('Acme CRM', 'acmeCrm'),
    credentials: options.credentials ?? { apiKey: server.apiKey, baseUrl: server.url },
    items: parameterSets.map(() => ({ json: {} })),
    parametersOf: (itemIndex) => parameterSets[itemIndex] ?? {},
    continueOnFail: options.continueOnFail,
    sent: options.sent,
  });
  const [output] = await new AcmeCrm().execute.call(context);
  return output ?? [];
}

async function runOne(parameters: IDataObject, options: RunOptions = {}): Promise<IDataObject[]> {
  return (await run([parameters], options)).map((item) => item.json);
}

async function failure(parameters: IDataObject, options: RunOptions = {}): Promise<unknown> {
  return await run([parameters], options).then(
    () => {
      throw new Error('the node succeeded');
    },
    (error: unknown) => error,
  );
}

function uniqueEmail(): string {
  return `grace.${randomBytes(4).toString('hex')}@example.com`;
}

async function createContact(email = uniqueEmail()): Promise<Contact> {
  return await server.client.contacts.create({ email, company: 'Analytical Engines Ltd' });
}

/** Sends the same request directly and returns the server's problem document, to compare messages with. */
async function problemOf(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ detail: string; code: string }> {
  const response = await fetch(`${server.url}/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.apiKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as { detail: string; code: string };
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('contact operations', () => {
  test('create returns the new contact', async () => {
    const email = uniqueEmail();
    const sent: SentRequest[] = [];

    const output = await run(
      [
        {
          resource: 'contact',
          operation: 'create',
          email: ` ${email} `,
          additionalFields: {
            firstName: 'Grace',
            lastName: 'Hopper',
            company: 'Eckert-Mauchly',
            phone: '+1 202 555 0147',
            tags: 'vip, , newsletter',
          },
        },
      ],
      { sent },
    );

    expect(output).toHaveLength(1);
    expect(output[0]?.pairedItem).toEqual({ item: 0 });
    expect(output[0]?.json).toMatchObject({
      email,
      first_name: 'Grace',
      last_name: 'Hopper',
      company: 'Eckert-Mauchly',
      phone: '+1 202 555 0147',
      tags: ['vip', 'newsletter'],
    });
    const stored = await server.client.contacts.get(output[0]?.json['id'] as string);
    expect(output[0]?.json).toEqual(stored);
    expect(sent[0]?.headers['authorization']).toBe(`Bearer ${server.apiKey}`);
    expect(sent[0]?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('get returns the contact', async () => {
    const contact = await createContact();

    const output = await runOne({ resource: 'contact', operation: 'get', contactId: contact.id });

    expect(output).toEqual([contact]);
  });

  test('update changes and clears fields', async () => {
    const contact = await createContact();

    const [updated] = await runOne({
      resource: 'contact',
      operation: 'update',
      contactId: contact.id,
      updateFields: { firstName: 'Augusta', company: '', tags: 'analyst' },
    });

    expect(updated).toMatchObject({
      id: contact.id,
      first_name: 'Augusta',
      company: null,
      tags: ['analyst'],
    });
    expect(await server.client.contacts.get(contact.id)).toEqual(updated);
  });

  test('update without fields is rejected', async () => {
    const contact = await createContact();

    const error = await failure({
      resource: 'contact',
      operation: 'update',
      contactId: contact.id,
      updateFields: {},
    });

    expect(error).toBeInstanceOf(NodeOperationError);
    expect((error as NodeOperationError).message).toBe('Add at least one field to Update Fields');
  });

  test('delete removes the contact', async () => {
    const contact = await createContact();

    const output = await runOne({
      resource: 'contact',
      operation: 'delete',
      contactId: contact.id,
    });

    expect(output).toEqual([{ id: contact.id, deleted: true }]);
    const lookup = await server.client.contacts.get(contact.id).catch((error: unknown) => error);
    expect(lookup).toBeInstanceOf(ApiError);
    expect((lookup as ApiError).status).toBe(404);
  });

  test('find by email returns the match', async () => {
    const contact = await createContact();

    const output = await runOne({
      resource: 'contact',
      operation: 'findByEmail',
      email: contact.email,
    });

    expect(output).toEqual([contact]);
  });

  test('find by email without match outputs nothing', async () => {
    const output = await runOne({
      resource: 'contact',
      operation: 'findByEmail',
      email: uniqueEmail(),
    });

    expect(output).toEqual([]);
  });

  test('get many stops at the limit', async () => {
    await createContact();
    await createContact();
    await createContact();
    const sent: SentRequest[] = [];

    const output = await runOne(
      { resource: 'contact', operation: 'getAll', returnAll: false, limit: 2 },
      { sent },
    );

    expect(output).toHaveLength(2);
    expect(sent).toHaveLength(1);
    expect(new URL(sent[0]!.url).searchParams.get('limit')).toBe('2');
  });

  test('get many follows the cursor', async () => {
    // More contacts than one page of 100 holds, so Return All needs a second request.
    for (let index = 0; index < 101; index += 1) {
      await createContact();
    }
    const expected: Contact[] = [];
    for await (const contact of paginate((query) => server.client.contacts.list(query), {
      limit: 100,
    })) {
      expected.push(contact);
    }
    const sent: SentRequest[] = [];

    const output = await runOne(
      { resource: 'contact', operation: 'getAll', returnAll: true },
      { sent },
    );

    expect(output).toEqual(expected);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(new URL(sent[0]!.url).searchParams.get('cursor')).toBeNull();
    expect(new URL(sent[1]!.url).searchParams.get('cursor')).not.toBeNull();
  });

  test('get many filters by email', async () => {
    const contact = await createContact();

    const output = await runOne({
      resource: 'contact',
      operation: 'getAll',
      returnAll: true,
      filters: { email: contact.email },
    });

    expect(output).toEqual([contact]);
  });
});

describe('API errors', () => {
  test('duplicate email carries the conflict', async () => {
    const contact = await createContact();
    const problem = await problemOf('POST', '/contacts', { email: contact.email });

    const error = await failure({ resource: 'contact', operation: 'create', email: contact.email });

    expect(error).toBeInstanceOf(NodeApiError);
    expect((error as NodeApiError).httpCode).toBe('409');
    expect((error as NodeApiError).message).toBe(problem.detail);
    expect((error as NodeApiError).context['code']).toBe('conflict');
  });

  test('invalid email carries the field', async () => {
    const problem = await problemOf('POST', '/contacts', { email: 'not-an-email' });

    const error = await failure({
      resource: 'contact',
      operation: 'create',
      email: 'not-an-email',
    });

    expect(error).toBeInstanceOf(NodeApiError);
    expect((error as NodeApiError).httpCode).toBe('422');
    expect((error as NodeApiError).message).toBe(problem.detail);
    expect((error as NodeApiError).context['field']).toBe('email');
    expect((error as NodeApiError).description).toContain(
      'Field: email. Error code: validation_failed.',
    );
    expect((error as NodeApiError).context['itemIndex']).toBe(0);
  });

  test('unknown contact raises 404', async () => {
    const error = await failure({
      resource: 'contact',
      operation: 'get',
      contactId: 'con_missing',
    });

    expect(error).toBeInstanceOf(NodeApiError);
    expect((error as NodeApiError).httpCode).toBe('404');
    expect((error as NodeApiError).context['code']).toBe('not_found');
  });

  test('continue on fail outputs error items', async () => {
    const email = uniqueEmail();

    const output = await run(
      [
        { resource: 'contact', operation: 'create', email: 'not-an-email' },
        { resource: 'contact', operation: 'create', email },
      ],
      { continueOnFail: true },
    );

    expect(output).toHaveLength(2);
    expect(output[0]?.pairedItem).toEqual({ item: 0 });
    expect(output[0]?.json).toMatchObject({
      httpCode: '422',
      code: 'validation_failed',
      field: 'email',
    });
    expect(output[0]?.json['error']).toEqual(expect.any(String));
    expect(output[1]?.pairedItem).toEqual({ item: 1 });
    expect(output[1]?.json).toMatchObject({ email });
  });

  test('wrong API key raises 401', async () => {
    const error = await failure(
      { resource: 'contact', operation: 'findByEmail', email: uniqueEmail() },
      { credentials: { apiKey: 'acme_test_revoked_key_0000000000000000', baseUrl: server.url } },
    );

    expect(error).toBeInstanceOf(NodeApiError);
    expect((error as NodeApiError).httpCode).toBe('401');
    expect((error as NodeApiError).context['code']).toBe('unauthorized');
  });

  test('unreachable base URL names the URL', async () => {
    const port = await closedPort();

    const error = await failure(
      { resource: 'contact', operation: 'get', contactId: 'con_1' },
      { credentials: { apiKey: server.apiKey, baseUrl: `http://127.0.0.1:${port}` } },
    );

    expect(error).toBeInstanceOf(NodeApiError);
    expect((error as NodeApiError).message).toBe(
      `Could not reach the Acme CRM API at http://127.0.0.1:${port}/v1/contacts/con_1`,
    );
    expect((error as NodeApiError).description).toContain('ECONNREFUSED');
  });

  test('base URL with /v1 suffix works', async () => {
    const contact = await createContact();

    const output = await runOne(
      { resource: 'contact', operation: 'get', contactId: contact.id },
      { credentials: { apiKey: server.apiKey, baseUrl: `${server.url}/v1/` } },
    );

    expect(output).toEqual([contact]);
  });

  test('invalid base URL is rejected', async () => {
    const error = await failure(
      { resource: 'contact', operation: 'get', contactId: 'con_1' },
      { credentials: { apiKey: server.apiKey, baseUrl: 'api.acmecrm.example' } },
    );

    expect(error).toBeInstanceOf(NodeOperationError);
    expect((error as NodeOperationError).message).toContain('is not a valid URL');
  });
});

describe('event publish', () => {
  test('publish returns the stored event', async () => {
    const email = uniqueEmail();
    const data = {
      id: 'con_01JD3Q8Z5V6Y7K2M4N8P0R1S3T',
      email,
      deleted_at: '2026-03-09T11:02:45.330Z',
    };

    const [event] = await runOne({
      resource: 'event',
      operation: 'publish',
      eventType: 'contact.deleted',
      data: JSON.stringify(data),
    });

    expect(event).toMatchObject({ event_type: 'contact.deleted', data });
    expect(await server.client.events.get(event?.['event_id'] as string)).toEqual(event);
  });

  test('publish accepts an object from an expression', async () => {
    const data = {
      id: 'con_01JD3Q8Z5V6Y7K2M4N8P0R1S3T',
      email: uniqueEmail(),
      deleted_at: '2026-03-09T11:02:45.330Z',
    };

    const [event] = await runOne({
      resource: 'event',
      operation: 'publish',
      eventType: 'contact.deleted',
      data,
    });

    expect(event).toMatchObject({ event_type: 'contact.deleted', data });
  });

  test('idempotency key returns the first event', async () => {
    const parameters = {
      resource: 'event',
      operation: 'publish',
      eventType: 'contact.deleted',
      data: {
        id: 'con_01JD3Q8Z5V6Y7K2M4N8P0R1S3T',
        email: uniqueEmail(),
        deleted_at: '2026-03-09T11:02:45.330Z',
      },
      options: { idempotencyKey: `publish-${randomBytes(4).toString('hex')}` },
    };

    const [first] = await runOne(parameters);
    const [second] = await runOne(parameters);

    expect(second?.['event_id']).toBe(first?.['event_id']);
  });

  test('invalid data carries the server field', async () => {
    const problem = await problemOf('POST', '/events', {
      event_type: 'invoice.paid',
      data: { id: 'inv_1' },
    });

    const error = await failure({
      resource: 'event',
      operation: 'publish',
      eventType: 'invoice.paid',
      data: '{"id": "inv_1"}',
    });

    expect(error).toBeInstanceOf(NodeApiError);
    expect((error as NodeApiError).message).toBe(problem.detail);
    expect((error as NodeApiError).context['code']).toBe(problem.code);
    expect(String((error as NodeApiError).context['field'])).toMatch(/^data/);
  });

  test('malformed JSON is rejected before sending', async () => {
    const sent: SentRequest[] = [];

    const error = await failure(
      { resource: 'event', operation: 'publish', eventType: 'contact.created', data: '{"email": ' },
      { sent },
    );

    expect(error).toBeInstanceOf(NodeOperationError);
    expect((error as NodeOperationError).message).toBe('Data is not valid JSON');
    expect(sent).toHaveLength(0);
  });

  test('array data is rejected', async () => {
    const error = await failure({
      resource: 'event',
      operation: 'publish',
      eventType: 'contact.created',
      data: '[]',
    });

    expect(error).toBeInstanceOf(NodeOperationError);
    expect((error as NodeOperationError).message).toBe('Data must be a JSON object');
  });
});
