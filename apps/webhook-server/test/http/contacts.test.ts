import {
  contactSchema,
  parseEvent,
  problemSchema,
  type Contact,
  type EventEnvelope,
} from '@app/api-client';

import {
  countRows,
  createApiHarness,
  insertEndpointRow,
  type ApiHarness,
} from '../support/api-harness.js';
import { failInsertsInto } from '../support/forced-failure.js';

describe('contact routes', () => {
  let harness: ApiHarness;

  beforeEach(async () => {
    harness = await createApiHarness();
  });

  afterEach(async () => {
    await harness.close();
  });

  async function create(body: Record<string, unknown>): Promise<Contact> {
    const response = await harness.tenantA.request({
      method: 'POST',
      url: '/v1/contacts',
      payload: body,
    });
    expect(response.statusCode).toBe(201);
    return contactSchema.parse(response.json());
  }

  async function events(type?: string): Promise<EventEnvelope[]> {
    const rows = await harness.database.db
      .selectFrom('events')
      .select('payload')
      .where('account_id', '=', harness.tenantA.accountId)
      .orderBy('id')
      .execute();
    const all = rows.map((row) => parseEvent(JSON.parse(row.payload)));
    return type === undefined ? all : all.filter((event) => event.event_type === type);
  }

  test('POST creates contact, event and delivery', async () => {
    await insertEndpointRow(harness, { accountId: harness.tenantA.accountId, id: 'ep_RECEIVER' });

    const response = await harness.tenantA.request({
      method: 'POST',
      url: '/v1/contacts',
      payload: { email: 'ada@example.com', first_name: '  Ada ', tags: ['vip'] },
    });

    expect(response.statusCode).toBe(201);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const contact = contactSchema.strict().parse(response.json());
    expect(contact).toMatchObject({
      email: 'ada@example.com',
      first_name: 'Ada',
      tags: ['vip'],
      phone: null,
    });
    const [created] = await events('contact.created');
    expect(created?.data).toEqual(contact);
    expect(await countRows(harness.database, harness.tenantA.accountId)).toEqual({
      contacts: 1,
      events: 1,
      deliveries: 1,
    });
    expect(harness.wakes()).toBe(1);
  });

  test('GET returns contact, 404 for unknown id', async () => {
    const contact = await create({ email: 'ada@example.com' });

    const found = await harness.tenantA.request({
      method: 'GET',
      url: `/v1/contacts/${contact.id}`,
    });
    const missing = await harness.tenantA.request({
      method: 'GET',
      url: '/v1/contacts/con_01JD3Q8Z5V6Y7K2M4N8P0R1S3T',
    });

    expect(found.statusCode).toBe(200);
    expect(found.json()).toEqual(contact);
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(problemSchema.parse(missing.json()).code).toBe('not_found');
  });

  test('POST duplicate email is 409 conflict on email', async () => {
    await insertEndpointRow(harness, { accountId: harness.tenantA.accountId, id: 'ep_RECEIVER' });
    const first = await create({ email: 'ada@example.com' });
    const wakesBefore = harness.wakes();

    const response = await harness.tenantA.request({
      method: 'POST',
      url: '/v1/contacts',
      payload: { email: 'ADA@example.com', first_name: 'Twin' },
    });

    expect(response.statusCode).toBe(409);
    const problem = problemSchema.parse(response.json());
    expect(problem.code).toBe('conflict');
    expect(problem.field).toBe('email');
    expect(problem.detail).toContain(first.id);
    expect(await countRows(harness.database, harness.tenantA.accountId)).toEqual({
      contacts: 1,
      events: 1,
      deliveries: 1,
    });
    expect(harness.wakes()).toBe(wakesBefore);
  });

  test('POST failing inside transaction leaves nothing', async () => {
    await insertEndpointRow(harness, { accountId: harness.tenantA.accountId, id: 'ep_RECEIVER' });
    const restore = await failInsertsInto(harness.database, 'deliveries');

    const response = await harness.tenantA.request({
      method: 'POST',
      url: '/v1/contacts',
      payload: { email: 'ada@example.com' },
    });

    expect(response.statusCode).toBe(500);
    const problem = problemSchema.parse(response.json());
    expect(problem.code).toBe('internal_error');
    expect(problem.detail).not.toContain('forced failure');
    expect(await countRows(harness.database, harness.tenantA.accountId)).toEqual({
      contacts: 0,
      events: 0,
      deliveries: 0,
    });
    expect(harness.wakes()).toBe(0);
    await restore();
  });

  test('PATCH failing inside transaction changes nothing', async () => {
    const contact = await create({ email: 'ada@example.com', company: 'Engines' });
    await insertEndpointRow(harness, { accountId: harness.tenantA.accountId, id: 'ep_RECEIVER' });
    const restore = await failInsertsInto(harness.database, 'events');

    const response = await harness.tenantA.request({
      method: 'PATCH',
      url: `/v1/contacts/${contact.id}`,
      payload: { company: 'Babbage & Co' },
    });

    expect(response.statusCode).toBe(500);
    await restore();
    const stored = await harness.tenantA.request({
      method: 'GET',
      url: `/v1/contacts/${contact.id}`,
    });
    expect(stored.json()).toEqual(contact);
    expect(await countRows(harness.database, harness.tenantA.accountId)).toEqual({
      contacts: 1,
      events: 1,
      deliveries: 0,
    });
  });

  test('DELETE failing inside transaction keeps contact', async () => {
    const contact = await create({ email: 'ada@example.com' });
    const restore = await failInsertsInto(harness.database, 'events');

    const response = await harness.tenantA.request({
      method: 'DELETE',
      url: `/v1/contacts/${contact.id}`,
    });

    expect(response.statusCode).toBe(500);
    await restore();
    expect(
      (await harness.tenantA.request({ method: 'GET', url: `/v1/contacts/${contact.id}` }))
        .statusCode,
    ).toBe(200);
    expect(await events('contact.deleted')).toHaveLength(0);
  });

  test('PATCH changes given fields and emits contact.updated', async () => {
    const contact = await create({
      email: 'ada@example.com',
      first_name: 'Ada',
      company: 'Engines',
    });

    const response = await harness.tenantA.request({
      method: 'PATCH',
      url: `/v1/contacts/${contact.id}`,
      payload: { company: 'Babbage & Co', first_name: 'Ada' },
    });

    expect(response.statusCode).toBe(200);
    const updated = contactSchema.parse(response.json());
    expect(updated).toMatchObject({
      ...contact,
      company: 'Babbage & Co',
      updated_at: updated.updated_at,
    });
    const [event] = await events('contact.updated');
    expect(event?.data).toEqual({ ...updated, previous_attributes: { company: 'Engines' } });
  });

  test('PATCH changing nothing returns contact without event', async () => {
    const contact = await create({ email: 'ada@example.com', first_name: 'Ada' });
    await insertEndpointRow(harness, { accountId: harness.tenantA.accountId, id: 'ep_RECEIVER' });
    const wakesBefore = harness.wakes();

    const response = await harness.tenantA.request({
      method: 'PATCH',
      url: `/v1/contacts/${contact.id}`,
      payload: { first_name: 'Ada', email: 'ada@example.com' },
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(contact);
    expect(await events('contact.updated')).toHaveLength(0);
    expect(harness.wakes()).toBe(wakesBefore);
  });

  test('PATCH to taken email is 409 and changes nothing', async () => {
    await create({ email: 'first@example.com' });
    const second = await create({ email: 'second@example.com' });

    const response = await harness.tenantA.request({
      method: 'PATCH',
      url: `/v1/contacts/${second.id}`,
      payload: { email: 'First@Example.com', company: 'Other' },
    });

    expect(response.statusCode).toBe(409);
    expect(problemSchema.parse(response.json())).toMatchObject({
      code: 'conflict',
      field: 'email',
    });
    expect(
      (await harness.tenantA.request({ method: 'GET', url: `/v1/contacts/${second.id}` })).json(),
    ).toEqual(second);
    expect(await events('contact.updated')).toHaveLength(0);
  });

  test('PATCH with empty body is 422', async () => {
    const contact = await create({ email: 'ada@example.com' });

    const response = await harness.tenantA.request({
      method: 'PATCH',
      url: `/v1/contacts/${contact.id}`,
      payload: {},
    });

    expect(response.statusCode).toBe(422);
    expect(problemSchema.parse(response.json()).code).toBe('validation_failed');
  });

  test('PATCH unknown contact is 404', async () => {
    const response = await harness.tenantA.request({
      method: 'PATCH',
      url: '/v1/contacts/con_01JD3Q8Z5V6Y7K2M4N8P0R1S3T',
      payload: { first_name: 'Nobody' },
    });

    expect(response.statusCode).toBe(404);
    expect(problemSchema.parse(response.json()).code).toBe('not_found');
  });

  test('DELETE returns 204 and emits contact.deleted', async () => {
    const contact = await create({ email: 'bye@example.com' });

    const response = await harness.tenantA.request({
      method: 'DELETE',
      url: `/v1/contacts/${contact.id}`,
    });
    const again = await harness.tenantA.request({
      method: 'DELETE',
      url: `/v1/contacts/${contact.id}`,
    });

    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect(again.statusCode).toBe(404);
    const [event] = await events('contact.deleted');
    expect(event?.data).toMatchObject({ id: contact.id, email: 'bye@example.com' });
    expect(
      (await harness.tenantA.request({ method: 'GET', url: `/v1/contacts/${contact.id}` }))
        .statusCode,
    ).toBe(404);
  });

  test('every change has its event', async () => {
    const contact = await create({ email: 'ada@example.com' });
    await harness.tenantA.request({
      method: 'PATCH',
      url: `/v1/contacts/${contact.id}`,
      payload: { phone: '1' },
    });
    await harness.tenantA.request({
      method: 'PATCH',
      url: `/v1/contacts/${contact.id}`,
      payload: { phone: '2' },
    });
    await harness.tenantA.request({ method: 'DELETE', url: `/v1/contacts/${contact.id}` });

    const types = (await events()).map((event) => event.event_type).sort();

    expect(types).toEqual([
      'contact.created',
      'contact.deleted',
      'contact.updated',
      'contact.updated',
    ]);
  });

  test('list walks every page oldest first', async () => {
    const created: string[] = [];
    for (let index = 0; index < 7; index += 1) {
      created.push((await create({ email: `c${index}@example.com` })).id);
    }

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/contacts?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await harness.tenantA.request({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      const page = response.json() as { data: Contact[]; next_cursor: string | null };
      expect(page.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.data.map((contact) => contact.id));
      cursor = page.next_cursor;
    } while (cursor !== null);

    expect(seen).toEqual([...created].sort());
  });

  test('list filters by email ignoring case', async () => {
    const grace = await create({ email: 'Grace@Example.com' });
    await create({ email: 'other@example.com' });

    const response = await harness.tenantA.request({
      method: 'GET',
      url: `/v1/contacts?email=${encodeURIComponent('grace@EXAMPLE.com')}`,
    });

    expect(response.json()).toEqual({ data: [grace], next_cursor: null });
  });

  test.each([
    ['limit=0', 'query.limit'],
    ['limit=101', 'query.limit'],
    ['limit=abc', 'query.limit'],
    ['cursor=not-a-cursor', 'query.cursor'],
  ])('list rejects %s', async (query, field) => {
    const response = await harness.tenantA.request({ method: 'GET', url: `/v1/contacts?${query}` });

    expect(response.statusCode).toBe(400);
    expect(problemSchema.parse(response.json()).field).toBe(field);
  });

  test('list accepts limit 1 and 100', async () => {
    await create({ email: 'a@example.com' });
    await create({ email: 'b@example.com' });

    const one = await harness.tenantA.request({ method: 'GET', url: '/v1/contacts?limit=1' });
    const hundred = await harness.tenantA.request({ method: 'GET', url: '/v1/contacts?limit=100' });

    expect((one.json() as { data: unknown[] }).data).toHaveLength(1);
    expect((one.json() as { next_cursor: string | null }).next_cursor).not.toBeNull();
    expect((hundred.json() as { data: unknown[] }).data).toHaveLength(2);
  });

  test.each([
    [{ email: 'not-an-email' }, 'email'],
    [{ first_name: 'Ada' }, 'email'],
    [{ email: 'a@example.com', tags: ['ok', ''] }, 'tags.1'],
    [{ email: 'a@example.com', nickname: 'Ada' }, 'nickname'],
  ])('POST rejects invalid body %j', async (body, field) => {
    const response = await harness.tenantA.request({
      method: 'POST',
      url: '/v1/contacts',
      payload: body,
    });

    expect(response.statusCode).toBe(422);
    const problem = problemSchema.parse(response.json());
    expect(problem.code).toBe('validation_failed');
    expect(problem.field).toBe(field);
  });
});
