// End to end, with no nock: the real reference server on 127.0.0.1 port 0 with a SQLite file, and a loopback HTTP
// receiver standing in for Zapier's hook URL. The app runs through Zapier's appTester.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Account, Contact, Page } from '@app/api-client';
import { startServer, type RunningServer } from '@app/webhook-server';
import { createAppTester } from 'zapier-platform-core';

import { authentication } from '../src/authentication';
import App from '../src/index';
import type { EventItem } from '../src/triggers/event-item';
import type { Subscription } from '../src/triggers/webhook-delivery';
import { hookOperation, runWith } from './support/app-tester';
import { toHookRequest } from './support/hook-request';

// Zapier's handler patches the `http` and `https` modules on first use to log requests, keeping the `request`
// function it finds then, and Jest shares those modules between the test files of a worker. When this file runs
// first, that patch would keep later files' requests away from nock, so this tester turns it off with the
// `skipHttpPatch` flag. The app sends every request with z.request, which core logs without the patch.
const appTester = createAppTester({ ...App, flags: { ...App.flags, skipHttpPatch: true } });

function run<T>(operation: unknown, bundle: Record<string, unknown>): Promise<T> {
  return runWith<T>(appTester, operation, bundle);
}

// Starting the server migrates a fresh SQLite file; deliveries wait for the dispatcher, which polls every 100 ms.
jest.setTimeout(60_000);

/** How long the test waits for a delivery before failing, and how long it watches for one that must not come. */
const DELIVERY_WAIT_MS = 15_000;
const QUIET_PERIOD_MS = 1_500;

interface ReceivedRequest {
  headers: Record<string, string>;
  body: string;
}

/** A loopback HTTP server that records every request and responds with 200, as Zapier's hook URL does. */
class HookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly server: Server;
  private waiters: Array<() => void> = [];

  constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.requests.push({
          headers: flattenHeaders(request.headers),
          body: Buffer.concat(chunks).toString('utf8'),
        });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"success"}');
        for (const wake of this.waiters.splice(0)) {
          wake();
        }
      });
    });
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/hooks/standard/1/e2e/`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  /** Resolves with request number `index` (0-based) once it arrives; rejects after `DELIVERY_WAIT_MS`. */
  async waitForRequest(index: number): Promise<ReceivedRequest> {
    const deadline = Date.now() + DELIVERY_WAIT_MS;
    while (this.requests.length <= index) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(`no delivery reached the hook receiver within ${DELIVERY_WAIT_MS} ms`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.requests[index] as ReceivedRequest;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) {
      result[name] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return result;
}

describe('Zapier app against the reference server', () => {
  const apiKey = `acme_test_${randomBytes(16).toString('hex')}`;
  const directory = mkdtempSync(join(tmpdir(), 'zapier-e2e-'));
  const receiver = new HookReceiver();
  let server: RunningServer;
  let authData: { api_key: string; base_url: string };

  beforeAll(async () => {
    server = await startServer({
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: `sqlite:${join(directory, 'webhooks.db')}`,
        SEED_API_KEY: apiKey,
        RETRY_SCHEDULE: '1s,2s',
        ALLOW_PRIVATE_URLS: 'true',
        LOG_LEVEL: 'silent',
      },
    });
    await receiver.listen();
    authData = { api_key: apiKey, base_url: server.url };
  });

  afterAll(async () => {
    await receiver.close();
    await server?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  async function apiGet(path: string): Promise<Response> {
    return fetch(`${server.url}/v1${path}`, { headers: { authorization: `Bearer ${apiKey}` } });
  }

  test('subscribe, deliver, verify, list and unsubscribe', async () => {
    const account = await run<Account>(authentication.test, { authData });
    const label = await run<string>(authentication.connectionLabel, {
      authData,
      inputData: account,
    });
    expect(label).toContain(account.name);

    const subscription = await run<Subscription>(
      hookOperation('contact_created').performSubscribe,
      {
        authData,
        targetUrl: receiver.url,
      },
    );
    expect(subscription.id).toMatch(/^ep_/);
    expect(subscription.secret).toMatch(/^whsec_/);

    const email = `ada.${randomBytes(4).toString('hex')}@example.com`;
    const contact = await run<Contact>(App.creates.create_contact.operation.perform, {
      authData,
      inputData: { email, first_name: 'Ada', last_name: 'Lovelace', tags: ['vip'] },
    });
    expect(contact.email).toBe(email);

    const delivery = await receiver.waitForRequest(0);
    const hookRequest = toHookRequest(delivery.headers, delivery.body);
    expect(hookRequest.rawRequest.headers['Http-Webhook-Signature']).toMatch(/^v1,/);

    const delivered = await run<EventItem[]>(hookOperation('contact_created').perform, {
      authData,
      subscribeData: subscription,
      ...hookRequest,
    });
    expect(delivered).toHaveLength(1);
    const [event] = delivered as [EventItem];
    expect(event.id).toBe(delivery.headers['webhook-id']);
    expect(event.event_type).toBe('contact.created');
    expect(event.data['id']).toBe(contact.id);
    expect(event.data['email']).toBe(email);

    const listed = await run<EventItem[]>(hookOperation('contact_created').performList, {
      authData,
    });
    expect(listed.find((item) => item.id === event.id)).toEqual(event);

    const forged = await run<EventItem[]>(hookOperation('contact_created').perform, {
      authData,
      subscribeData: subscription,
      ...hookRequest,
      rawRequest: {
        ...hookRequest.rawRequest,
        content: delivery.body.replace(email, 'eve@example.com'),
      },
    }).catch((error: Error) => error);
    expect(forged).toBeInstanceOf(Error);
    expect((forged as Error).message).toContain('no_matching_signature');

    const unsubscribed = await run(hookOperation('contact_created').performUnsubscribe, {
      authData,
      subscribeData: subscription,
    });
    expect(unsubscribed).toEqual({ id: subscription.id, deleted: true });
    expect((await apiGet(`/endpoints/${subscription.id}`)).status).toBe(404);

    const again = await run(hookOperation('contact_created').performUnsubscribe, {
      authData,
      subscribeData: subscription,
    });
    expect(again).toEqual({ id: subscription.id, deleted: false });

    const later = await run<Contact>(App.creates.create_contact.operation.perform, {
      authData,
      inputData: { email: `grace.${randomBytes(4).toString('hex')}@example.com` },
    });
    const events = (await (await apiGet('/events?type=contact.created&limit=100')).json()) as Page<{
      event_id: string;
      data: { id: string };
    }>;
    const laterEvent = events.data.find((item) => item.data.id === later.id);
    expect(laterEvent).toBeDefined();

    await new Promise((resolve) => setTimeout(resolve, QUIET_PERIOD_MS));
    const deliveries = (await (
      await apiGet(`/deliveries?event_id=${laterEvent?.event_id ?? ''}`)
    ).json()) as Page<unknown>;
    expect(deliveries.data).toEqual([]);
    expect(receiver.requests).toHaveLength(1);
  });
});
