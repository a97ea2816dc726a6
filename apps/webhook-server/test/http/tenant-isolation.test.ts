import { problemSchema } from '@app/api-client';
import type { InjectOptions } from 'fastify';

import {
  countRows,
  createApiHarness,
  type ApiHarness,
  type TestTenant,
} from '../support/api-harness.js';
import { describeEachDialect } from '../support/databases.js';

/** Ids of the resources one tenant owns. */
interface Owned {
  contactId: string;
  contactEmail: string;
  eventId: string;
  endpointId: string;
  deliveryId: string;
  secret: string;
}

async function createResources(tenant: TestTenant, label: string): Promise<Owned> {
  const json = async (options: InjectOptions, status: number) => {
    const response = await tenant.request(options);
    expect({ url: options.url, status: response.statusCode }).toEqual({ url: options.url, status });
    return response.json() as Record<string, unknown>;
  };

  const contactEmail = `${label}@example.com`;
  const contact = await json(
    { method: 'POST', url: '/v1/contacts', payload: { email: contactEmail } },
    201,
  );
  const endpoint = await json(
    {
      method: 'POST',
      url: '/v1/endpoints',
      payload: { url: `https://${label}.example/hook`, description: label },
    },
    201,
  );
  const delivery = await json(
    {
      method: 'POST',
      url: `/v1/endpoints/${String(endpoint['id'])}/test`,
      payload: { event_type: 'invoice.paid' },
    },
    201,
  );
  const events = await json({ method: 'GET', url: '/v1/events' }, 200);
  const eventId = String(
    ((events['data'] as { event_id: string }[])[0] ?? { event_id: '' }).event_id,
  );

  return {
    contactId: String(contact['id']),
    contactEmail,
    eventId,
    endpointId: String(endpoint['id']),
    deliveryId: String(delivery['id']),
    secret: String(endpoint['secret']),
  };
}

