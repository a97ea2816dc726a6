import { Writable } from 'node:stream';

import {
  verify,
  type Delivery,
  type EndpointWithSecret,
  type EventEnvelope,
  type Page,
} from '@app/api-client';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';

import {
  sleep,
  startReceiver,
  waitUntil,
  type Receiver,
  type ReceivedRequest,
} from '../support/receiver.js';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/server-harness.js';

const CONTACT = {
  id: 'con_01JD3Q8Z5V6Y7K2M4N8P0R1S3T',
  email: 'grace@example.com',
  first_name: 'Grace',
  last_name: 'Hopper',
  company: null,
  phone: null,
  tags: [],
  created_at: '2026-03-02T09:14:07.512Z',
  updated_at: '2026-03-02T09:14:07.512Z',
};

/** Checks one received request with both verifiers and returns the parsed body. */
function verifyBoth(request: ReceivedRequest, secret: string): EventEnvelope {
  const parsed = verify(request.body, request.headers, secret) as EventEnvelope;
  const headers = {
    'webhook-id': String(request.headers['webhook-id']),
    'webhook-timestamp': String(request.headers['webhook-timestamp']),
    'webhook-signature': String(request.headers['webhook-signature']),
  };
  expect(new Webhook(secret).verify(request.body, headers)).toEqual(parsed);
  return parsed;
}

