import { generateSecret, verify } from '@app/api-client';

import { DELIVERY_USER_AGENT, RequestSigner } from '../../src/delivery/prepare.js';
import type { ClaimedDelivery } from '../../src/storage/deliveries.js';
import { testSecretBox } from '../support/delivery-fixtures.js';

const ENDPOINT_ID = 'ep_01JD3Q8Z5V6Y7K2M4N8P0R1S3T';
const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const PAYLOAD = '{"event_id":"evt_01JD3Q8Z5V6Y7K2M4N8P0R1S3T","data":{"note":"ü"}}';

function claimed(overrides: Partial<ClaimedDelivery> = {}): ClaimedDelivery {
  return {
    id: 'dlv_1',
    accountId: 'acct_1',
    endpointId: ENDPOINT_ID,
    eventId: 'evt_01JD3Q8Z5V6Y7K2M4N8P0R1S3T',
    attemptCount: 0,
    scheduledAttempts: 0,
    manual: false,
    url: 'https://hooks.example.com/in',
    secretEncrypted: '',
    previousSecretEncrypted: null,
    previousSecretExpiresAt: null,
    payload: PAYLOAD,
    ...overrides,
  };
}

describe('RequestSigner', () => {
  const current = generateSecret();
  const previous = generateSecret();
  const signer = new RequestSigner(testSecretBox);
  const sealed = {
    secretEncrypted: testSecretBox.encrypt(current, ENDPOINT_ID),
    previousSecretEncrypted: testSecretBox.encrypt(previous, ENDPOINT_ID),
  };

  test('request carries the signed payload', () => {
    const outcome = signer.prepare(claimed({ secretEncrypted: sealed.secretEncrypted }), NOW);
    if (outcome.kind !== 'ready') {
      throw new Error(`expected a signed request, got ${outcome.error}`);
    }
    const { headers, body } = outcome.request;

    expect(body).toBe(PAYLOAD);
    expect(headers['webhook-id']).toBe('evt_01JD3Q8Z5V6Y7K2M4N8P0R1S3T');
    expect(headers['webhook-timestamp']).toBe(String(NOW / 1000));
    expect(headers['content-type']).toBe('application/json');
    expect(headers['user-agent']).toBe(DELIVERY_USER_AGENT);
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(1);
    expect(verify(body, headers, current, { now: NOW })).toEqual(JSON.parse(PAYLOAD));
  });

  test('rotation overlap signs with both secrets', () => {
    const outcome = signer.prepare(claimed({ ...sealed, previousSecretExpiresAt: NOW + 1 }), NOW);
    if (outcome.kind !== 'ready') {
      throw new Error(`expected a signed request, got ${outcome.error}`);
    }
    const { headers, body } = outcome.request;

    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(() => verify(body, headers, current, { now: NOW })).not.toThrow();
    expect(() => verify(body, headers, previous, { now: NOW })).not.toThrow();
  });

  test('expired previous secret no longer signs', () => {
    const outcome = signer.prepare(claimed({ ...sealed, previousSecretExpiresAt: NOW }), NOW);
    if (outcome.kind !== 'ready') {
      throw new Error(`expected a signed request, got ${outcome.error}`);
    }
    const { headers, body } = outcome.request;

    expect(headers['webhook-signature']?.split(' ')).toHaveLength(1);
    expect(() => verify(body, headers, previous, { now: NOW })).toThrow(/no v1 webhook signature/);
  });

  test('secret sealed for another endpoint is unreadable', () => {
    const foreign = testSecretBox.encrypt(current, 'ep_other');

    const outcome = signer.prepare(claimed({ secretEncrypted: foreign }), NOW);

    expect(outcome).toMatchObject({ kind: 'error', error: 'secret_unreadable' });
  });
});
