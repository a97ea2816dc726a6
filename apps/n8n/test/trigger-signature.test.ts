import { createHmac, randomBytes } from 'node:crypto';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { AcmeCrmTrigger } from '../nodes/AcmeCrmTrigger/AcmeCrmTrigger.node';
import { createWebhookContext, makeNode, type LogEntry } from './support/contexts';
import type { SentRequest } from './support/n8n-http';

// No server runs in this suite: the credential points at 127.0.0.1 port 9, where nothing of this suite listens, and
// the tests assert that the trigger sent no request.
const credentials = {
  apiKey: 'acme_test_unused_key_000000000000000000',
  baseUrl: 'http://127.0.0.1:9',
};

const oldSecret = newSecret();
const currentSecret = newSecret();

function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Signs `${id}.${timestamp}.${body}` with HMAC-SHA256, written out here independently of the code under test. */
function signature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const digest = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${digest}`;
}

const envelope = {
  event_id: 'evt_01JD3QE5F7G9H1J3K5M7N9P1Q3',
  event_type: 'contact.created',
  created_at: '2026-03-02T09:14:07.512Z',
  data: { id: 'con_01JD3Q8Z5V6Y7K2M4N8P0R1S3T', email: 'ada.lovelace@example.com', tags: ['vip'] },
};
const body = JSON.stringify(envelope);

interface DeliveryOptions {
  rawBody?: string;
  secrets?: string[];
  stored?: IDataObject;
  timestamp?: number;
  parameters?: IDataObject;
  headers?: Record<string, string>;
}

async function deliver(options: DeliveryOptions = {}) {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signed = options.secrets ?? [currentSecret];
  const headers = options.headers ?? {
    'content-type': 'application/json',
    'webhook-id': envelope.event_id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signed
      .map((secret) => signature(secret, envelope.event_id, timestamp, body))
      .join(' '),
  };
  const sent: SentRequest[] = [];
  const logs: LogEntry[] = [];
  const staticData: IDataObject = options.stored ?? {
    endpointId: 'ep_01JD3QF0A2B4C6D8E0F2G4H6J8',
    secret: currentSecret,
  };
  const parameters = options.parameters ?? { events: ['contact.created'], output: 'envelope' };

  const { context, response } = createWebhookContext({
    node: makeNode('Acme CRM Trigger', 'acmeCrmTrigger', parameters),
    parameters,
    credentials,
    staticData,
    request: { headers, rawBody: Buffer.from(options.rawBody ?? body, 'utf8') },
    sent,
    logs,
  });
  const result = await new AcmeCrmTrigger().webhook.call(context);
  return { result, response, sent, logs, staticData };
}

function emitted(result: { workflowData?: INodeExecutionData[][] }): unknown[] {
  return (result.workflowData?.[0] ?? []).map((item) => item.json);
}

describe('trigger signature check', () => {
  test('valid signature emits the event', async () => {
    const { result, response, sent } = await deliver();

    expect(emitted(result)).toEqual([envelope]);
    expect(response.statusCode).toBeUndefined();
    expect(sent).toHaveLength(0);
  });

  test('tampered body is rejected', async () => {
    const tampered = body.replace('ada.lovelace@example.com', 'mallory@example.com');

    const { result, response, sent, logs } = await deliver({
      rawBody: tampered,
      stored: { endpointId: 'ep_1', secret: currentSecret, secretFetchedAt: Date.now() },
    });

    expect(result).toEqual({ noWebhookResponse: true });
    expect(response.statusCode).toBe(401);
    expect(response.body).toMatchObject({
      error: 'invalid_signature',
      reason: 'no_matching_signature',
    });
    expect(sent).toHaveLength(0);
    expect(logs).toEqual([
      {
        level: 'warn',
        message: 'rejected webhook delivery',
        meta: { reason: 'no_matching_signature', eventId: envelope.event_id },
      },
    ]);
  });

  test('wrong secret is rejected', async () => {
    const { result, response, sent } = await deliver({
      secrets: [newSecret()],
      stored: { endpointId: 'ep_1', secret: currentSecret, secretFetchedAt: Date.now() },
    });

    expect(result).toEqual({ noWebhookResponse: true });
    expect(response.statusCode).toBe(401);
    expect(sent).toHaveLength(0);
  });

  test('old timestamp is rejected', async () => {
    const { result, response, sent } = await deliver({
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });

    expect(result).toEqual({ noWebhookResponse: true });
    expect(response.statusCode).toBe(401);
    expect(response.body).toMatchObject({ reason: 'timestamp_too_old' });
    expect(sent).toHaveLength(0);
  });

  test('future timestamp is rejected', async () => {
    const { result, response } = await deliver({ timestamp: Math.floor(Date.now() / 1000) + 301 });

    expect(result).toEqual({ noWebhookResponse: true });
    expect(response.statusCode).toBe(401);
    expect(response.body).toMatchObject({ reason: 'timestamp_too_new' });
  });

  test('timestamp within tolerance passes', async () => {
    const { result } = await deliver({ timestamp: Math.floor(Date.now() / 1000) - 240 });

    expect(emitted(result)).toEqual([envelope]);
  });

  test('missing signature header is rejected', async () => {
    const { result, response } = await deliver({
      headers: {
        'webhook-id': envelope.event_id,
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
      },
    });

    expect(result).toEqual({ noWebhookResponse: true });
    expect(response.statusCode).toBe(401);
    expect(response.body).toMatchObject({ reason: 'missing_header' });
  });

  test('rotation signatures verify with the old secret', async () => {
    const { result, sent } = await deliver({
      secrets: [currentSecret, oldSecret],
      stored: { endpointId: 'ep_1', secret: oldSecret },
    });

    expect(emitted(result)).toEqual([envelope]);
    expect(sent).toHaveLength(0);
  });

  test('rotation signatures verify with the new secret', async () => {
    const { result } = await deliver({
      secrets: [currentSecret, oldSecret],
      stored: { endpointId: 'ep_1', secret: currentSecret },
    });

    expect(emitted(result)).toEqual([envelope]);
  });

  test('rotation signatures reject a third secret', async () => {
    const { response } = await deliver({
      secrets: [currentSecret, oldSecret],
      stored: { endpointId: 'ep_1', secret: newSecret(), secretFetchedAt: Date.now() },
    });

    expect(response.statusCode).toBe(401);
  });

  test('missing stored secret is rejected', async () => {
    const { result, response, sent } = await deliver({ stored: {} });

    expect(result).toEqual({ noWebhookResponse: true });
    expect(response.statusCode).toBe(401);
    expect(sent).toHaveLength(0);
  });

  test('signed body that is no event gets 400', async () => {
    const notAnEvent = JSON.stringify({ hello: 'world' });
    const timestamp = Math.floor(Date.now() / 1000);

    const { result, response } = await deliver({
      rawBody: notAnEvent,
      headers: {
        'webhook-id': 'msg_1',
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signature(currentSecret, 'msg_1', timestamp, notAnEvent),
      },
    });

    expect(result).toEqual({ noWebhookResponse: true });
    expect(response.statusCode).toBe(400);
  });

  test('data output emits only data', async () => {
    const { result } = await deliver({
      parameters: { events: ['contact.created'], output: 'data' },
    });

    expect(emitted(result)).toEqual([envelope.data]);
  });

  test('unselected event type is acknowledged', async () => {
    const { result, response } = await deliver({ parameters: { events: ['invoice.paid'] } });

    expect(result).toEqual({});
    expect(response.statusCode).toBeUndefined();
  });
});
