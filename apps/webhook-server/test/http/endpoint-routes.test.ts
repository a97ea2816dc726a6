import type { Delivery, EndpointWithSecret, Page, Problem } from '@app/api-client';

import { buildHarness, type Harness } from '../support/app-harness.js';
import { testSecretBox } from '../support/delivery-fixtures.js';

describe('endpoint routes', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await buildHarness();
  });

  afterEach(async () => {
    await harness.app.close();
    await harness.database.dispose();
  });

  const create = (body: unknown) =>
    harness.request<EndpointWithSecret & Problem>('POST', '/endpoints', body);

  test('create returns the secret and stores it encrypted', async () => {
    const created = await create({
      url: 'https://hooks.example.com/in',
      description: ' CRM sync ',
    });
    const row = await harness.database.db
      .selectFrom('endpoints')
      .selectAll()
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();

    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^ep_/);
    expect(created.body.secret).toMatch(/^whsec_/);
    expect(created.body.event_types).toBeNull();
    expect(created.body.enabled).toBe(true);
    expect(created.body.disabled_reason).toBeNull();
    expect(created.body.description).toBe('CRM sync');
    expect(row.secret_encrypted).not.toContain(created.body.secret.slice(6));
    expect(testSecretBox.decrypt(row.secret_encrypted, created.body.id)).toBe(created.body.secret);
    expect(() => testSecretBox.decrypt(row.secret_encrypted, 'ep_other')).toThrow();
  });

  test('create keeps event types', async () => {
    const created = await create({
      url: 'https://hooks.example.com/in',
      event_types: ['invoice.paid'],
    });

    expect(created.body.event_types).toEqual(['invoice.paid']);
  });

  test('unknown event type is 422', async () => {
    const created = await create({
      url: 'https://hooks.example.com/in',
      event_types: ['invoice.lost'],
    });

    expect(created.status).toBe(422);
    expect(created.body.code).toBe('validation_failed');
    expect(created.body.field).toBe('event_types.0');
  });

  test('non-http scheme is 422', async () => {
    const created = await create({ url: 'ftp://hooks.example.com/in' });

    expect(created.status).toBe(422);
    expect(created.body.field).toBe('url');
  });

  test('credentials in the URL are rejected', async () => {
    const created = await create({ url: 'https://user:pass@hooks.example.com/in' });

    expect(created.status).toBe(422);
    expect(created.body.code).toBe('endpoint_url_rejected');
    expect(created.body.field).toBe('url');
  });

  test('loopback URL is allowed outside production', async () => {
    const created = await create({ url: 'http://127.0.0.1:4000/hooks' });

    expect(created.status).toBe(201);
  });

  test('list pages newest first without secrets', async () => {
    const ids: string[] = [];
    for (const path of ['a', 'b', 'c']) {
      ids.push((await create({ url: `https://hooks.example.com/${path}` })).body.id);
    }

    const first = await harness.request<Page<EndpointWithSecret>>('GET', '/endpoints?limit=2');
    const second = await harness.request<Page<EndpointWithSecret>>(
      'GET',
      `/endpoints?limit=2&cursor=${first.body.next_cursor}`,
    );

    // Ids created in the same millisecond have no fixed order, so compare with the ids sorted newest first.
    const newestFirst = [...ids].sort().reverse();
    expect(first.body.data.map((endpoint) => endpoint.id)).toEqual(newestFirst.slice(0, 2));
    expect(second.body.data.map((endpoint) => endpoint.id)).toEqual(newestFirst.slice(2));
    expect(second.body.next_cursor).toBeNull();
    expect(first.body.data[0]).not.toHaveProperty('secret');
  });

  test('invalid cursor is 400', async () => {
    const listed = await harness.request<Problem>('GET', '/endpoints?cursor=bm9wZQ');

    expect(listed.status).toBe(400);
    expect(listed.body.field).toBe('query.cursor');
  });

  test('get returns the endpoint without its secret', async () => {
    const created = await create({ url: 'https://hooks.example.com/in' });

    const fetched = await harness.request<EndpointWithSecret>(
      'GET',
      `/endpoints/${created.body.id}`,
    );

    expect(fetched.status).toBe(200);
    expect(fetched.body.url).toBe('https://hooks.example.com/in');
    expect(fetched.body).not.toHaveProperty('secret');
  });

  test('unknown endpoint is 404', async () => {
    const fetched = await harness.request<Problem>(
      'GET',
      '/endpoints/ep_01JD3Q8Z5V6Y7K2M4N8P0R1S3T',
    );

    expect(fetched.status).toBe(404);
    expect(fetched.body.code).toBe('not_found');
  });

  test('update changes fields and pause state', async () => {
    const created = await create({ url: 'https://hooks.example.com/in' });
    const path = `/endpoints/${created.body.id}`;

    const changed = await harness.request<EndpointWithSecret>('PATCH', path, {
      url: 'https://hooks.example.com/v2',
      event_types: ['contact.created'],
      description: 'v2',
    });
    const paused = await harness.request<EndpointWithSecret>('PATCH', path, { enabled: false });
    const resumed = await harness.request<EndpointWithSecret>('PATCH', path, { enabled: true });

    expect(changed.body).toMatchObject({
      url: 'https://hooks.example.com/v2',
      event_types: ['contact.created'],
    });
    expect(changed.body.description).toBe('v2');
    expect(paused.body.enabled).toBe(false);
    expect(paused.body.disabled_reason).toBe('manual');
    expect(resumed.body.enabled).toBe(true);
    expect(resumed.body.disabled_reason).toBeNull();
    expect(harness.wakes.count).toBe(1);
  });

  test('re-enable clears gone', async () => {
    const created = await create({ url: 'https://hooks.example.com/in' });
    await harness.database.db
      .updateTable('endpoints')
      .set({ enabled: 0, disabled_reason: 'gone' })
      .where('id', '=', created.body.id)
      .execute();

    const resumed = await harness.request<EndpointWithSecret>(
      'PATCH',
      `/endpoints/${created.body.id}`,
      {
        enabled: true,
      },
    );

    expect(resumed.body.disabled_reason).toBeNull();
  });

  test('empty update is 422', async () => {
    const created = await create({ url: 'https://hooks.example.com/in' });

    const changed = await harness.request<Problem>('PATCH', `/endpoints/${created.body.id}`, {});

    expect(changed.status).toBe(422);
  });

  test('delete is 204 then 404', async () => {
    const created = await create({ url: 'https://hooks.example.com/in' });
    const path = `/endpoints/${created.body.id}`;

    const first = await harness.request('DELETE', path);
    const second = await harness.request<Problem>('DELETE', path);
    const fetched = await harness.request<Problem>('GET', path);
    const listed = await harness.request<Page<EndpointWithSecret>>('GET', '/endpoints');
    const row = await harness.database.db
      .selectFrom('endpoints')
      .select('deleted_at')
      .where('id', '=', created.body.id)
      .executeTakeFirst();

    expect(first.status).toBe(204);
    expect(second.status).toBe(404);
    expect(second.body.code).toBe('not_found');
    expect(fetched.status).toBe(404);
    expect(listed.body.data).toHaveLength(0);
    expect(row?.deleted_at).not.toBeNull();
  });

  test('rotate returns a new secret', async () => {
    const created = await create({ url: 'https://hooks.example.com/in' });
    const path = `/endpoints/${created.body.id}`;

    const rotated = await harness.request<EndpointWithSecret>('POST', `${path}/rotate-secret`);
    const current = await harness.request<{ secret: string }>('GET', `${path}/secret`);
    const row = await harness.database.db
      .selectFrom('endpoints')
      .selectAll()
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();

    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect(current.body.secret).toBe(rotated.body.secret);
    expect(testSecretBox.decrypt(row.previous_secret_encrypted ?? '', row.id)).toBe(
      created.body.secret,
    );
    expect((row.previous_secret_expires_at ?? 0) - Date.now()).toBeGreaterThan(23 * 60 * 60 * 1000);
  });

  test('test event returns a pending test delivery', async () => {
    const created = await create({ url: 'https://hooks.example.com/in' });

    const sent = await harness.request<Delivery>('POST', `/endpoints/${created.body.id}/test`, {
      event_type: 'invoice.paid',
    });
    const events = await harness.request<Page<unknown>>('GET', '/events');

    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({
      endpoint_id: created.body.id,
      event_type: 'invoice.paid',
      is_test: true,
    });
    expect(sent.body.status).toBe('pending');
    expect(sent.body.attempts).toEqual([]);
    expect(sent.body.payload.event_type).toBe('invoice.paid');
    expect(events.body.data).toHaveLength(0);
    expect(harness.wakes.count).toBe(1);
  });

  test('test event to a disabled endpoint is 409', async () => {
    const created = await create({ url: 'https://hooks.example.com/in' });
    await harness.request('PATCH', `/endpoints/${created.body.id}`, { enabled: false });

    const sent = await harness.request<Problem>('POST', `/endpoints/${created.body.id}/test`, {
      event_type: 'invoice.paid',
    });

    expect(sent.status).toBe(409);
    expect(sent.body.code).toBe('conflict');
  });

  test('resend-failed needs a timestamp', async () => {
    const created = await create({ url: 'https://hooks.example.com/in' });

    const resent = await harness.request<Problem>(
      'POST',
      `/endpoints/${created.body.id}/resend-failed`,
      {
        since: 'yesterday',
      },
    );

    expect(resent.status).toBe(422);
    expect(resent.body.field).toBe('since');
  });

  test('resend-failed counts failed deliveries since a time', async () => {
    const created = await create({ url: 'https://hooks.example.com/in' });
    for (let i = 0; i < 3; i += 1) {
      await harness.request('POST', `/endpoints/${created.body.id}/test`, {
        event_type: 'invoice.paid',
      });
    }
    const rows = await harness.database.db
      .selectFrom('deliveries')
      .select(['id', 'created_at'])
      .orderBy('id')
      .execute();
    await harness.database.db
      .updateTable('deliveries')
      .set({ status: 'failed', next_attempt_at: null })
      .execute();
    await harness.database.db
      .updateTable('deliveries')
      .set({ created_at: 1_000 })
      .where('id', '=', rows[0]?.id as string)
      .execute();

    const resent = await harness.request<{ resent: number }>(
      'POST',
      `/endpoints/${created.body.id}/resend-failed`,
      {
        since: new Date(10_000).toISOString(),
      },
    );
    const pending = await harness.request<Page<Delivery>>('GET', '/deliveries?status=pending');

    expect(resent.status).toBe(200);
    expect(resent.body.resent).toBe(2);
    expect(pending.body.data).toHaveLength(2);
  });
});