describe('delivery end to end', () => {
  let harness: TestServer;
  const receivers: Receiver[] = [];

  async function receiver(reply?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
    const started = await startReceiver(reply);
    receivers.push(started);
    return started;
  }

  // Secrets of the endpoint behind each receiver URL; afterEach verifies every request a receiver got with them.
  const secretsByOrigin = new Map<string, string[]>();

  async function createEndpoint(
    url: string,
    eventTypes: string[] | null = null,
  ): Promise<EndpointWithSecret> {
    const created = await harness.api<EndpointWithSecret>('POST', '/endpoints', {
      url,
      event_types: eventTypes,
    });
    expect(created.status).toBe(201);
    const origin = new URL(url).origin;
    secretsByOrigin.set(origin, [...(secretsByOrigin.get(origin) ?? []), created.body.secret]);
    return created.body;
  }

  async function publish(
    eventType = 'contact.created',
    data: unknown = CONTACT,
  ): Promise<EventEnvelope> {
    const published = await harness.api<EventEnvelope>('POST', '/events', {
      event_type: eventType,
      data,
    });
    expect(published.status).toBe(201);
    return published.body;
  }

  async function deliveryOf(eventId: string, endpointId: string): Promise<Delivery> {
    const page = await harness.api<Page<Delivery>>(
      'GET',
      `/deliveries?event_id=${eventId}&endpoint_id=${endpointId}`,
    );
    const delivery = page.body.data[0];
    if (!delivery) {
      throw new Error(`no delivery of ${eventId} to ${endpointId}`);
    }
    return delivery;
  }

  async function waitForStatus(
    eventId: string,
    endpointId: string,
    status: Delivery['status'],
  ): Promise<Delivery> {
    return waitUntil(`delivery of ${eventId} to be ${status}`, async () => {
      const delivery = await deliveryOf(eventId, endpointId);
      return delivery.status === status ? delivery : undefined;
    });
  }

  beforeEach(async () => {
    harness = await startTestServer({ DELIVERY_TIMEOUT: '300ms' });
  });

  afterEach(async () => {
    await harness.close();
    for (const started of receivers.splice(0)) {
      await started.close();
      const secrets = secretsByOrigin.get(started.url) ?? [];
      for (const request of started.requests) {
        expect(secrets.length).toBeGreaterThan(0);
        for (const secret of secrets) {
          verifyBoth(request, secret);
        }
      }
    }
    secretsByOrigin.clear();
  });

  test('2xx delivery verifies with both libraries', async () => {
    const target = await receiver();
    const endpoint = await createEndpoint(`${target.url}/hooks`);

    const event = await publish();
    const [request] = await target.waitForRequests(1);
    const delivery = await waitForStatus(event.event_id, endpoint.id, 'succeeded');

    expect(request?.path).toBe('/hooks');
    expect(request?.headers['webhook-id']).toBe(event.event_id);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['user-agent']).toMatch(/webhooks/);
    expect(verifyBoth(request as ReceivedRequest, endpoint.secret)).toEqual(event);
    expect(request?.body).toBe(JSON.stringify(delivery.payload));
    expect(delivery.attempts).toHaveLength(1);
    expect(delivery.attempts[0]).toMatchObject({
      attempt_number: 1,
      trigger: 'scheduled',
      status_code: 200,
    });
    expect(delivery.attempts[0]?.succeeded).toBe(true);
    expect(delivery.attempts[0]?.response_excerpt).toBe('ok');
    expect(delivery.next_attempt_at).toBeNull();
  });

  test('500 then 2xx retries with the same webhook-id', async () => {
    const target = await receiver((_request, index) =>
      index === 0 ? { status: 500, body: 'boom' } : { status: 204 },
    );
    const endpoint = await createEndpoint(target.url);

    const event = await publish();
    const requests = await target.waitForRequests(2);
    const delivery = await waitForStatus(event.event_id, endpoint.id, 'succeeded');

    expect(requests.map((request) => request.headers['webhook-id'])).toEqual([
      event.event_id,
      event.event_id,
    ]);
    for (const request of requests) {
      verifyBoth(request, endpoint.secret);
    }
    // RETRY_SCHEDULE=200ms with 20 % jitter: the retry waits at least 160 ms.
    expect((requests[1]?.receivedAt ?? 0) - (requests[0]?.receivedAt ?? 0)).toBeGreaterThanOrEqual(
      160,
    );
    expect(delivery.attempts.map((attempt) => attempt.status_code)).toEqual([500, 204]);
    expect(delivery.attempts.map((attempt) => attempt.succeeded)).toEqual([false, true]);
    expect(delivery.attempts[0]?.response_excerpt).toBe('boom');
    expect(delivery.attempt_count).toBe(2);
    expect(delivery.last_status_code).toBe(204);
  });

  test('failing endpoint fails after the schedule', async () => {
    const target = await receiver(() => ({ status: 503 }));
    const endpoint = await createEndpoint(target.url);

    const event = await publish();
    const delivery = await waitForStatus(event.event_id, endpoint.id, 'failed');
    await sleep(600);

    expect(delivery.attempts.map((attempt) => attempt.attempt_number)).toEqual([1, 2, 3]);
    expect(delivery.next_attempt_at).toBeNull();
    expect(target.requests).toHaveLength(3);
  });

  test('410 disables the endpoint and stops retries', async () => {
    const target = await receiver(() => ({ status: 410 }));
    const endpoint = await createEndpoint(target.url);

    const event = await publish();
    const delivery = await waitForStatus(event.event_id, endpoint.id, 'failed');
    const after = await harness.api<{ enabled: boolean; disabled_reason: string | null }>(
      'GET',
      `/endpoints/${endpoint.id}`,
    );
    await publish();
    await sleep(800);

    expect(delivery.attempts).toHaveLength(1);
    expect(delivery.attempts[0]?.status_code).toBe(410);
    expect(after.body.enabled).toBe(false);
    expect(after.body.disabled_reason).toBe('gone');
    expect(target.requests).toHaveLength(1);
  });

  test('timeout is recorded and retried', async () => {
    const target = await receiver(() => 'hang');
    const endpoint = await createEndpoint(target.url);

    const event = await publish();
    const delivery = await waitForStatus(event.event_id, endpoint.id, 'failed');

    expect(delivery.attempts).toHaveLength(3);
    for (const attempt of delivery.attempts) {
      expect(attempt.error).toBe('timeout');
      expect(attempt.status_code).toBeNull();
      expect(attempt.succeeded).toBe(false);
    }
    expect(target.requests).toHaveLength(3);
  });

  test('429 Retry-After delays the retry', async () => {
    const target = await receiver((_request, index) =>
      index === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 },
    );
    const endpoint = await createEndpoint(target.url);

    const event = await publish();
    const requests = await target.waitForRequests(2);
    const delivery = await waitForStatus(event.event_id, endpoint.id, 'succeeded');

    // The schedule alone would retry after 160-240 ms; Retry-After requests 1 s.
    expect((requests[1]?.receivedAt ?? 0) - (requests[0]?.receivedAt ?? 0)).toBeGreaterThanOrEqual(
      1000,
    );
    expect(delivery.attempts.map((attempt) => attempt.status_code)).toEqual([429, 200]);
  });

  test('302 is a failure and is not followed', async () => {
    const behind = await receiver();
    const target = await receiver(() => ({
      status: 302,
      headers: { location: `${behind.url}/moved` },
    }));
    const endpoint = await createEndpoint(target.url);

    const event = await publish();
    const delivery = await waitForStatus(event.event_id, endpoint.id, 'failed');

    expect(delivery.attempts.map((attempt) => attempt.status_code)).toEqual([302, 302, 302]);
    expect(target.requests).toHaveLength(3);
    expect(behind.requests).toHaveLength(0);
  });

  test('connection refused is recorded', async () => {
    const closed = await receiver();
    await closed.close();
    receivers.splice(receivers.indexOf(closed), 1);
    const endpoint = await createEndpoint(closed.url);

    const event = await publish();
    const delivery = await waitForStatus(event.event_id, endpoint.id, 'failed');

    expect(delivery.attempts.map((attempt) => attempt.error)).toEqual([
      'connection_refused',
      'connection_refused',
      'connection_refused',
    ]);
  });

  test('rotation signs with both secrets', async () => {
    const target = await receiver();
    const endpoint = await createEndpoint(target.url);
    const rotated = await harness.api<EndpointWithSecret>(
      'POST',
      `/endpoints/${endpoint.id}/rotate-secret`,
    );
    secretsByOrigin.get(target.url)?.push(rotated.body.secret);
    const current = await harness.api<{ secret: string }>(
      'GET',
      `/endpoints/${endpoint.id}/secret`,
    );

    await publish();
    const [request] = await target.waitForRequests(1);

    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    expect(current.body.secret).toBe(rotated.body.secret);
    expect(String(request?.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifyBoth(request as ReceivedRequest, endpoint.secret)).toBeDefined();
    expect(verifyBoth(request as ReceivedRequest, rotated.body.secret)).toBeDefined();
  });

  test('event types filter what an endpoint receives', async () => {
    const invoices = await receiver();
    const everything = await receiver();
    await createEndpoint(invoices.url, ['invoice.paid']);
    await createEndpoint(everything.url, null);

    const event = await publish();
    await everything.waitForRequests(1);
    await sleep(300);

    expect(everything.requests[0]?.headers['webhook-id']).toBe(event.event_id);
    expect(invoices.requests).toHaveLength(0);
  });

  test('test event is delivered and hidden from events', async () => {
    const target = await receiver();
    const endpoint = await createEndpoint(target.url, ['invoice.paid']);

    const sent = await harness.api<Delivery>('POST', `/endpoints/${endpoint.id}/test`, {
      event_type: 'contact.created',
    });
    const [request] = await target.waitForRequests(1);
    const events = await harness.api<Page<EventEnvelope>>('GET', '/events');
    const delivered = await waitForStatus(sent.body.event_id, endpoint.id, 'succeeded');

    expect(sent.status).toBe(201);
    expect(sent.body.is_test).toBe(true);
    expect(sent.body.event_type).toBe('contact.created');
    expect(verifyBoth(request as ReceivedRequest, endpoint.secret)).toEqual(sent.body.payload);
    expect(events.body.data.map((event) => event.event_id)).not.toContain(sent.body.event_id);
    expect(delivered.is_test).toBe(true);
  });

  test('redeliver sends again with the same webhook-id', async () => {
    const target = await receiver();
    const endpoint = await createEndpoint(target.url);
    const event = await publish();
    const first = await waitForStatus(event.event_id, endpoint.id, 'succeeded');

    const redelivered = await harness.api<Delivery>('POST', `/deliveries/${first.id}/redeliver`);
    const requests = await target.waitForRequests(2);
    const delivery = await waitUntil('second attempt', async () => {
      const current = await deliveryOf(event.event_id, endpoint.id);
      return current.attempts.length === 2 && current.status === 'succeeded' ? current : undefined;
    });

    expect(redelivered.status).toBe(202);
    expect(requests[1]?.headers['webhook-id']).toBe(event.event_id);
    verifyBoth(requests[1] as ReceivedRequest, endpoint.secret);
    expect(delivery.attempts.map((attempt) => attempt.trigger)).toEqual(['scheduled', 'manual']);
    expect(delivery.attempts[1]?.attempt_number).toBe(2);
  });

  test('resend-failed schedules failed deliveries again', async () => {
    let healthy = false;
    const target = await receiver(() => (healthy ? { status: 200 } : { status: 500 }));
    const endpoint = await createEndpoint(target.url);
    const event = await publish();
    await waitForStatus(event.event_id, endpoint.id, 'failed');

    healthy = true;
    const resent = await harness.api<{ resent: number }>(
      'POST',
      `/endpoints/${endpoint.id}/resend-failed`,
      {
        since: endpoint.created_at,
      },
    );
    const delivery = await waitForStatus(event.event_id, endpoint.id, 'succeeded');

    expect(resent.status).toBe(200);
    expect(resent.body.resent).toBe(1);
    expect(delivery.attempts.map((attempt) => attempt.trigger)).toEqual([
      'scheduled',
      'scheduled',
      'scheduled',
      'manual',
    ]);
    expect(target.requests).toHaveLength(4);
  });

  test('deleted endpoint gets no further attempts', async () => {
    const target = await receiver(() => ({ status: 500 }));
    const endpoint = await createEndpoint(target.url);
    const event = await publish();
    await target.waitForRequests(1);
    await waitUntil('first attempt recorded', async () => {
      const delivery = await deliveryOf(event.event_id, endpoint.id);
      return delivery.attempts.length === 1 ? delivery : undefined;
    });

    const deleted = await harness.api('DELETE', `/endpoints/${endpoint.id}`);
    await sleep(800);
    const delivery = await deliveryOf(event.event_id, endpoint.id);

    expect(deleted.status).toBe(204);
    expect(target.requests).toHaveLength(1);
    expect(delivery.status).toBe('failed');
    expect(delivery.next_attempt_at).toBeNull();
  });

  test('disabled endpoint keeps pending deliveries until enabled', async () => {
    let healthy = false;
    const target = await receiver(() => (healthy ? { status: 200 } : { status: 500 }));
    const endpoint = await createEndpoint(target.url);
    const event = await publish();
    await waitUntil('first attempt recorded', async () => {
      const delivery = await deliveryOf(event.event_id, endpoint.id);
      return delivery.attempts.length === 1 ? delivery : undefined;
    });

    await harness.api('PATCH', `/endpoints/${endpoint.id}`, { enabled: false });
    await sleep(600);
    const paused = await deliveryOf(event.event_id, endpoint.id);
    healthy = true;
    const enabled = await harness.api<{ enabled: boolean; disabled_reason: string | null }>(
      'PATCH',
      `/endpoints/${endpoint.id}`,
      { enabled: true },
    );
    const delivery = await waitForStatus(event.event_id, endpoint.id, 'succeeded');

    expect(paused.status).toBe('pending');
    expect(paused.attempts).toHaveLength(1);
    expect(enabled.body.disabled_reason).toBeNull();
    expect(delivery.attempts).toHaveLength(2);
  });

  test('paused endpoint gets events published meanwhile', async () => {
    const target = await receiver(() => ({ status: 200 }));
    const endpoint = await createEndpoint(target.url);
    await harness.api('PATCH', `/endpoints/${endpoint.id}`, { enabled: false });

    const event = await publish();
    await sleep(600);
    const paused = await deliveryOf(event.event_id, endpoint.id);
    const receivedWhilePaused = target.requests.length;
    await harness.api('PATCH', `/endpoints/${endpoint.id}`, { enabled: true });
    const delivery = await waitForStatus(event.event_id, endpoint.id, 'succeeded');

    expect(paused.status).toBe('pending');
    expect(paused.attempts).toHaveLength(0);
    expect(receivedWhilePaused).toBe(0);
    expect(delivery.attempts).toHaveLength(1);
    expect(target.requests[0]?.headers['webhook-id']).toBe(event.event_id);
  });
});

