import {
  catalog,
  createEvent,
  eventTypes,
  generateSecret,
  sampleEvent,
  type EndpointWithSecret,
  type EventEnvelope,
  type EventType,
} from '@app/api-client';

import { triggerKeyOf } from '../src/triggers/event-trigger';
import { hookOperation, rejectionOf, run } from './support/app-tester';
import { signedHookRequest, toHookRequest } from './support/hook-request';
import { api, authData, useNock } from './support/nock-api';

useNock();

const TARGET_URL = 'https://hooks.zapier.com/hooks/standard/123456/abcdef/';
const ENDPOINT_ID = 'ep_01JD3QF0G2H4J6K8M0N2P4Q6R8';

function endpointResponse(type: EventType, secret: string): EndpointWithSecret {
  return {
    id: ENDPOINT_ID,
    url: TARGET_URL,
    description: `Zapier: ${catalog[type].title}`,
    event_types: [type],
    enabled: true,
    disabled_reason: null,
    created_at: '2026-03-01T12:00:00.000Z',
    updated_at: '2026-03-01T12:00:00.000Z',
    secret,
  };
}

function newContactEvent(): EventEnvelope<'contact.created'> {
  return createEvent('contact.created', { ...catalog['contact.created'].sample, tags: ['vip'] });
}

function problem(status: number, code: string, detail: string): Record<string, unknown> {
  return { type: `https://docs.acmecrm.example/errors/${code}`, title: code, status, detail, code };
}

describe('performSubscribe', () => {
  test.each(eventTypes)('creates an endpoint limited to %s', async (type) => {
    const secret = generateSecret();
    api()
      .post('/v1/endpoints', {
        url: TARGET_URL,
        event_types: [type],
        description: `Zapier: ${catalog[type].title}`,
      })
      .reply(201, endpointResponse(type, secret));

    const subscription = await run(hookOperation(triggerKeyOf(type)).performSubscribe, {
      authData,
      targetUrl: TARGET_URL,
    });

    expect(subscription).toEqual({ id: ENDPOINT_ID, secret });
  });

  test('rejects a missing hook URL', async () => {
    const error = await rejectionOf(
      run(hookOperation('contact_created').performSubscribe, { authData }),
    );

    expect(error.message).toContain('no hook URL');
  });
});

describe('performUnsubscribe', () => {
  test('deletes the endpoint', async () => {
    api().delete(`/v1/endpoints/${ENDPOINT_ID}`).reply(204);

    const result = await run(hookOperation('contact_created').performUnsubscribe, {
      authData,
      targetUrl: TARGET_URL,
      subscribeData: { id: ENDPOINT_ID, secret: generateSecret() },
    });

    expect(result).toEqual({ id: ENDPOINT_ID, deleted: true });
  });

  test('treats an already deleted endpoint as done', async () => {
    api()
      .delete(`/v1/endpoints/${ENDPOINT_ID}`)
      .reply(404, problem(404, 'not_found', `Endpoint ${ENDPOINT_ID} not found.`), {
        'content-type': 'application/problem+json',
      });

    const result = await run(hookOperation('contact_created').performUnsubscribe, {
      authData,
      subscribeData: { id: ENDPOINT_ID, secret: generateSecret() },
    });

    expect(result).toEqual({ id: ENDPOINT_ID, deleted: false });
  });

  test('reports other failures with the server message', async () => {
    api()
      .delete(`/v1/endpoints/${ENDPOINT_ID}`)
      .reply(500, problem(500, 'internal_error', 'The database is unavailable.'), {
        'content-type': 'application/problem+json',
      });

    const error = await rejectionOf(
      run(hookOperation('contact_created').performUnsubscribe, {
        authData,
        subscribeData: { id: ENDPOINT_ID, secret: generateSecret() },
      }),
    );

    expect(error.message).toContain('The database is unavailable.');
  });

  test('does nothing without subscribe data', async () => {
    const result = await run(hookOperation('contact_created').performUnsubscribe, {
      authData,
      subscribeData: {},
    });

    expect(result).toEqual({ id: null, deleted: false });
  });
});

