import { verify, type EndpointWithSecret, type EventEnvelope } from '@app/api-client';

import { openDatabase } from '../../src/db/connect.js';
import { ensureBuilt, spawnServer, type ChildServer } from '../support/child-server.js';
import { sqliteTestUrl } from '../support/databases.js';
import { SAMPLE_CONTACT } from '../support/delivery-fixtures.js';
import { startReceiver, waitUntil, type Receiver } from '../support/receiver.js';
import { TEST_API_KEY } from '../support/server-harness.js';

async function call<T>(
  server: ChildServer,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${server.url}/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (response.status >= 300) {
    throw new Error(`${method} ${path} returned ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as T;
}

describe('server process', () => {
  let database: ReturnType<typeof sqliteTestUrl>;
  let receiver: Receiver | undefined;
  const children: ChildServer[] = [];

  beforeAll(() => {
    ensureBuilt();
  }, 120_000);

  beforeEach(() => {
    database = sqliteTestUrl();
  });

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.process.exitCode === null && child.process.signalCode === null) {
        child.process.kill('SIGKILL');
        await child.exited;
      }
    }
    await receiver?.close();
    receiver = undefined;
    database.cleanup();
  });

  async function spawn(env: Record<string, string>): Promise<ChildServer> {
    const child = await spawnServer({
      DATABASE_URL: database.url,
      SEED_API_KEY: TEST_API_KEY,
      RETRY_SCHEDULE: '200ms,400ms',
      ...env,
    });
    children.push(child);
    return child;
  }

  test('SIGKILL mid-delivery loses no event', async () => {
    let restarted = false;
    // Before the kill the receiver keeps every request open, so each one is in flight when the process dies.
    receiver = await startReceiver(() => (restarted ? { status: 200 } : 'hang'));
    const first = await spawn({ DELIVERY_TIMEOUT: '1s' });
    const endpoint = await call<EndpointWithSecret>(first, 'POST', '/endpoints', {
      url: receiver.url,
    });
    const accepted: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const event = await call<EventEnvelope>(first, 'POST', '/events', {
        event_type: 'contact.created',
        data: SAMPLE_CONTACT,
      });
      accepted.push(event.event_id);
    }
    await receiver.waitForRequests(1);
    const inFlightBeforeKill = receiver.requests.map((request) =>
      String(request.headers['webhook-id']),
    );

    first.process.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    restarted = true;
    const restartedAt = Date.now();
    const second = await spawn({ DELIVERY_TIMEOUT: '1s' });
    // No request got a response before the kill, so every accepted event must arrive again after the restart.
    await waitUntil(
      'every accepted event at the receiver after the restart',
      () => {
        const seen = new Set(
          receiver?.requests
            .filter((request) => request.receivedAt >= restartedAt)
            .map((request) => String(request.headers['webhook-id'])),
        );
        return accepted.every((id) => seen.has(id)) ? true : undefined;
      },
      30_000,
    );
    const succeeded = await waitUntil('every delivery recorded as succeeded', async () => {
      const page = await call<{ data: unknown[] }>(
        second,
        'GET',
        '/deliveries?status=succeeded&limit=100',
      );
      return page.data.length === accepted.length ? page.data : undefined;
    });

    const received = receiver.requests;
    expect(succeeded).toHaveLength(accepted.length);
    expect(inFlightBeforeKill.length).toBeGreaterThan(0);
    for (const request of received) {
      expect(() => verify(request.body, request.headers, endpoint.secret)).not.toThrow();
    }
    for (const id of inFlightBeforeKill) {
      const copies = received.filter((request) => request.headers['webhook-id'] === id);
      expect(copies.length).toBeGreaterThanOrEqual(2);
      expect(new Set(copies.map((request) => request.body)).size).toBe(1);
    }
  }, 60_000);

  test('SIGTERM finishes and records in-flight attempts', async () => {
    receiver = await startReceiver(() => ({ status: 200, delayMs: 700, body: 'finished' }));
    const child = await spawn({ DELIVERY_TIMEOUT: '5s' });
    await call(child, 'POST', '/endpoints', { url: receiver.url });
    for (let i = 0; i < 5; i += 1) {
      await call(child, 'POST', '/events', { event_type: 'contact.created', data: SAMPLE_CONTACT });
    }
    await receiver.waitForRequests(5);

    child.process.kill('SIGTERM');
    const code = await child.exited;
    const handle = openDatabase(database.url);
    const deliveries = await handle.db.selectFrom('deliveries').selectAll().execute();
    const attempts = await handle.db.selectFrom('attempts').selectAll().execute();
    await handle.close();

    expect(code).toBe(0);
    expect(deliveries).toHaveLength(5);
    expect(deliveries.every((delivery) => delivery.status === 'succeeded')).toBe(true);
    expect(deliveries.every((delivery) => delivery.lease_owner === null)).toBe(true);
    expect(attempts).toHaveLength(5);
    expect(
      attempts.every(
        (attempt) => attempt.status_code === 200 && attempt.response_excerpt === 'finished',
      ),
    ).toBe(true);
  }, 60_000);
});
