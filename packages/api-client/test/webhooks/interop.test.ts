// Interoperability with the verifiers receivers actually use. Both libraries check the timestamp against the real
// clock, so these tests sign at the current time.
// NOTE: svix 1.x's Webhook delegates to its own copy of standardwebhooks (1.0.0 here), so the svix checks guard the
// svix entry point and header handling rather than a third HMAC implementation.
import {
  Webhook as StandardWebhook,
  WebhookVerificationError as StandardVerificationError,
} from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';

import {
  generateSecret,
  signatureHeaders,
  verify,
  WebhookVerificationError,
} from '../../src/index';

const ID = 'evt_01KPNS6KFD9W2B7R4M6T8Q0Y3H';
const BODY = '{"event_type":"contact.updated","data":{"first_name":"José","note":"🎉 ✓"}}';

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

describe('standardwebhooks interop', () => {
  test('our signature verifies with their library', () => {
    const secret = generateSecret();
    const headers = signatureHeaders(secret, { id: ID, body: BODY });

    expect(new StandardWebhook(secret).verify(BODY, { ...headers })).toEqual(JSON.parse(BODY));
  });

  test('our signature of bytes verifies with their library', () => {
    const secret = generateSecret();
    const bytes = Buffer.from(BODY, 'utf8');
    const headers = signatureHeaders(secret, { id: ID, body: bytes });

    expect(new StandardWebhook(secret).verify(bytes, { ...headers })).toEqual(JSON.parse(BODY));
  });

  test('their signature verifies with verify', () => {
    const secret = generateSecret();
    const timestamp = nowSeconds();
    const signature = new StandardWebhook(secret).sign(ID, new Date(timestamp * 1000), BODY);
    const headers = {
      'webhook-id': ID,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature,
    };

    expect(verify(BODY, headers, secret)).toEqual(JSON.parse(BODY));
  });

  test('our signature equals theirs for the same input', () => {
    const secret = generateSecret();
    const timestamp = nowSeconds();

    const ours = signatureHeaders(secret, { id: ID, timestamp, body: BODY })['webhook-signature'];
    const theirs = new StandardWebhook(secret).sign(ID, new Date(timestamp * 1000), BODY);

    expect(ours).toBe(theirs);
  });

  test('our rotation header verifies with each secret in their library', () => {
    const oldSecret = generateSecret();
    const newSecret = generateSecret();
    const headers = signatureHeaders([oldSecret, newSecret], { id: ID, body: BODY });

    expect(new StandardWebhook(oldSecret).verify(BODY, { ...headers })).toEqual(JSON.parse(BODY));
    expect(new StandardWebhook(newSecret).verify(BODY, { ...headers })).toEqual(JSON.parse(BODY));
  });

  test('a tampered body fails in both', () => {
    const secret = generateSecret();
    const headers = signatureHeaders(secret, { id: ID, body: BODY });
    const tampered = BODY.replace('José', 'Jose');

    expect(() => new StandardWebhook(secret).verify(tampered, { ...headers })).toThrow(
      StandardVerificationError,
    );
    expect(() => verify(tampered, headers, secret)).toThrow(WebhookVerificationError);
  });

  test('their library accepts our generated secret', () => {
    expect(() => new StandardWebhook(generateSecret())).not.toThrow();
  });
});

describe('svix interop', () => {
  test('our signature verifies with svix', () => {
    const secret = generateSecret();
    const headers = signatureHeaders(secret, { id: ID, body: BODY });

    expect(new SvixWebhook(secret).verify(BODY, { ...headers })).toEqual(JSON.parse(BODY));
  });

  test('our signature verifies with svix under svix-* header names', () => {
    const secret = generateSecret();
    const headers = signatureHeaders(secret, { id: ID, body: BODY });
    const svixHeaders = {
      'svix-id': headers['webhook-id'],
      'svix-timestamp': headers['webhook-timestamp'],
      'svix-signature': headers['webhook-signature'],
    };

    expect(new SvixWebhook(secret).verify(BODY, svixHeaders)).toEqual(JSON.parse(BODY));
  });

  test('svix signature verifies with verify', () => {
    const secret = generateSecret();
    const timestamp = nowSeconds();
    const signature = new SvixWebhook(secret).sign(ID, new Date(timestamp * 1000), BODY);
    const headers = {
      'webhook-id': ID,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature,
    };

    expect(verify(BODY, headers, secret)).toEqual(JSON.parse(BODY));
  });

  test('our rotation header verifies with svix', () => {
    const oldSecret = generateSecret();
    const newSecret = generateSecret();
    const headers = signatureHeaders([oldSecret, newSecret], { id: ID, body: BODY });

    expect(new SvixWebhook(oldSecret).verify(BODY, { ...headers })).toEqual(JSON.parse(BODY));
    expect(new SvixWebhook(newSecret).verify(BODY, { ...headers })).toEqual(JSON.parse(BODY));
  });

  test('svix rejects our signature under another secret', () => {
    const headers = signatureHeaders(generateSecret(), { id: ID, body: BODY });

    expect(() => new SvixWebhook(generateSecret()).verify(BODY, { ...headers })).toThrow();
  });
});
