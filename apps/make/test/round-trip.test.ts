import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  ApiClient,
  ApiError,
  catalog,
  eventTypes,
  isEventType,
  sampleEvent,
  verify,
} from '@app/api-client';
import { startServer, type RunningServer } from '@app/webhook-server';

import { readAppDirectory } from '../src/app-directory';
import { APP_DIR } from '../src/paths';
import type { ParsedApp, ParsedWebhook } from '../src/validation/parsed-app';
import type { RequestSpec } from '../src/validation/request-schema';
import { parseApp } from './support/app-files';
import {
  MakeError,
  runRequest,
  runWebhookCommunication,
  type RunResult,
} from './support/make-runner';
import { WebhookReceiver } from './support/receiver';

/**
 * Runs the committed Make app against the real reference server: the connection check, attach and detach of every
 * webhook with a signed delivery in between, each action, the RPC and the paginated search. Requests are rendered
 * from the generated files by the test evaluator; nothing is mocked.
 */

let server: RunningServer;
let client: ApiClient;
let app: ParsedApp;
let dataDirectory: string;
const receiver = new WebhookReceiver();
const apiKey = `acme_test_${randomBytes(16).toString('hex')}`;

/** The connection as Make stores it after the user filled in the form. */
let connection: { apiKey: string; baseUrl: string };

/** What attach stored per webhook id, as Make keeps it for detach. */
const attached = new Map<string, { endpointId: string; secret: string }>();