describe('endpoint URL policy in production mode', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await buildHarness({ ALLOW_PRIVATE_URLS: 'false' });
  });

  afterEach(async () => {
    await harness.app.close();
    await harness.database.dispose();
  });

  test.each([
    'http://127.0.0.1:4000/hooks',
    'http://2130706433/hooks',
    'http://0x7f.1/hooks',
    'http://10.1.2.3/hooks',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/hooks',
    'http://[::ffff:10.0.0.1]/hooks',
    'http://[fd00::1]/hooks',
    'http://localhost:3000/hooks',
    'http://api.localhost/hooks',
  ])('%s is rejected', async (url) => {
    const created = await harness.request<Problem>('POST', '/endpoints', { url });

    expect(created.status).toBe(422);
    expect(created.body.code).toBe('endpoint_url_rejected');
    expect(created.body.field).toBe('url');
  });

  test('public URL is accepted', async () => {
    const created = await harness.request<EndpointWithSecret>('POST', '/endpoints', {
      url: 'https://93.184.215.14/hooks',
    });

    expect(created.status).toBe(201);
  });

  test('update to a private URL is rejected', async () => {
    const created = await harness.request<EndpointWithSecret>('POST', '/endpoints', {
      url: 'https://hooks.example.com/in',
    });

    const changed = await harness.request<Problem>('PATCH', `/endpoints/${created.body.id}`, {
      url: 'http://192.168.1.10/hooks',
    });

    expect(changed.status).toBe(422);
    expect(changed.body.code).toBe('endpoint_url_rejected');
  });
});