describeEachDialect('tenant isolation', (dialect) => {
  let harness: ApiHarness;
  let ownedByA: Owned;
  let ownedByB: Owned;
  let controlOfA: Owned;

  beforeAll(async () => {
    harness = await createApiHarness(dialect);
    ownedByA = await createResources(harness.tenantA, 'alpha');
    ownedByB = await createResources(harness.tenantB, 'bravo');
    controlOfA = await createResources(harness.tenantA, 'charlie');
  });

  afterAll(async () => {
    await harness.close();
  });

  // Every route that takes another tenant's id, with a valid body so that only ownership can fail. The owner's
  // control below runs them in this order, so disabling and deleting come last.
  const foreignRequests = (a: Owned): [string, InjectOptions][] => [
    ['get contact', { method: 'GET', url: `/v1/contacts/${a.contactId}` }],
    [
      'update contact',
      { method: 'PATCH', url: `/v1/contacts/${a.contactId}`, payload: { first_name: 'Mallory' } },
    ],
    ['delete contact', { method: 'DELETE', url: `/v1/contacts/${a.contactId}` }],
    ['get event', { method: 'GET', url: `/v1/events/${a.eventId}` }],
    ['get endpoint', { method: 'GET', url: `/v1/endpoints/${a.endpointId}` }],
    [
      'update endpoint',
      {
        method: 'PATCH',
        url: `/v1/endpoints/${a.endpointId}`,
        payload: { url: 'https://mallory.example/hook' },
      },
    ],
    [
      'test endpoint',
      {
        method: 'POST',
        url: `/v1/endpoints/${a.endpointId}/test`,
        payload: { event_type: 'invoice.paid' },
      },
    ],
    ['rotate secret', { method: 'POST', url: `/v1/endpoints/${a.endpointId}/rotate-secret` }],
    ['read secret', { method: 'GET', url: `/v1/endpoints/${a.endpointId}/secret` }],
    [
      'resend failed',
      {
        method: 'POST',
        url: `/v1/endpoints/${a.endpointId}/resend-failed`,
        payload: { since: '2020-01-01T00:00:00.000Z' },
      },
    ],
    ['get delivery', { method: 'GET', url: `/v1/deliveries/${a.deliveryId}` }],
    ['redeliver', { method: 'POST', url: `/v1/deliveries/${a.deliveryId}/redeliver` }],
    [
      'disable endpoint',
      { method: 'PATCH', url: `/v1/endpoints/${a.endpointId}`, payload: { enabled: false } },
    ],
    ['delete endpoint', { method: 'DELETE', url: `/v1/endpoints/${a.endpointId}` }],
  ];

  // A positive control on a second set of the owner's resources, so the 404s below cannot come from broken routes.
  test('owner can use every route', async () => {
    for (const [name, options] of foreignRequests(controlOfA)) {
      const response = await harness.tenantA.request(options);
      expect({ name, success: response.statusCode < 300 }).toEqual({ name, success: true });
    }
  });

  test('other tenant gets 404 on every route', async () => {
    const beforeA = await countRows(harness.database, harness.tenantA.accountId);
    const beforeB = await countRows(harness.database, harness.tenantB.accountId);

    for (const [name, options] of foreignRequests(ownedByA)) {
      const response = await harness.tenantB.request(options);
      const problem = problemSchema.parse(response.json());

      expect({ name, status: response.statusCode }).toEqual({ name, status: 404 });
      expect({ name, code: problem.code }).toEqual({ name, code: 'not_found' });
      expect({ name, leaks: response.body.includes(ownedByA.contactEmail) }).toEqual({
        name,
        leaks: false,
      });
      expect({ name, leaks: response.body.includes(ownedByA.secret) }).toEqual({
        name,
        leaks: false,
      });
    }

    expect(await countRows(harness.database, harness.tenantA.accountId)).toEqual(beforeA);
    expect(await countRows(harness.database, harness.tenantB.accountId)).toEqual(beforeB);
  });

  test('owner resources are unchanged', async () => {
    const contact = await harness.tenantA.request({
      method: 'GET',
      url: `/v1/contacts/${ownedByA.contactId}`,
    });
    const endpoint = await harness.tenantA.request({
      method: 'GET',
      url: `/v1/endpoints/${ownedByA.endpointId}`,
    });

    expect(contact.statusCode).toBe(200);
    expect(contact.json()).toMatchObject({ email: ownedByA.contactEmail });
    expect(endpoint.statusCode).toBe(200);
    expect(endpoint.json()).toMatchObject({ url: 'https://alpha.example/hook', enabled: true });
  });

  test.each([
    ['contacts', '/v1/contacts?limit=100'],
    ['contacts by email', `/v1/contacts?email=alpha%40example.com`],
    ['events', '/v1/events?limit=100'],
    ['events by type', '/v1/events?type=contact.created'],
    ['endpoints', '/v1/endpoints?limit=100'],
    ['deliveries', '/v1/deliveries?limit=100'],
    ['deliveries by endpoint', '/v1/deliveries?endpoint_id=ENDPOINT'],
    ['deliveries by event', '/v1/deliveries?event_id=EVENT'],
  ])('list of %s shows only own data', async (_name, template) => {
    const url = template
      .replace('ENDPOINT', ownedByA.endpointId)
      .replace('EVENT', ownedByA.eventId);

    const response = await harness.tenantB.request({ method: 'GET', url });

    expect(response.statusCode).toBe(200);
    for (const value of Object.values(ownedByA)) {
      expect({ url, leaked: response.body.includes(value) ? value : null }).toEqual({
        url,
        leaked: null,
      });
    }
  });

  test('own lists contain own data', async () => {
    const contacts = await harness.tenantB.request({ method: 'GET', url: '/v1/contacts' });
    const endpoints = await harness.tenantB.request({ method: 'GET', url: '/v1/endpoints' });
    const deliveries = await harness.tenantB.request({ method: 'GET', url: '/v1/deliveries' });

    expect(contacts.body).toContain(ownedByB.contactId);
    expect(endpoints.body).toContain(ownedByB.endpointId);
    expect(deliveries.body).toContain(ownedByB.deliveryId);
  });

  test('cursor from another tenant reveals nothing', async () => {
    const created = await harness.tenantA.request({
      method: 'POST',
      url: '/v1/contacts',
      payload: { email: 'alpha-2@example.com' },
    });
    const page = await harness.tenantA.request({ method: 'GET', url: '/v1/contacts?limit=1' });
    const cursor = (page.json() as { next_cursor: string | null }).next_cursor;
    expect(created.statusCode).toBe(201);
    expect(cursor).not.toBeNull();

    const response = await harness.tenantB.request({
      method: 'GET',
      url: `/v1/contacts?cursor=${cursor}`,
    });

    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('alpha');
  });

  test('revoked key of one tenant leaves the other working', async () => {
    await harness.database.db
      .updateTable('api_keys')
      .set({ revoked_at: Date.now() })
      .where('id', '=', harness.tenantB.apiKeyId)
      .execute();

    const revoked = await harness.tenantB.request({ method: 'GET', url: '/v1/contacts' });
    const other = await harness.tenantA.request({ method: 'GET', url: '/v1/contacts' });

    expect(revoked.statusCode).toBe(401);
    expect(other.statusCode).toBe(200);
  });
});