describe('delivery concurrency', () => {
  let harness: TestServer;
  const receivers: Receiver[] = [];

  beforeEach(async () => {
    harness = await startTestServer({ ENDPOINT_CONCURRENCY: '2', DELIVERY_TIMEOUT: '5s' });
  });

  afterEach(async () => {
    await harness.close();
    for (const started of receivers.splice(0)) {
      await started.close();
    }
  });

  test('slow endpoint does not delay others', async () => {
    const SLOW_MS = 1500;
    let active = 0;
    let maxActive = 0;
    const slow = await startReceiver(() => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      // Created before the receiver's own reply timer, so it fires first and the count drops as the reply goes out.
      setTimeout(() => {
        active -= 1;
      }, SLOW_MS);
      return { status: 200, delayMs: SLOW_MS };
    });
    const fast = await startReceiver();
    receivers.push(slow, fast);

    await harness.api('POST', '/endpoints', { url: slow.url, event_types: ['contact.created'] });
    await harness.api('POST', '/endpoints', { url: fast.url, event_types: ['contact.deleted'] });
    for (let i = 0; i < 6; i += 1) {
      await harness.api('POST', '/events', { event_type: 'contact.created', data: CONTACT });
    }
    // Both slots of the slow endpoint are busy and four of its deliveries wait; the other endpoint must not wait.
    await slow.waitForRequests(2);
    await harness.api('POST', '/events', {
      event_type: 'contact.deleted',
      data: { id: CONTACT.id, email: CONTACT.email, deleted_at: '2026-03-09T11:02:45.330Z' },
    });

    const [fastRequest] = await fast.waitForRequests(1);
    const slowBefore = slow.requests.filter(
      (request) => request.receivedAt <= (fastRequest?.receivedAt ?? 0),
    );
    await slow.waitForRequests(6);

    expect(slowBefore).toHaveLength(2);
    expect(maxActive).toBe(2);
  });
});

