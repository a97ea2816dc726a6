import crypto from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  generateSecret,
  signatureHeaders,
  verify,
  verifySignature,
  WebhookVerificationError,
  type HeaderSource,
  type VerifyOptions,
  type WebhookVerificationReason,
} from '../../src/index';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER_SECRET = 'whsec_iKL9roTaWHzK1kx3F7S8MNFdpMU9s1euJRSbsXJyjuo=';
const ID = 'evt_01KP5HAAAYQ3M8V2T6XWD4N7RC';
const TIMESTAMP = 1776155000;
const BODY =
  '{"event_id":"evt_01KP5HAAAYQ3M8V2T6XWD4N7RC","event_type":"contact.created","data":{"name":"Zoë"}}';
const AT_TIMESTAMP: VerifyOptions = { now: TIMESTAMP * 1000 };

function signed(
  body: string | Uint8Array = BODY,
  secrets: string | string[] = SECRET,
): Record<string, string> {
  return { ...signatureHeaders(secrets, { id: ID, timestamp: TIMESTAMP, body }) };
}

function verificationError(action: () => unknown): WebhookVerificationError {
  try {
    action();
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a WebhookVerificationError');
}

function reasonOf(action: () => unknown): WebhookVerificationReason {
  return verificationError(action).reason;
}

describe('verify accepts', () => {
  test('string body and returns parsed JSON', () => {
    expect(verify(BODY, signed(), SECRET, AT_TIMESTAMP)).toEqual(JSON.parse(BODY));
  });

  test('Uint8Array body', () => {
    const bytes = new TextEncoder().encode(BODY);

    expect(verify(bytes, signed(), SECRET, AT_TIMESTAMP)).toEqual(JSON.parse(BODY));
  });

  test('Buffer body', () => {
    expect(verify(Buffer.from(BODY, 'utf8'), signed(), SECRET, AT_TIMESTAMP)).toEqual(
      JSON.parse(BODY),
    );
  });

  test('headers with any casing', () => {
    const headers = signed();
    const mixed = {
      'Webhook-Id': headers['webhook-id'],
      'WEBHOOK-TIMESTAMP': headers['webhook-timestamp'],
      'webhook-Signature': headers['webhook-signature'],
    };

    expect(verify(BODY, mixed, SECRET, AT_TIMESTAMP)).toEqual(JSON.parse(BODY));
  });

  test('header values as arrays', () => {
    const headers = signed();
    const arrays: HeaderSource = {
      'webhook-id': [headers['webhook-id'] ?? ''],
      'webhook-timestamp': [headers['webhook-timestamp'] ?? ''],
      'webhook-signature': [headers['webhook-signature'] ?? ''],
    };

    expect(verify(BODY, arrays, SECRET, AT_TIMESTAMP)).toEqual(JSON.parse(BODY));
  });

  test('fetch Headers', () => {
    const headers = new Headers(signed());

    expect(verify(BODY, headers, SECRET, AT_TIMESTAMP)).toEqual(JSON.parse(BODY));
  });

  test('headers and raw body of a real Node request', async () => {
    const secret = generateSecret();
    const received = await new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>(
      (resolveRequest, reject) => {
        const server = createServer((request, response) => {
          const chunks: Buffer[] = [];
          request.on('data', (chunk: Buffer) => chunks.push(chunk));
          request.on('end', () => {
            response.end();
            server.close();
            resolveRequest({ headers: request.headers, body: Buffer.concat(chunks) });
          });
        });
        server.listen(0, '127.0.0.1', () => {
          const { port } = server.address() as AddressInfo;
          const headers = signatureHeaders(secret, { id: ID, body: BODY });
          fetch(`http://127.0.0.1:${port}/hook`, {
            method: 'POST',
            headers: { ...headers },
            body: BODY,
          }).catch(reject);
        });
      },
    );

    expect(verify(received.body, received.headers, secret)).toEqual(JSON.parse(BODY));
  });

  test('timestamp exactly at the tolerance in the past', () => {
    expect(() =>
      verifySignature(BODY, signed(), SECRET, { now: (TIMESTAMP + 300) * 1000 }),
    ).not.toThrow();
  });

  test('timestamp exactly at the tolerance in the future', () => {
    expect(() =>
      verifySignature(BODY, signed(), SECRET, { now: (TIMESTAMP - 300) * 1000 }),
    ).not.toThrow();
  });

  test('a v1 signature among unknown versions and garbage', () => {
    const headers = signed();
    const valid = headers['webhook-signature'];
    headers['webhook-signature'] =
      `v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= nonsense  v1,AAAA ${valid}`;

    expect(() => verifySignature(BODY, headers, SECRET, AT_TIMESTAMP)).not.toThrow();
  });
});

describe('verify rejects', () => {
  test.each([['webhook-id'], ['webhook-timestamp'], ['webhook-signature']])(
    'missing %s header',
    (name) => {
      const headers = signed();
      delete headers[name];

      const error = verificationError(() => verify(BODY, headers, SECRET, AT_TIMESTAMP));

      expect(error.reason).toBe('missing_header');
      expect(error.message).toContain(name);
    },
  );

  test.each([['webhook-id'], ['webhook-timestamp'], ['webhook-signature']])(
    'empty %s header',
    (name) => {
      const headers = { ...signed(), [name]: '' };

      expect(reasonOf(() => verify(BODY, headers, SECRET, AT_TIMESTAMP))).toBe('missing_header');
    },
  );

  test('missing header in fetch Headers', () => {
    const headers = new Headers(signed());
    headers.delete('webhook-signature');

    expect(reasonOf(() => verify(BODY, headers, SECRET, AT_TIMESTAMP))).toBe('missing_header');
  });

  test.each([
    ['abc'],
    ['1776155000.0'],
    ['-1776155000'],
    [' 1776155000'],
    ['1e9'],
    ['0x69D2E0F8'],
    ['1776155000000'],
  ])('non-numeric timestamp %p', (value) => {
    const headers = { ...signed(), 'webhook-timestamp': value };

    expect(reasonOf(() => verify(BODY, headers, SECRET, AT_TIMESTAMP))).toBe('invalid_timestamp');
  });

  test('timestamp too old', () => {
    const error = verificationError(() =>
      verify(BODY, signed(), SECRET, { now: (TIMESTAMP + 301) * 1000 }),
    );

    expect(error.reason).toBe('timestamp_too_old');
    expect(error.message).toContain('301s');
  });

  test('timestamp too new', () => {
    const error = verificationError(() =>
      verify(BODY, signed(), SECRET, { now: (TIMESTAMP - 301) * 1000 }),
    );

    expect(error.reason).toBe('timestamp_too_new');
    expect(error.message).toContain('301s');
  });

  test('timestamp outside a custom tolerance', () => {
    const options = { now: (TIMESTAMP + 61) * 1000, toleranceSeconds: 60 };

    expect(reasonOf(() => verify(BODY, signed(), SECRET, options))).toBe('timestamp_too_old');
  });

  test('tampered body', () => {
    const tampered = BODY.replace('Zoë', 'Zoe');

    expect(reasonOf(() => verify(tampered, signed(), SECRET, AT_TIMESTAMP))).toBe(
      'no_matching_signature',
    );
  });

  test('body re-serialised with other whitespace', () => {
    const reformatted = JSON.stringify(JSON.parse(BODY), null, 2);

    expect(reasonOf(() => verify(reformatted, signed(), SECRET, AT_TIMESTAMP))).toBe(
      'no_matching_signature',
    );
  });

  test('tampered webhook-id', () => {
    const headers = { ...signed(), 'webhook-id': 'evt_01KP5HAAAYQ3M8V2T6XWD4N7RD' };

    expect(reasonOf(() => verify(BODY, headers, SECRET, AT_TIMESTAMP))).toBe(
      'no_matching_signature',
    );
  });

  test('tampered timestamp inside the tolerance', () => {
    const headers = { ...signed(), 'webhook-timestamp': String(TIMESTAMP + 1) };

    expect(reasonOf(() => verify(BODY, headers, SECRET, AT_TIMESTAMP))).toBe(
      'no_matching_signature',
    );
  });

  test('wrong secret', () => {
    expect(reasonOf(() => verify(BODY, signed(), OTHER_SECRET, AT_TIMESTAMP))).toBe(
      'no_matching_signature',
    );
  });

  test('only an unknown version v2 with the right bytes', () => {
    const headers = signed();
    headers['webhook-signature'] = (headers['webhook-signature'] ?? '').replace(/^v1,/, 'v2,');

    expect(reasonOf(() => verify(BODY, headers, SECRET, AT_TIMESTAMP))).toBe(
      'no_matching_signature',
    );
  });

  test('empty v1 signature', () => {
    const headers = { ...signed(), 'webhook-signature': 'v1,' };

    expect(reasonOf(() => verify(BODY, headers, SECRET, AT_TIMESTAMP))).toBe(
      'no_matching_signature',
    );
  });

  test('truncated signature', () => {
    const headers = signed();
    headers['webhook-signature'] = (headers['webhook-signature'] ?? '').slice(0, 20);

    expect(reasonOf(() => verify(BODY, headers, SECRET, AT_TIMESTAMP))).toBe(
      'no_matching_signature',
    );
  });

  test('signature text that decodes to the same bytes', () => {
    // The last base64 character of a 32-byte HMAC carries 2 unused bits, so flipping its lowest bit changes the text
    // but not the decoded bytes. The signature header must match as text.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const signature = (signed()['webhook-signature'] ?? '').slice('v1,'.length);
    const lastIndex = signature.length - 2;
    const lastCharacter = signature.charAt(lastIndex);
    const altered =
      signature.slice(0, lastIndex) + alphabet.charAt(alphabet.indexOf(lastCharacter) ^ 1) + '=';
    const headers = { ...signed(), 'webhook-signature': `v1,${altered}` };

    expect(altered).not.toBe(signature);
    expect(Buffer.from(altered, 'base64').equals(Buffer.from(signature, 'base64'))).toBe(true);
    expect(reasonOf(() => verify(BODY, headers, SECRET, AT_TIMESTAMP))).toBe(
      'no_matching_signature',
    );
  });

  test('body that is not JSON after a valid signature', () => {
    const body = 'not json';

    const error = verificationError(() => verify(body, signed(body), SECRET, AT_TIMESTAMP));

    expect(error.reason).toBe('invalid_payload');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  test('verifySignature accepts a valid non-JSON body', () => {
    const body = 'not json';

    expect(() => verifySignature(body, signed(body), SECRET, AT_TIMESTAMP)).not.toThrow();
  });

  test('empty secret list with TypeError', () => {
    expect(() => verify(BODY, signed(), [], AT_TIMESTAMP)).toThrow(TypeError);
  });

  test('secret that is not base64 with TypeError', () => {
    expect(() => verify(BODY, signed(), 'whsec_not base64!', AT_TIMESTAMP)).toThrow(TypeError);
  });
});

describe('verification error', () => {
  test('is an Error with a name and a reason', () => {
    const error = verificationError(() => verify(BODY, signed(), OTHER_SECRET, AT_TIMESTAMP));

    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('WebhookVerificationError');
    expect(error.reason).toBe('no_matching_signature');
  });

  test('messages differ between reasons', () => {
    const headersWithoutId: Record<string, string> = { ...signed() };
    delete headersWithoutId['webhook-id'];
    const messages = [
      verificationError(() => verify(BODY, headersWithoutId, SECRET, AT_TIMESTAMP)).message,
      verificationError(() =>
        verify(BODY, { ...signed(), 'webhook-timestamp': 'x' }, SECRET, AT_TIMESTAMP),
      ).message,
      verificationError(() => verify(BODY, signed(), SECRET, { now: (TIMESTAMP + 999) * 1000 }))
        .message,
      verificationError(() => verify(BODY, signed(), SECRET, { now: (TIMESTAMP - 999) * 1000 }))
        .message,
      verificationError(() => verify(BODY, signed(), OTHER_SECRET, AT_TIMESTAMP)).message,
      verificationError(() => verify('x', signed('x'), SECRET, AT_TIMESTAMP)).message,
    ];

    expect(new Set(messages).size).toBe(messages.length);
  });

  test('message never contains the secret', () => {
    const error = verificationError(() => verify(BODY, signed(), OTHER_SECRET, AT_TIMESTAMP));

    expect(error.message).not.toContain(OTHER_SECRET.slice('whsec_'.length));
  });
});

describe('secret rotation', () => {
  const rotated = (): Record<string, string> => signed(BODY, [OTHER_SECRET, SECRET]);

  test('header carries one signature per secret', () => {
    const signatures = (rotated()['webhook-signature'] ?? '').split(' ');

    expect(signatures).toHaveLength(2);
    expect(signatures[0]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(signatures[1]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(signatures[0]).not.toBe(signatures[1]);
  });

  test('verifies with the old secret alone', () => {
    expect(() => verifySignature(BODY, rotated(), OTHER_SECRET, AT_TIMESTAMP)).not.toThrow();
  });

  test('verifies with the new secret alone', () => {
    expect(() => verifySignature(BODY, rotated(), SECRET, AT_TIMESTAMP)).not.toThrow();
  });

  test('verifies a single signature with a list of secrets', () => {
    const unrelated = generateSecret();

    expect(() => verifySignature(BODY, signed(), [unrelated, SECRET], AT_TIMESTAMP)).not.toThrow();
    expect(() => verifySignature(BODY, signed(), [SECRET, unrelated], AT_TIMESTAMP)).not.toThrow();
  });

  test('rejects when no secret of the list matches', () => {
    const secrets = [generateSecret(), generateSecret()];

    expect(reasonOf(() => verifySignature(BODY, rotated(), secrets, AT_TIMESTAMP))).toBe(
      'no_matching_signature',
    );
  });
});

describe('constant-time comparison', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  test('a match is found through timingSafeEqual', () => {
    const spy = jest.spyOn(crypto, 'timingSafeEqual');

    verifySignature(BODY, signed(), SECRET, AT_TIMESTAMP);

    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.results[0]?.value).toBe(true);
  });

  test('every candidate of equal length goes through timingSafeEqual', () => {
    const spy = jest.spyOn(crypto, 'timingSafeEqual');

    verificationError(() =>
      verifySignature(BODY, signed(BODY, [OTHER_SECRET, generateSecret()]), SECRET, AT_TIMESTAMP),
    );

    expect(spy).toHaveBeenCalledTimes(2);
    expect(spy.mock.results.every((result) => result.value === false)).toBe(true);
  });
});
