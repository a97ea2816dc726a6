import { createHmac } from 'node:crypto';

import { webhookHeaderNames } from './headers.js';
import { decodeSecret } from './secret.js';

/** Input of a signature. `body` must be the exact bytes sent. */
export interface SignInput {
  /** The `webhook-id`: the event id, identical on every retry. */
  id: string;
  /** The `webhook-timestamp` in integer Unix seconds: the time of this attempt. */
  timestamp: number;
  /** The request body; a string is signed as its UTF-8 bytes. */
  body: string | Uint8Array;
}

// `verify` accepts at most 12 digits. Twelve digits of seconds last beyond the year 30000, and a 13-digit value is
// almost always milliseconds passed by mistake.
const MAX_TIMESTAMP_SECONDS = 999_999_999_999;

/**
 * Computes one `v1,<base64>` signature of `${id}.${timestamp}.${body}` with HMAC-SHA256.
 * Throws a `TypeError` when the secret is not valid base64 or `timestamp` is not an integer of Unix seconds from 0 to
 * 999,999,999,999.
 */
export function sign(secret: string, input: SignInput): string {
  // A fraction, an exponent (`1e+21`) or milliseconds would produce a webhook-timestamp header that verify rejects.
  if (
    !Number.isInteger(input.timestamp) ||
    input.timestamp < 0 ||
    input.timestamp > MAX_TIMESTAMP_SECONDS
  ) {
    throw new TypeError(
      `webhook timestamp must be an integer of Unix seconds from 0 to ${MAX_TIMESTAMP_SECONDS}, got ${input.timestamp}`,
    );
  }

  const hmac = createHmac('sha256', decodeSecret(secret));
  hmac.update(`${input.id}.${input.timestamp}.`);
  hmac.update(typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : input.body);
  return `v1,${hmac.digest('base64')}`;
}

/**
 * The three Standard Webhooks headers of one request. A type alias rather than an interface, so the value passes
 * where a header record (`HeaderSource`, `Record<string, string>`) is expected.
 */
export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/**
 * Builds the headers of one delivery attempt, signed with every secret given (several during rotation, space
 * separated). `timestamp` defaults to now, so each attempt is signed afresh.
 */
export function signatureHeaders(
  secrets: string | readonly string[],
  input: Omit<SignInput, 'timestamp'> & { timestamp?: number },
): WebhookHeaders {
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (list.length === 0) {
    throw new TypeError('signatureHeaders needs at least one secret');
  }

  const signatures = list.map((secret) =>
    sign(secret, { id: input.id, timestamp, body: input.body }),
  );
  return {
    [webhookHeaderNames.id]: input.id,
    [webhookHeaderNames.timestamp]: String(timestamp),
    [webhookHeaderNames.signature]: signatures.join(' '),
  };
}