beforeAll(async () => {
  dataDirectory = mkdtempSync(join(tmpdir(), 'make-round-trip-'));
  server = await startServer({
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(dataDirectory, 'round-trip.db')}`,
      SEED_API_KEY: apiKey,
      RETRY_SCHEDULE: '1s,2s',
      ALLOW_PRIVATE_URLS: 'true',
      LOG_LEVEL: 'silent',
    },
  });
  await receiver.start();

  client = new ApiClient({ apiKey, baseUrl: server.url, maxRetries: 0 });
  connection = { apiKey, baseUrl: server.url };
  app = parseApp(readAppDirectory(APP_DIR));
});

afterAll(async () => {
  await server?.close();
  await receiver.close();
  rmSync(dataDirectory, { recursive: true, force: true });
});

function moduleRequest(id: string): RequestSpec {
  const communication = app.modules.get(id)?.communication?.value;
  if (!communication || Array.isArray(communication)) {
    throw new Error(`module ${id} has no single-request communication`);
  }
  return communication;
}

function runModule(id: string, parameters: Record<string, unknown>): Promise<RunResult> {
  return runRequest(moduleRequest(id), {
    base: app.base.value,
    context: { parameters, connection },
  });
}

async function runModuleBundle(
  id: string,
  parameters: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const result = await runModule(id, parameters);
  expect(result.bundles).toHaveLength(1);
  return result.bundles[0] as Record<string, unknown>;
}

function webhook(id: string): ParsedWebhook {
  const found = app.webhooks.get(id);
  if (!found) {
    throw new Error(`no webhook ${id}`);
  }
  return found;
}

/** Webhook id and event type of every instant trigger. */
function triggers(): { webhookId: string; eventType: string }[] {
  return [...app.webhooks].map(([webhookId, parsed]) => {
    const types = (parsed.attach.value.body as { event_types: string[] }).event_types;
    return { webhookId, eventType: types[0] ?? '' };
  });
}

async function rejection(promise: Promise<unknown>): Promise<MakeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MakeError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the request to fail');
}

function uniqueEmail(label: string): string {
  return `${label}.${randomBytes(4).toString('hex')}@example.com`;
}

describe('connection', () => {
  test('check names the account', async () => {
    const account = await client.account.get();
    const result = await runRequest(
      app.connections.get('acmecrm')?.communication.value as RequestSpec,
      {
        context: { parameters: connection },
      },
    );

    expect(result.metadata).toEqual({ type: 'text', value: account.name });
  });

  test('check rejects an unknown key', async () => {
    const error = await rejection(
      runRequest(app.connections.get('acmecrm')?.communication.value as RequestSpec, {
        context: {
          parameters: { ...connection, apiKey: `acme_test_${randomBytes(16).toString('hex')}` },
        },
      }),
    );

    expect(error.type).toBe('InvalidAccessTokenError');
    expect(error.message).toMatch(/^\[401\] .+ Check the API key of the connection\.$/);
  });

  test('check sends the key only in the sanitized header', () => {
    const request = app.connections.get('acmecrm')?.communication.value as RequestSpec;

    expect(Object.keys(request.headers ?? {})).toEqual(['authorization']);
    expect(request.log?.sanitize).toContain('request.headers.authorization');
    expect(app.base.value.log?.sanitize).toContain('request.headers.authorization');
  });
});

describe('webhooks', () => {
  test('attach subscribes each endpoint to one event type', async () => {
    for (const { webhookId, eventType } of triggers()) {
      const result = await runRequest(webhook(webhookId).attach.value, {
        base: app.base.value,
        context: {
          connection,
          parameters: {},
          webhook: { url: receiver.url(`/hooks/${webhookId}`) },
        },
      });
      const data = result.data as { endpointId: string; secret: string };
      attached.set(webhookId, data);

      const endpoint = await client.endpoints.get(data.endpointId);
      expect({ url: endpoint.url, event_types: endpoint.event_types }).toEqual({
        url: receiver.url(`/hooks/${webhookId}`),
        event_types: [eventType],
      });
      expect(data.secret).toMatch(/^whsec_/);
    }
    expect(attached.size).toBe(eventTypes.length);
  });

  test('attached endpoint receives a signed delivery', async () => {
    const stored = attached.get('contactCreated');
    if (!stored) {
      throw new Error('attach did not run');
    }
    const email = uniqueEmail('delivered');
    await runModuleBundle('createContact', { email, first_name: 'Grace' });

    const delivery = await receiver.waitFor('contact.created', (received) => {
      return received.path === '/hooks/contactCreated' && received.rawBody.includes(email);
    });
    const envelope = verify(delivery.rawBody, delivery.headers, stored.secret) as {
      event_id: string;
    };
    const bundles = runWebhookCommunication(webhook('contactCreated').communication.value, {
      body: JSON.parse(delivery.rawBody),
      headers: delivery.headers as Record<string, string>,
    });

    expect(delivery.headers['webhook-id']).toBe(envelope.event_id);
    expect(bundles).toHaveLength(1);
    expect(bundles[0]).toMatchObject({
      event_type: 'contact.created',
      data: { email, first_name: 'Grace' },
    });
  });

  test('every trigger interface matches its delivery', async () => {
    for (const { webhookId, eventType } of triggers()) {
      const stored = attached.get(webhookId);
      if (!stored || !isEventType(eventType)) {
        throw new Error(`webhook ${webhookId} was not attached`);
      }
      const queued = await client.endpoints.sendTest(stored.endpointId, eventType);
      const delivery = await receiver.waitFor(`test ${eventType}`, (received) => {
        return (
          received.path === `/hooks/${webhookId}` &&
          received.headers['webhook-id'] === queued.event_id
        );
      });
      verify(delivery.rawBody, delivery.headers, stored.secret);

      const [bundle] = runWebhookCommunication(webhook(webhookId).communication.value, {
        body: JSON.parse(delivery.rawBody),
        headers: delivery.headers as Record<string, string>,
      }) as Record<string, unknown>[];
      const trigger = [...app.modules.values()].find((module) => module.webhook === webhookId);
      const fields = trigger?.interface.value ?? [];
      const dataFields = fields.find((field) => field.name === 'data')?.spec as
        { name: string }[] | undefined;

      expect(Object.keys(bundle ?? {}).sort()).toEqual(fields.map((field) => field.name).sort());
      expect(Object.keys((bundle?.['data'] as object) ?? {}).sort()).toEqual(
        (dataFields ?? []).map((field) => field.name).sort(),
      );
      expect(trigger?.samples.value).toEqual(sampleEvent(eventType));
    }
  });

  test('detach deletes the endpoint', async () => {
    for (const [webhookId, stored] of attached) {
      await runRequest(webhook(webhookId).detach.value, {
        base: app.base.value,
        context: { connection, parameters: {}, webhook: stored },
      });

      const lookup = await client.endpoints.get(stored.endpointId).catch((error: unknown) => error);
      expect(lookup).toBeInstanceOf(ApiError);
      expect((lookup as ApiError).status).toBe(404);
    }
  });

  test('second detach reports the missing endpoint', async () => {
    const [webhookId, stored] = [...attached][0] ?? [];
    if (!webhookId || !stored) {
      throw new Error('attach did not run');
    }

    const error = await rejection(
      runRequest(webhook(webhookId).detach.value, {
        base: app.base.value,
        context: { connection, parameters: {}, webhook: stored },
      }),
    );

    expect(error.statusCode).toBe(404);
    expect(error.type).toBe('RuntimeError');
    expect(error.message).toMatch(/^\[404\] .*was not found/);
  });
});

describe('contact actions', () => {
  test('create, update, get and delete a contact', async () => {
    const email = uniqueEmail('ada');
    const created = await runModuleBundle('createContact', {
      email,
      first_name: 'Ada',
      last_name: 'Lovelace',
      tags: ['vip'],
    });
    const contactId = String(created['id']);

    const updated = await runModuleBundle('updateContact', {
      contactId,
      company: 'Babbage & Co',
      first_name: null,
    });
    const fetched = await runModuleBundle('getContact', { contactId });
    const deleted = await runModuleBundle('deleteContact', { contactId });
    const afterDelete = await rejection(runModule('getContact', { contactId }));

    expect(created).toMatchObject({
      email,
      first_name: 'Ada',
      last_name: 'Lovelace',
      company: null,
      tags: ['vip'],
    });
    expect(contactId).toMatch(/^con_/);
    expect(updated).toMatchObject({
      id: contactId,
      company: 'Babbage & Co',
      first_name: null,
      last_name: 'Lovelace',
    });
    expect(fetched).toEqual(updated);
    expect(deleted).toEqual({ id: contactId });
    expect(afterDelete.statusCode).toBe(404);
  });

  test('update sends only the fields filled in', async () => {
    const created = await runModuleBundle('createContact', {
      email: uniqueEmail('partial'),
      phone: '+44 1',
    });
    const result = await runModule('updateContact', {
      contactId: created['id'],
      last_name: 'Hopper',
    });

    expect(result.requests[0]?.body).toEqual({ last_name: 'Hopper' });
    expect(result.bundles[0]).toMatchObject({ last_name: 'Hopper', phone: '+44 1' });
  });

  test('invalid email is a data error naming the field', async () => {
    const error = await rejection(runModule('createContact', { email: 'not-an-email' }));

    expect(error.type).toBe('DataError');
    expect(error.statusCode).toBe(422);
    expect(error.message).toMatch(/^\[422\] .+ \(field: email\)$/);
  });

  test('duplicate email is duplicate data', async () => {
    const email = uniqueEmail('twice');
    await runModuleBundle('createContact', { email });
    const error = await rejection(runModule('createContact', { email }));

    expect(error.type).toBe('DuplicateDataError');
    expect(error.message).toMatch(/^\[409\] /);
  });

  test('unknown contact keeps the server message', async () => {
    const error = await rejection(
      runModule('getContact', { contactId: 'con_00000000000000000000000000' }),
    );
    const failure: unknown = await client.contacts
      .get('con_00000000000000000000000000')
      .catch((thrown: unknown) => thrown);
    const detail = failure instanceof ApiError ? failure.problem?.detail : undefined;

    expect(error.type).toBe('RuntimeError');
    expect(detail).toBeDefined();
    expect(error.message).toBe(`[404] ${detail}`);
  });
});

describe('search contacts', () => {
  test('pages through results until the limit', async () => {
    for (let index = 0; index < 5; index += 1) {
      await runModuleBundle('createContact', { email: uniqueEmail(`page${index}`) });
    }

    const result = await runModule('searchContacts', { limit: 4, pageSize: 2 });

    expect(result.bundles).toHaveLength(4);
    expect(result.requests).toHaveLength(2);
    expect(new URL(result.requests[1]?.url ?? '').searchParams.get('cursor')).toBeTruthy();
  });

  test('stops on the last page', async () => {
    const all: string[] = [];
    let pages = 0;
    let cursor: string | undefined;
    do {
      const page = await client.contacts.list({ limit: 3, ...(cursor ? { cursor } : {}) });
      all.push(...page.data.map((contact) => contact.id));
      cursor = page.next_cursor ?? undefined;
      pages += 1;
    } while (cursor);

    const result = await runModule('searchContacts', { limit: 1000, pageSize: 3 });

    expect(pages).toBeGreaterThan(2);
    expect(result.bundles.map((bundle) => (bundle as { id: string }).id)).toEqual(all);
    expect(result.requests).toHaveLength(pages);
  });

  test('filters by email', async () => {
    const email = uniqueEmail('needle');
    await runModuleBundle('createContact', { email });

    const result = await runModule('searchContacts', { email, limit: 10 });

    expect(result.bundles).toEqual([expect.objectContaining({ email })]);
  });
});

describe('events', () => {
  test('RPC lists the event types', async () => {
    const rpc = app.rpcs.get('listEventTypes')?.communication.value as RequestSpec;
    const result = await runRequest(rpc, {
      base: app.base.value,
      context: { connection, parameters: {} },
    });

    expect(result.bundles).toEqual(
      eventTypes.map((type) => ({ label: catalog[type].title, value: type })),
    );
  });

  test('publish event returns the envelope', async () => {
    const data = sampleEvent('invoice.paid').data;
    const envelope = await runModuleBundle('publishEvent', { event_type: 'invoice.paid', data });
    const stored = await client.events.get(String(envelope['event_id']));

    expect(envelope).toMatchObject({ event_type: 'invoice.paid', data });
    expect(stored).toEqual(envelope);
  });

  test('publish rejects data against the schema', async () => {
    const error = await rejection(
      runModule('publishEvent', { event_type: 'invoice.paid', data: { id: 'inv_1' } }),
    );

    expect(error.type).toBe('DataError');
    expect(error.message).toMatch(/^\[422\] .+ \(field: .+\)$/);
  });
});
