import { randomBytes } from 'node:crypto';

/** Prefix of Standard Webhooks signing secrets. */
export const SECRET_PREFIX = 'whsec_';

const SECRET_BYTES = 32;

/** Creates a signing secret: `whsec_` followed by base64 of 32 random bytes. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

/**
 * Decodes a secret into the HMAC key bytes. Accepts `whsec_<base64>` and, like the reference libraries, bare base64.
 * Throws a `TypeError` when the secret is empty or not base64.
 */
export function decodeSecret(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (encoded.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
    throw new TypeError('invalid webhook secret: expected "whsec_" followed by base64');
  }
  return Buffer.from(encoded, 'base64');
}
