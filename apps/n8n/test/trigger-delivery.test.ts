import { randomBytes } from 'node:crypto';

import type { Delivery } from '@app/api-client';
import type { IDataObject } from 'n8n-workflow';

import { startReferenceServer, type ReferenceServer } from './support/reference-server';
import { TriggerSession, WebhookReceiver, type ReceivedDelivery } from './support/trigger-harness';

let server: ReferenceServer;
let receiver: WebhookReceiver;
const sessions: TriggerSession[] = [];

beforeAll(async () => {
  server = await startReferenceServer();
  receiver = await WebhookReceiver.start();
});

afterAll(async () => {
  await receiver.close();
  await server.close();
});

// Deleting the endpoints also cancels the retries of deliveries a test let fail.
afterEach(async () => {
  for (const session of sessions.splice(0)) {
    await session.deactivate();
  }
});

async function activeSession(parameters: IDataObject): Promise<TriggerSession> {
  const session = new TriggerSession({ server, receiver, kind: 'production', parameters });
  await session.activate();
  sessions.push(session);
  return session;
}

function uniqueEmail(): string {
  return `ada.${randomBytes(4).toString('hex')}@example.com`;
}

function randomSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

function header(delivery: ReceivedDelivery, name: string): string {
  const value = delivery.headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

function emitted(delivery: ReceivedDelivery): unknown[] {
  return (delivery.result?.workflowData?.[0] ?? []).map((item) => item.json);
}

/** Waits until the server has recorded an attempt for the endpoint's delivery of `eventId`. */
async function recordedDelivery(endpointId: string, eventId: string): Promise<Delivery> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const page = await server.client.deliveries.list({
      endpoint_id: endpointId,
      event_id: eventId,
    });
    const delivery = page.data[0];
    if (delivery !== undefined && delivery.attempts.length > 0) {
      return delivery;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the server recorded no attempt for event ${eventId}`);
}

describe('trigger deliveries', () => {
  test('contact.created starts one execution', async () => {
    const session = await activeSession({ events: ['contact.created'], output: 'envelope' });
    const since = receiver.deliveries.length;

    const contact = await server.client.contacts.create({
      email: uniqueEmail(),
      first_name: 'Ada',
    });
    const delivery = await receiver.waitFor(
      (received) => received.path.includes(session.webhookId),
      since,
    );

    expect(delivery.statusCode).toBe(200);
    const items = emitted(delivery);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      event_id: header(delivery, 'webhook-id'),
      event_type: 'contact.created',
      data: contact,
    });
    const recorded = await recordedDelivery(
      session.staticData['endpointId'] as string,
      header(delivery, 'webhook-id'),
    );
    expect(recorded.status).toBe('succeeded');
  });

  test('data output emits the contact only', async () => {
    const session = await activeSession({ events: ['contact.created'], output: 'data' });
    const since = receiver.deliveries.length;

    const contact = await server.client.contacts.create({ email: uniqueEmail() });
    const delivery = await receiver.waitFor(
      (received) => received.path.includes(session.webhookId),
      since,
    );

    expect(emitted(delivery)).toEqual([contact]);
  });

  test('wrong stored secret gets 401 without execution', async () => {
    const session = await activeSession({ events: ['contact.created'] });
    session.staticData['secret'] = randomSecret();
    // A fetch of the current secret happened just now, so the trigger may not fetch it again.
    session.staticData['secretFetchedAt'] = Date.now();
    const since = receiver.deliveries.length;

    await server.client.contacts.create({ email: uniqueEmail() });
    const delivery = await receiver.waitFor(
      (received) => received.path.includes(session.webhookId),
      since,
    );

    expect(delivery.statusCode).toBe(401);
    expect(delivery.result).toEqual({ noWebhookResponse: true });
    expect(delivery.response.body).toMatchObject({
      error: 'invalid_signature',
      reason: 'no_matching_signature',
    });
    expect(session.sent.some((request) => request.url.endsWith('/secret'))).toBe(false);
    expect(session.logs).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'rejected webhook delivery' }),
    );
    const recorded = await recordedDelivery(
      session.staticData['endpointId'] as string,
      header(delivery, 'webhook-id'),
    );
    expect(recorded.attempts[0]?.status_code).toBe(401);
    expect(recorded.status).not.toBe('succeeded');
  });

  test('outdated secret is fetched again and adopted', async () => {
    const session = await activeSession({ events: ['contact.created'] });
    const endpointId = session.staticData['endpointId'] as string;
    session.staticData['secret'] = randomSecret();
    const since = receiver.deliveries.length;

    const contact = await server.client.contacts.create({ email: uniqueEmail() });
    const delivery = await receiver.waitFor(
      (received) => received.path.includes(session.webhookId),
      since,
    );

    expect(delivery.statusCode).toBe(200);
    expect(emitted(delivery)).toEqual([expect.objectContaining({ data: contact })]);
    expect(session.staticData['secret']).toBe(await server.client.endpoints.getSecret(endpointId));
    const secretFetches = session.sent.filter((request) =>
      request.url.endsWith(`/endpoints/${endpointId}/secret`),
    );
    expect(secretFetches).toHaveLength(1);

    // A forged request right after gets 401 and no second fetch: one fetch per interval at most.
    const forged = await fetch(session.webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'evt_forged',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': `v1,${randomBytes(32).toString('base64')}`,
      },
      body: JSON.stringify({
        event_id: 'evt_forged',
        event_type: 'contact.created',
        created_at: '',
        data: {},
      }),
    });
    expect(forged.status).toBe(401);
    expect(session.sent.filter((request) => request.url.endsWith('/secret'))).toHaveLength(1);
  });

  test('delivery during rotation verifies with either secret', async () => {
    const session = await activeSession({ events: ['contact.created'] });
    const endpointId = session.staticData['endpointId'] as string;
    const oldSecret = session.staticData['secret'] as string;
    const rotated = await server.client.endpoints.rotateSecret(endpointId);
    const since = receiver.deliveries.length;

    const contact = await server.client.contacts.create({ email: uniqueEmail() });
    const delivery = await receiver.waitFor(
      (received) => received.path.includes(session.webhookId),
      since,
    );

    expect(header(delivery, 'webhook-signature').split(' ')).toHaveLength(2);
    expect(session.staticData['secret']).toBe(oldSecret);
    expect(emitted(delivery)).toEqual([expect.objectContaining({ data: contact })]);

    const withNewSecret = new TriggerSession({
      server,
      receiver,
      kind: 'production',
      parameters: session.parameters,
      staticData: { endpointId, secret: rotated.secret },
    });
    const replayed = await withNewSecret.receive(delivery.headers, delivery.rawBody);
    expect(replayed.statusCode).toBe(200);
    expect(replayed.result?.workflowData?.[0]?.[0]?.json).toMatchObject({ data: contact });
    expect(withNewSecret.sent).toHaveLength(0);
  });

  test('test event of another type starts no execution', async () => {
    const session = await activeSession({ events: ['contact.created'] });
    const endpointId = session.staticData['endpointId'] as string;
    const since = receiver.deliveries.length;

    await server.client.endpoints.sendTest(endpointId, 'invoice.paid');
    const delivery = await receiver.waitFor(
      (received) => received.path.includes(session.webhookId),
      since,
    );

    expect(delivery.statusCode).toBe(200);
    expect(delivery.result).toEqual({});
  });

  test('test event of a selected type starts an execution', async () => {
    const session = await activeSession({ events: ['*'], output: 'envelope' });
    const endpointId = session.staticData['endpointId'] as string;
    const since = receiver.deliveries.length;

    await server.client.endpoints.sendTest(endpointId, 'report.generated');
    const delivery = await receiver.waitFor(
      (received) => received.path.includes(session.webhookId),
      since,
    );

    expect(delivery.statusCode).toBe(200);
    expect(emitted(delivery)).toEqual([
      expect.objectContaining({ event_type: 'report.generated' }),
    ]);
  });
});
