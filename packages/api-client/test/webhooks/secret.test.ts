import {
  decodeSecret,
  generateSecret,
  SECRET_PREFIX,
  sign,
  signatureHeaders,
} from '../../src/index';

describe('generateSecret', () => {
  test('is whsec_ and base64 of 32 bytes', () => {
    const secret = generateSecret();

    expect(secret.startsWith(SECRET_PREFIX)).toBe(true);
    expect(secret.slice(SECRET_PREFIX.length)).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(decodeSecret(secret)).toHaveLength(32);
  });

  test('differs on every call', () => {
    const secrets = new Set(Array.from({ length: 100 }, () => generateSecret()));

    expect(secrets.size).toBe(100);
  });
});

describe('decodeSecret', () => {
  test('accepts whsec_ and bare base64 alike', () => {
    const bare = 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

    expect(decodeSecret(`whsec_${bare}`).equals(Buffer.from(bare, 'base64'))).toBe(true);
    expect(decodeSecret(bare).equals(Buffer.from(bare, 'base64'))).toBe(true);
  });

  test.each([
    [''],
    ['whsec_'],
    ['whsec_not base64'],
    ['whsec_abc$'],
    ['whsec_abc==='],
    ['whsec_YWJj\n'],
  ])('rejects %p with TypeError', (secret) => {
    expect(() => decodeSecret(secret)).toThrow(TypeError);
  });
});

describe('sign', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

  test.each([[1.5], [-1], [Number.NaN], [1e21], [Date.now()]])(
    'rejects timestamp %p',
    (timestamp) => {
      expect(() => sign(secret, { id: 'msg_1', timestamp, body: '' })).toThrow(TypeError);
    },
  );

  test('accepts timestamp 0 and the 12-digit maximum', () => {
    expect(sign(secret, { id: 'msg_1', timestamp: 0, body: '' })).toMatch(/^v1,/);
    expect(sign(secret, { id: 'msg_1', timestamp: 999_999_999_999, body: '' })).toMatch(/^v1,/);
  });
});

describe('signatureHeaders', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

  test('defaults the timestamp to now in seconds', () => {
    const before = Math.floor(Date.now() / 1000);
    const headers = signatureHeaders(secret, { id: 'msg_1', body: '{}' });
    const after = Math.floor(Date.now() / 1000);

    expect(Number(headers['webhook-timestamp'])).toBeGreaterThanOrEqual(before);
    expect(Number(headers['webhook-timestamp'])).toBeLessThanOrEqual(after);
  });

  test('returns exactly the three Standard Webhooks headers', () => {
    const headers = signatureHeaders(secret, { id: 'msg_1', timestamp: 1, body: '{}' });

    expect(Object.keys(headers).sort()).toEqual([
      'webhook-id',
      'webhook-signature',
      'webhook-timestamp',
    ]);
  });

  test('rejects an empty secret list', () => {
    expect(() => signatureHeaders([], { id: 'msg_1', body: '{}' })).toThrow(TypeError);
  });
});