describe('perform', () => {
  test('returns the verified event', async () => {
    const secret = generateSecret();
    const envelope = newContactEvent();

    const items = await run(hookOperation('contact_created').perform, {
      authData,
      subscribeData: { id: ENDPOINT_ID, secret },
      ...signedHookRequest(envelope, secret),
    });

    expect(items).toEqual([
      {
        id: envelope.event_id,
        event_type: 'contact.created',
        created_at: envelope.created_at,
        data: envelope.data,
      },
    ]);
  });

  test.each(eventTypes)('returns the same item as performList for %s', async (type) => {
    const secret = generateSecret();
    const envelope = createEvent(type, catalog[type].sample);
    api()
      .get('/v1/events')
      .query({ type, limit: '10' })
      .reply(200, { data: [envelope], next_cursor: null });

    const delivered = await run<unknown[]>(hookOperation(triggerKeyOf(type)).perform, {
      authData,
      subscribeData: { id: ENDPOINT_ID, secret },
      ...signedHookRequest(envelope, secret),
    });
    const listed = await run<unknown[]>(hookOperation(triggerKeyOf(type)).performList, {
      authData,
    });

    expect(delivered).toHaveLength(1);
    expect(delivered).toEqual(listed);
  });

  test('rejects a signature made with another secret', async () => {
    const storedSecret = generateSecret();
    const envelope = newContactEvent();
    api().get(`/v1/endpoints/${ENDPOINT_ID}/secret`).reply(200, { secret: storedSecret });

    const error = await rejectionOf(
      run(hookOperation('contact_created').perform, {
        authData,
        subscribeData: { id: ENDPOINT_ID, secret: storedSecret },
        ...signedHookRequest(envelope, generateSecret()),
      }),
    );

    expect(error.name).toBe('HaltedError');
    expect(error.message).toContain('no_matching_signature');
  });

  test('accepts a delivery signed with a rotated secret', async () => {
    const rotatedSecret = generateSecret();
    const envelope = newContactEvent();
    api().get(`/v1/endpoints/${ENDPOINT_ID}/secret`).reply(200, { secret: rotatedSecret });

    const items = await run<Array<{ id: string }>>(hookOperation('contact_created').perform, {
      authData,
      subscribeData: { id: ENDPOINT_ID, secret: generateSecret() },
      ...signedHookRequest(envelope, rotatedSecret),
    });

    expect(items.map((item) => item.id)).toEqual([envelope.event_id]);
  });

  test('rejects a modified body', async () => {
    const secret = generateSecret();
    const envelope = newContactEvent();
    const request = signedHookRequest(envelope, secret);
    const tampered = request.rawRequest.content.replace('Ada', 'Eve');
    api().get(`/v1/endpoints/${ENDPOINT_ID}/secret`).reply(200, { secret });

    const error = await rejectionOf(
      run(hookOperation('contact_created').perform, {
        authData,
        subscribeData: { id: ENDPOINT_ID, secret },
        rawRequest: { ...request.rawRequest, content: tampered },
        cleanedRequest: JSON.parse(tampered) as unknown,
      }),
    );

    expect(tampered).not.toBe(request.rawRequest.content);
    expect(error.name).toBe('HaltedError');
    expect(error.message).toContain('no_matching_signature');
  });

  test('rejects a replayed delivery', async () => {
    const secret = generateSecret();
    const anHourAgo = Math.floor(Date.now() / 1000) - 3600;

    const error = await rejectionOf(
      run(hookOperation('contact_created').perform, {
        authData,
        subscribeData: { id: ENDPOINT_ID, secret },
        ...signedHookRequest(newContactEvent(), secret, { timestamp: anHourAgo }),
      }),
    );

    expect(error.name).toBe('HaltedError');
    expect(error.message).toContain('timestamp_too_old');
  });

  test('rejects an unsigned request', async () => {
    const body = JSON.stringify(newContactEvent());

    const error = await rejectionOf(
      run(hookOperation('contact_created').perform, {
        authData,
        subscribeData: { id: ENDPOINT_ID, secret: generateSecret() },
        ...toHookRequest({ 'content-type': 'application/json' }, body),
      }),
    );

    expect(error.name).toBe('HaltedError');
    expect(error.message).toContain('missing_header');
  });

  test('rejects a signed body that is not an event', async () => {
    const secret = generateSecret();
    const envelope = {
      ...newContactEvent(),
      event_type: 'contact.exploded',
    } as unknown as EventEnvelope;

    const error = await rejectionOf(
      run(hookOperation('contact_created').perform, {
        authData,
        subscribeData: { id: ENDPOINT_ID, secret },
        ...signedHookRequest(envelope, secret),
      }),
    );

    expect(error.name).toBe('HaltedError');
    expect(error.message).toContain('event_type');
  });

  test('ignores an event of another type', async () => {
    const secret = generateSecret();
    const envelope = createEvent('contact.deleted', catalog['contact.deleted'].sample);

    const items = await run(hookOperation('contact_created').perform, {
      authData,
      subscribeData: { id: ENDPOINT_ID, secret },
      ...signedHookRequest(envelope, secret),
    });

    expect(items).toEqual([]);
  });
});

describe('performList', () => {
  test('returns recent events of the trigger type', async () => {
    const first = createEvent('invoice.paid', catalog['invoice.paid'].sample);
    const second = createEvent('invoice.paid', {
      ...catalog['invoice.paid'].sample,
      number: 'INV-2026-0044',
    });
    api()
      .get('/v1/events')
      .query({ type: 'invoice.paid', limit: '10' })
      .reply(200, { data: [second, first], next_cursor: 'cursor-2' });

    const items = await run<Array<{ id: string }>>(hookOperation('invoice_paid').performList, {
      authData,
    });

    expect(items.map((item) => item.id)).toEqual([second.event_id, first.event_id]);
  });

  test.each(eventTypes)('falls back to the catalog sample of %s', async (type) => {
    api()
      .get('/v1/events')
      .query({ type, limit: '10' })
      .reply(200, { data: [], next_cursor: null });
    const sample = sampleEvent(type);

    const items = await run(hookOperation(triggerKeyOf(type)).performList, { authData });

    expect(items).toEqual([
      { id: sample.event_id, event_type: type, created_at: sample.created_at, data: sample.data },
    ]);
  });

  test('caps the sample count at the page maximum', async () => {
    api()
      .get('/v1/events')
      .query({ type: 'contact.created', limit: '100' })
      .reply(200, { data: [], next_cursor: null });

    await run(hookOperation('contact_created').performList, { authData, meta: { limit: 500 } });
  });

  test('uses the limit Zapier asks for', async () => {
    api()
      .get('/v1/events')
      .query({ type: 'contact.created', limit: '3' })
      .reply(200, { data: [], next_cursor: null });

    await run(hookOperation('contact_created').performList, { authData, meta: { limit: 3 } });
  });
});