describe('endpoint changes with deliveries claimed ahead', () => {
  let harness: TestServer;
  let slow: Receiver;

  beforeEach(async () => {
    harness = await startTestServer({ ENDPOINT_CONCURRENCY: '1', DELIVERY_TIMEOUT: '5s' });
    slow = await startReceiver(() => ({ status: 200, delayMs: 300 }));
  });

  afterEach(async () => {
    await harness.close();
    await slow.close();
  });

  async function queueThree(): Promise<string> {
    const endpoint = await harness.api<EndpointWithSecret>('POST', '/endpoints', { url: slow.url });
    for (let i = 0; i < 3; i += 1) {
      await harness.api('POST', '/events', { event_type: 'contact.created', data: CONTACT });
    }
    // One slot: the first delivery runs while the other two are claimed ahead and wait.
    await slow.waitForRequests(1);
    return endpoint.body.id;
  }

  test('delete stops deliveries claimed ahead', async () => {
    const endpointId = await queueThree();

    await harness.api('DELETE', `/endpoints/${endpointId}`);
    // The running attempt gets its response after 300 ms; its record then replaces the `failed` the delete wrote.
    const deliveries = await waitUntil('the running attempt recorded', async () => {
      const page = await harness.api<Page<Delivery>>(
        'GET',
        `/deliveries?endpoint_id=${endpointId}`,
      );
      const recorded = page.body.data.some((delivery) => delivery.attempts.length > 0);
      return recorded ? page.body.data : undefined;
    });
    await sleep(500);

    expect(slow.requests).toHaveLength(1);
    expect(deliveries.map((delivery) => delivery.status).sort()).toEqual([
      'failed',
      'failed',
      'succeeded',
    ]);
  });

  test('URL change redirects deliveries claimed ahead', async () => {
    const moved = await startReceiver();
    try {
      const endpointId = await queueThree();

      await harness.api('PATCH', `/endpoints/${endpointId}`, { url: moved.url });
      await moved.waitForRequests(2);
      await sleep(300);

      expect(slow.requests).toHaveLength(1);
      expect(moved.requests).toHaveLength(2);
    } finally {
      await moved.close();
    }
  });

  test('rotation re-signs deliveries claimed ahead', async () => {
    const endpointId = await queueThree();

    const rotated = await harness.api<EndpointWithSecret>(
      'POST',
      `/endpoints/${endpointId}/rotate-secret`,
    );
    const requests = await slow.waitForRequests(3);

    for (const request of requests.slice(1)) {
      expect(verifyBoth(request, rotated.body.secret)).toBeDefined();
    }
  });

  test('disable keeps deliveries claimed ahead for later', async () => {
    const endpointId = await queueThree();

    await harness.api('PATCH', `/endpoints/${endpointId}`, { enabled: false });
    await sleep(800);
    const paused = slow.requests.length;
    await harness.api('PATCH', `/endpoints/${endpointId}`, { enabled: true });
    await slow.waitForRequests(3);

    expect(paused).toBe(1);
  });
});

