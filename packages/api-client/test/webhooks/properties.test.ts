import fc from 'fast-check';
import { Webhook as StandardWebhook } from 'standardwebhooks';

import { signatureHeaders, verifySignature, WebhookVerificationError } from '../../src/index';

const secretArbitrary = fc
  .uint8Array({ minLength: 1, maxLength: 64 })
  .map((bytes) => `whsec_${Buffer.from(bytes).toString('base64')}`);
// Any non-empty id; headers carry it verbatim in these tests.
const idArbitrary = fc.string({ minLength: 1, maxLength: 64, unit: 'grapheme' });
// Every value `sign` accepts: integer seconds with at most 12 digits.
const timestampArbitrary = fc.integer({ min: 0, max: 999_999_999_999 });
const bodyArbitrary = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }),
  fc.string({ maxLength: 512, unit: 'grapheme' }),
  fc.json(),
);
// Clock offsets in ms that stay within the 300 s tolerance once `verify` floors the clock to whole seconds.
const offsetArbitrary = fc.integer({ min: -300_000, max: 300_999 });

function rejection(action: () => void): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof WebhookVerificationError ? error.reason : `unexpected ${String(error)}`;
  }
  return undefined;
}

describe('signing properties', () => {
  test('sign then verify always passes', () => {
    fc.assert(
      fc.property(
        secretArbitrary,
        idArbitrary,
        timestampArbitrary,
        bodyArbitrary,
        offsetArbitrary,
        (secret, id, timestamp, body, offsetMs) => {
          const headers = signatureHeaders(secret, { id, timestamp, body });
          const now = Math.max(0, timestamp * 1000 + offsetMs);

          expect(rejection(() => verifySignature(body, headers, secret, { now }))).toBeUndefined();
        },
      ),
    );
  });

  test('any single-byte change of the body fails', () => {
    fc.assert(
      fc.property(
        secretArbitrary,
        idArbitrary,
        timestampArbitrary,
        fc.uint8Array({ minLength: 1, maxLength: 2048 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (secret, id, timestamp, body, position, delta) => {
          const headers = signatureHeaders(secret, { id, timestamp, body });
          const changed = Uint8Array.from(body);
          const index = position % changed.length;
          changed[index] = ((changed[index] ?? 0) + delta) % 256;

          expect(
            rejection(() => verifySignature(changed, headers, secret, { now: timestamp * 1000 })),
          ).toBe('no_matching_signature');
        },
      ),
    );
  });

  test('any single-character change of the signature header fails', () => {
    // Base64 characters plus the separator; each appears once, so removing the original leaves only real changes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=,';
    fc.assert(
      fc.property(
        secretArbitrary,
        idArbitrary,
        timestampArbitrary,
        bodyArbitrary,
        fc.nat(),
        fc.nat(),
        (secret, id, timestamp, body, position, replacement) => {
          const headers = signatureHeaders(secret, { id, timestamp, body });
          const signature = headers['webhook-signature'];
          const index = position % signature.length;
          const original = signature.charAt(index);
          const candidates = alphabet.replaceAll(original, '');
          const character = candidates.charAt(replacement % candidates.length);
          const changed = {
            ...headers,
            'webhook-signature': signature.slice(0, index) + character + signature.slice(index + 1),
          };

          expect(
            rejection(() => verifySignature(body, changed, secret, { now: timestamp * 1000 })),
          ).toBe('no_matching_signature');
        },
      ),
    );
  });

  test('any single-character change of the id fails', () => {
    fc.assert(
      fc.property(
        secretArbitrary,
        fc.string({ minLength: 1, maxLength: 64 }),
        timestampArbitrary,
        bodyArbitrary,
        fc.nat(),
        (secret, id, timestamp, body, position) => {
          const headers = signatureHeaders(secret, { id, timestamp, body });
          const index = position % id.length;
          const character = id.charAt(index) === 'x' ? 'y' : 'x';
          const changedId = id.slice(0, index) + character + id.slice(index + 1);

          expect(
            rejection(() =>
              verifySignature(body, { ...headers, 'webhook-id': changedId }, secret, {
                now: timestamp * 1000,
              }),
            ),
          ).toBe('no_matching_signature');
        },
      ),
    );
  });

  test('signature equals the standardwebhooks library for any input', () => {
    fc.assert(
      fc.property(
        secretArbitrary,
        idArbitrary,
        timestampArbitrary,
        bodyArbitrary,
        (secret, id, timestamp, body) => {
          const ours = signatureHeaders(secret, { id, timestamp, body })['webhook-signature'];
          const theirs = new StandardWebhook(secret).sign(
            id,
            new Date(timestamp * 1000),
            typeof body === 'string' ? body : Buffer.from(body),
          );

          expect(ours).toBe(theirs);
        },
      ),
    );
  });
});
