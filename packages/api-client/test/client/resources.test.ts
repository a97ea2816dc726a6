import { ApiClient, paginate, type Contact } from '../../src/index';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server';

const API_KEY = 'acme_test_0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a';

function contactNumbered(index: number): Contact {
  return {
    id: `con_01KP5HAAAQZK4T7MW2XC8VN3P${index}`,
    email: `contact${index}@example.org`,
    first_name: null,
    last_name: null,
    company: null,
    phone: null,
    tags: [],
    created_at: '2026-04-14T08:21:53.101Z',
    updated_at: '2026-04-14T08:21:53.101Z',
  };
}

let server: ScriptedServer | undefined;

function clientFor(target: ScriptedServer): ApiClient {
  return new ApiClient({ apiKey: API_KEY, baseUrl: target.baseUrl, initialBackoffMs: 5 });
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('paginate', () => {
  // Three pages keyed by cursor: no cursor, then c2, then c3 (the last page).
  const pages: Record<string, { data: Contact[]; next_cursor: string | null }> = {
    '': { data: [contactNumbered(1), contactNumbered(2)], next_cursor: 'c2' },
    c2: { data: [contactNumbered(3)], next_cursor: 'c3' },
    c3: { data: [contactNumbered(4), contactNumbered(5)], next_cursor: null },
  };

  test('follows next_cursor until it is null', async () => {
    server = await startScriptedServer((request) => {
      const page = pages[request.url.searchParams.get('cursor') ?? ''];
      return page ? { status: 200, body: page } : { status: 404 };
    });
    const client = clientFor(server);

    const ids: string[] = [];
    for await (const contact of paginate((query) => client.contacts.list(query), { limit: 2 })) {
      ids.push(contact.id);
    }

    expect(ids).toEqual([1, 2, 3, 4, 5].map((index) => contactNumbered(index).id));
    expect(server.requests.map((request) => request.url.searchParams.get('cursor'))).toEqual([
      null,
      'c2',
      'c3',
    ]);
    expect(server.requests.map((request) => request.url.searchParams.get('limit'))).toEqual([
      '2',
      '2',
      '2',
    ]);
  });

  test('starts from the cursor in the query', async () => {
    server = await startScriptedServer((request) => ({
      status: 200,
      body: pages[request.url.searchParams.get('cursor') ?? ''] ?? {},
    }));
    const client = clientFor(server);

    const ids: string[] = [];
    for await (const contact of paginate((query) => client.contacts.list(query), {
      cursor: 'c3',
    })) {
      ids.push(contact.id);
    }

    expect(ids).toEqual([contactNumbered(4).id, contactNumbered(5).id]);
    expect(server.requests).toHaveLength(1);
  });

  test('keeps the other query fields on every page', async () => {
    server = await startScriptedServer((request) => ({
      status: 200,
      body: pages[request.url.searchParams.get('cursor') ?? ''] ?? {},
    }));
    const client = clientFor(server);

    for await (const _event of paginate((query) => client.events.list(query), {
      type: 'contact.created',
    })) {
      // Draining the iterator is the point.
    }

    expect(server.requests.map((request) => request.url.searchParams.get('type'))).toEqual([
      'contact.created',
      'contact.created',
      'contact.created',
    ]);
  });

  test('stops with an error when the cursor does not advance', async () => {
    server = await startScriptedServer([
      { status: 200, body: { data: [contactNumbered(1)], next_cursor: 'same' } },
      { status: 200, body: { data: [contactNumbered(2)], next_cursor: 'same' } },
      { status: 200, body: { data: [], next_cursor: null } },
    ]);
    const client = clientFor(server);

    const ids: string[] = [];
    const iterate = async (): Promise<void> => {
      for await (const contact of paginate((query) => client.contacts.list(query), {})) {
        ids.push(contact.id);
      }
    };

    await expect(iterate()).rejects.toThrow(/next_cursor "same"/);
    expect(ids).toEqual([contactNumbered(1).id, contactNumbered(2).id]);
    expect(server.requests).toHaveLength(2);
  });
});

describe('contacts.findByEmail', () => {
  test('returns null on an empty page', async () => {
    server = await startScriptedServer([{ status: 200, body: { data: [], next_cursor: null } }]);

    const found = await clientFor(server).contacts.findByEmail('nobody@example.org');

    expect(found).toBeNull();
  });

  test('asks for one contact with exactly that email', async () => {
    server = await startScriptedServer([{ status: 200, body: { data: [], next_cursor: null } }]);

    await clientFor(server).contacts.findByEmail('ada+crm@example.org');
    const params = server.requests[0]?.url.searchParams;

    expect(server.requests[0]?.url.pathname).toBe('/v1/contacts');
    expect(params?.get('email')).toBe('ada+crm@example.org');
    expect(params?.get('limit')).toBe('1');
  });

  test('returns the contact when one matches', async () => {
    server = await startScriptedServer([
      { status: 200, body: { data: [contactNumbered(7)], next_cursor: null } },
    ]);

    await expect(clientFor(server).contacts.findByEmail('contact7@example.org')).resolves.toEqual(
      contactNumbered(7),
    );
  });
});

describe('resources', () => {
  test('eventTypes.list returns the data array', async () => {
    const data = [
      {
        type: 'contact.created',
        title: 'New Contact',
        description: 'Occurs when x.',
        schema: {},
        sample: {},
      },
    ];
    server = await startScriptedServer([{ status: 200, body: { data } }]);

    await expect(clientFor(server).eventTypes.list()).resolves.toEqual(data);
    expect(server.requests[0]?.url.pathname).toBe('/v1/event-types');
  });

  test('events.publish posts the event with an idempotency key', async () => {
    server = await startScriptedServer([
      { status: 202, body: { event_id: 'evt_01KP5HAAAYQ3M8V2T6XWD4N7RC' } },
    ]);
    const body = {
      event_type: 'contact.deleted' as const,
      data: { id: 'con_1', email: 'a@example.org' },
    };

    await clientFor(server).events.publish(body);

    expect(server.requests[0]?.method).toBe('POST');
    expect(server.requests[0]?.url.pathname).toBe('/v1/events');
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual(body);
    expect(server.requests[0]?.headers['idempotency-key']).toBeDefined();
  });

  test('endpoints.sendTest posts the event type', async () => {
    server = await startScriptedServer([{ status: 200, body: {} }]);

    await clientFor(server).endpoints.sendTest('ep_1', 'invoice.paid');

    expect(server.requests[0]?.url.pathname).toBe('/v1/endpoints/ep_1/test');
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({ event_type: 'invoice.paid' });
  });

  test('endpoints.getSecret returns the secret', async () => {
    server = await startScriptedServer([{ status: 200, body: { secret: 'whsec_dGVzdA==' } }]);

    await expect(clientFor(server).endpoints.getSecret('ep_1')).resolves.toBe('whsec_dGVzdA==');
    expect(server.requests[0]?.url.pathname).toBe('/v1/endpoints/ep_1/secret');
  });

  test('endpoints.resendFailed posts since', async () => {
    server = await startScriptedServer([{ status: 200, body: { resent: 3 } }]);

    await expect(
      clientFor(server).endpoints.resendFailed('ep_1', '2026-04-01T00:00:00.000Z'),
    ).resolves.toEqual({
      resent: 3,
    });
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({
      since: '2026-04-01T00:00:00.000Z',
    });
  });

  test('deliveries.redeliver posts without a body', async () => {
    server = await startScriptedServer([{ status: 200, body: {} }]);

    await clientFor(server).deliveries.redeliver('dlv_1');

    expect(server.requests[0]?.method).toBe('POST');
    expect(server.requests[0]?.url.pathname).toBe('/v1/deliveries/dlv_1/redeliver');
    expect(server.requests[0]?.body).toBe('');
    expect(server.requests[0]?.headers['content-type']).toBeUndefined();
  });
});
