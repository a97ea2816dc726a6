import type { Delivery, Page, Problem } from '@app/api-client';

import { claimDueDeliveries } from '../../src/storage/deliveries.js';
import { buildHarness, type Harness } from '../support/app-harness.js';
import { seedDeliveries, seedEndpoint } from '../support/delivery-fixtures.js';

describe('delivery routes', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await buildHarness();
  });

  afterEach(async () => {
    await harness.app.close();
    await harness.database.dispose();
  });

  async function seedTwoEndpoints() {
    const first = await seedEndpoint(
      harness.database,
      harness.accountId,
      'https://a.example.com/hooks',
    );
    const second = await seedEndpoint(
      harness.database,
      harness.accountId,
      'https://b.example.com/hooks',
    );
    const ids = await seedDeliveries(harness.database, harness.accountId, 3);
    return { first: first.endpoint.id, second: second.endpoint.id, ids };
  }

  test('list filters by endpoint, event and status', async () => {
    const { first, ids } = await seedTwoEndpoints();
    const firstDelivery = await harness.request<Delivery>('GET', `/deliveries/${ids[0]}`);
    await harness.database.db
      .updateTable('deliveries')
      .set({ status: 'failed' })
      .where('id', '=', ids[1] as string)
      .execute();

    const all = await harness.request<Page<Delivery>>('GET', '/deliveries');
    const byEndpoint = await harness.request<Page<Delivery>>(
      'GET',
      `/deliveries?endpoint_id=${first}`,
    );
    const byEvent = await harness.request<Page<Delivery>>(
      'GET',
      `/deliveries?event_id=${firstDelivery.body.event_id}`,
    );
    const failed = await harness.request<Page<Delivery>>('GET', '/deliveries?status=failed');

    expect(all.body.data).toHaveLength(6);
    expect(byEndpoint.body.data).toHaveLength(3);
    expect(byEndpoint.body.data.every((delivery) => delivery.endpoint_id === first)).toBe(true);
    expect(byEvent.body.data).toHaveLength(2);
    expect(failed.body.data.map((delivery) => delivery.id)).toEqual([ids[1]]);
  });

  test('list pages newest first', async () => {
    await seedTwoEndpoints();

    const first = await harness.request<Page<Delivery>>('GET', '/deliveries?limit=4');
    const second = await harness.request<Page<Delivery>>(
      'GET',
      `/deliveries?limit=4&cursor=${first.body.next_cursor}`,
    );
    const ids = [...first.body.data, ...second.body.data].map((delivery) => delivery.id);

    expect(first.body.data).toHaveLength(4);
    expect(second.body.data).toHaveLength(2);
    expect(second.body.next_cursor).toBeNull();
    expect(ids).toEqual([...ids].sort().reverse());
  });

  test('invalid status is 400', async () => {
    const listed = await harness.request<Problem>('GET', '/deliveries?status=lost');

    expect(listed.status).toBe(400);
    expect(listed.body.field).toBe('query.status');
  });

  test('get returns payload and attempts oldest first', async () => {
    const { ids } = await seedTwoEndpoints();
    const id = ids[0] as string;
    await harness.database.db
      .insertInto('attempts')
      .values(
        [2, 1].map((attemptNumber) => ({
          delivery_id: id,
          attempt_number: attemptNumber,
          trigger: 'scheduled',
          started_at: 1_000 * attemptNumber,
          duration_ms: 12,
          status_code: 500,
          response_excerpt: 'nope',
          error: null,
          succeeded: 0,
        })),
      )
      .execute();

    const fetched = await harness.request<Delivery>('GET', `/deliveries/${id}`);

    expect(fetched.status).toBe(200);
    expect(fetched.body.payload.event_type).toBe('contact.created');
    expect(fetched.body.attempts.map((attempt) => attempt.attempt_number)).toEqual([1, 2]);
    expect(fetched.body.next_attempt_at).not.toBeNull();
    expect(fetched.body.status).toBe('pending');
  });

  test('unknown delivery is 404', async () => {
    const fetched = await harness.request<Problem>(
      'GET',
      '/deliveries/dlv_01JD3Q8Z5V6Y7K2M4N8P0R1S3T',
    );
    const redelivered = await harness.request<Problem>(
      'POST',
      '/deliveries/dlv_01JD3Q8Z5V6Y7K2M4N8P0R1S3T/redeliver',
    );

    expect(fetched.status).toBe(404);
    expect(redelivered.status).toBe(404);
    expect(redelivered.body.code).toBe('not_found');
  });

  test('redeliver schedules a manual attempt now', async () => {
    const { ids } = await seedTwoEndpoints();
    const id = ids[0] as string;
    await harness.database.db
      .updateTable('deliveries')
      .set({ status: 'succeeded', next_attempt_at: null })
      .where('id', '=', id)
      .execute();

    const redelivered = await harness.request<Delivery>('POST', `/deliveries/${id}/redeliver`);
    const row = await harness.database.db
      .selectFrom('deliveries')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();

    expect(redelivered.status).toBe(202);
    expect(redelivered.body.status).toBe('pending');
    expect(row?.manual).toBe(1);
    expect(row?.next_attempt_at).toBeLessThanOrEqual(Date.now());
    expect(harness.wakes.count).toBe(1);
  });

  test('redeliver during an attempt is 409', async () => {
    const { ids } = await seedTwoEndpoints();
    await claimDueDeliveries(harness.database.db, {
      dialect: 'sqlite',
      owner: 'worker-a',
      now: Date.now() + 1,
      leaseMs: 60_000,
      limit: 10,
      endpointCap: 10,
      heldByEndpoint: new Map(),
      scanLimit: 100,
    });

    const redelivered = await harness.request<Problem>('POST', `/deliveries/${ids[0]}/redeliver`);

    expect(redelivered.status).toBe(409);
    expect(redelivered.body.detail).toMatch(/in flight/);
  });

  test('redeliver to a deleted endpoint is 409', async () => {
    const { first } = await seedTwoEndpoints();
    const listed = await harness.request<Page<Delivery>>('GET', `/deliveries?endpoint_id=${first}`);
    await harness.request('DELETE', `/endpoints/${first}`);

    const redelivered = await harness.request<Problem>(
      'POST',
      `/deliveries/${listed.body.data[0]?.id}/redeliver`,
    );
    const kept = await harness.request<Page<Delivery>>('GET', `/deliveries?endpoint_id=${first}`);

    expect(redelivered.status).toBe(409);
    expect(redelivered.body.detail).toMatch(/deleted/);
    expect(kept.body.data).toHaveLength(3);
    expect(kept.body.data.every((delivery) => delivery.status === 'failed')).toBe(true);
  });

  test('redeliver to a disabled endpoint is 409', async () => {
    const { first } = await seedTwoEndpoints();
    const listed = await harness.request<Page<Delivery>>('GET', `/deliveries?endpoint_id=${first}`);
    await harness.request('PATCH', `/endpoints/${first}`, { enabled: false });

    const redelivered = await harness.request<Problem>(
      'POST',
      `/deliveries/${listed.body.data[0]?.id}/redeliver`,
    );

    expect(redelivered.status).toBe(409);
    expect(redelivered.body.detail).toMatch(/disabled/);
  });
});
