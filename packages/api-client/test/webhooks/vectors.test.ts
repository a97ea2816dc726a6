// Known-answer tests: expected signatures come from the Standard Webhooks specification and from the independent
// standardwebhooks library (computed once, stored in test-fixtures/signatures), never from the signer under test.
import { sign, signatureHeaders, verifySignature } from '../../src/index';
import { loadVectorFile, type SignatureVector } from '../support/fixtures';

const spec = loadVectorFile('standard-webhooks-spec.json');
const generated = loadVectorFile('generated-vectors.json');

function headersOf(vector: SignatureVector): Record<string, string> {
  return {
    'webhook-id': vector.id,
    'webhook-timestamp': String(vector.timestamp),
    'webhook-signature': vector.signature,
  };
}

describe('Standard Webhooks specification vector', () => {
  const [vector] = spec.vectors;
  if (vector === undefined) {
    throw new Error('standard-webhooks-spec.json has no vector');
  }

  test('file holds the published values', () => {
    expect(spec.vectors).toHaveLength(1);
    expect(vector.secrets).toEqual(['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw']);
    expect(vector.id).toBe('msg_p5jXN8AQM9LWM0D4loKWxJek');
    expect(vector.timestamp).toBe(1614265330);
    expect(vector.body).toBe('{"test": 2432232314}');
    expect(vector.signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  test('sign produces the published signature', () => {
    const [secret] = vector.secrets;

    expect(sign(secret ?? '', vector)).toBe(vector.signature);
  });

  test('verifySignature accepts the published headers', () => {
    expect(() =>
      verifySignature(vector.body, headersOf(vector), vector.secrets, {
        now: vector.timestamp * 1000,
      }),
    ).not.toThrow();
  });

  test('secret without whsec_ prefix signs the same', () => {
    const [secret] = vector.secrets;

    expect(sign((secret ?? '').slice('whsec_'.length), vector)).toBe(vector.signature);
  });
});

describe('generated vectors', () => {
  test('file states how the values were produced', () => {
    expect(generated.note).toMatch(/standardwebhooks npm library \d+\.\d+\.\d+/);
  });

  test('cover a non-ASCII body and a rotation', () => {
    const hasNonAscii = generated.vectors.some((vector) =>
      /[\u0080-\u{10ffff}]/u.test(vector.body),
    );
    const hasEmoji = generated.vectors.some((vector) =>
      /\p{Extended_Pictographic}/u.test(vector.body),
    );
    const hasRotation = generated.vectors.some((vector) => vector.secrets.length === 2);

    expect(hasNonAscii).toBe(true);
    expect(hasEmoji).toBe(true);
    expect(hasRotation).toBe(true);
  });

  test.each(generated.vectors.map((vector) => [vector.name, vector] as const))(
    '%s: signatureHeaders matches the expected header',
    (_name, vector) => {
      const headers = signatureHeaders(vector.secrets, vector);

      expect(headers['webhook-signature']).toBe(vector.signature);
      expect(headers['webhook-id']).toBe(vector.id);
      expect(headers['webhook-timestamp']).toBe(String(vector.timestamp));
    },
  );

  test.each(generated.vectors.map((vector) => [vector.name, vector] as const))(
    '%s: byte body signs the same as the string',
    (_name, vector) => {
      const bytes = new TextEncoder().encode(vector.body);

      expect(
        signatureHeaders(vector.secrets, { ...vector, body: bytes })['webhook-signature'],
      ).toBe(vector.signature);
    },
  );

  test.each(generated.vectors.map((vector) => [vector.name, vector] as const))(
    '%s: verifySignature accepts it with each secret alone',
    (_name, vector) => {
      for (const secret of vector.secrets) {
        expect(() =>
          verifySignature(vector.body, headersOf(vector), secret, { now: vector.timestamp * 1000 }),
        ).not.toThrow();
      }
    },
  );
});