describe('logging', () => {
  test('secrets never reach the log', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'trace' },
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          lines.push(chunk.toString('utf8'));
          callback();
        },
      }),
    );
    const harness = await startTestServer({ LOG_LEVEL: 'trace' }, { logger });
    const target = await startReceiver((_request, index) =>
      index === 0 ? { status: 500 } : { status: 200 },
    );
    try {
      const created = await harness.api<EndpointWithSecret>('POST', '/endpoints', {
        url: target.url,
      });
      const rotated = await harness.api<EndpointWithSecret>(
        'POST',
        `/endpoints/${created.body.id}/rotate-secret`,
      );
      await harness.api('GET', `/endpoints/${created.body.id}/secret`);
      await harness.api('POST', '/events', { event_type: 'contact.created', data: CONTACT });
      await harness.api('POST', `/endpoints/${created.body.id}/test`, {
        event_type: 'invoice.paid',
      });
      await target.waitForRequests(3);
      await harness.close();

      const log = lines.join('');
      expect(lines.length).toBeGreaterThan(10);
      expect(log).toContain('delivery attempt failed');
      for (const secret of [created.body.secret, rotated.body.secret]) {
        expect(log).not.toContain(secret.slice('whsec_'.length));
      }
      expect(log).not.toContain(TEST_API_KEY);
    } finally {
      await target.close();
    }
  });
});
