import { timingSafeEqual } from 'node:crypto';

import { WebhookVerificationError } from './errors.js';
import { readHeader, webhookHeaderNames, type HeaderSource } from './headers.js';
import { sign } from './sign.js';

/** Options of `verify`. */
export interface VerifyOptions {
  /** Largest accepted distance between the `webhook-timestamp` and now, in seconds, in either direction. */
  toleranceSeconds?: number;
  /** Current time in milliseconds; tests pin it. */
  now?: number;
}

/** Default timestamp tolerance, the same 5 minutes the Standard Webhooks reference libraries use. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * Verifies a Standard Webhooks request and returns the parsed JSON body.
 *
 * `body` must be the raw request body exactly as received (a string or the bytes): a body parsed into JSON and
 * serialised again changes whitespace or key order and never verifies. `secrets` may hold several secrets, for
 * example the old and the new one while a secret rotates; a request signed with any of them passes.
 *
 * Throws `WebhookVerificationError` with `reason` set to `missing_header`, `invalid_timestamp`,
 * `timestamp_too_old`, `timestamp_too_new`, `no_matching_signature` or `invalid_payload`.
 */
export function verify(
  body: string | Uint8Array,
  headers: HeaderSource,
  secrets: string | readonly string[],
  options: VerifyOptions = {},
): unknown {
  verifySignature(body, headers, secrets, options);

  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new WebhookVerificationError('invalid_payload', 'webhook body is not valid JSON', { cause: error });
  }
}

/** Performs the checks of `verify` without parsing the body; throws `WebhookVerificationError` on failure. */
export function verifySignature(
  body: string | Uint8Array,
  headers: HeaderSource,
  secrets: string | readonly string[],
  options: VerifyOptions = {},
): void {
  const id = readHeader(headers, webhookHeaderNames.id);
  const timestampText = readHeader(headers, webhookHeaderNames.timestamp);
  const signatureText = readHeader(headers, webhookHeaderNames.signature);
  if (!id || !timestampText || !signatureText) {
    throw new WebhookVerificationError(
      'missing_header',
      'missing webhook-id, webhook-timestamp or webhook-signature header',
    );
  }

  const timestamp = parseTimestamp(timestampText);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  if (timestamp < nowSeconds - tolerance) {
    throw new WebhookVerificationError('timestamp_too_old', `webhook timestamp is more than ${tolerance}s old`);
  }
  if (timestamp > nowSeconds + tolerance) {
    throw new WebhookVerificationError('timestamp_too_new', `webhook timestamp is more than ${tolerance}s ahead`);
  }

  const received = signatureText
    .split(' ')
    .filter((part) => part.startsWith('v1,'))
    .map((part) => Buffer.from(part.slice('v1,'.length), 'base64'));
  const list = typeof secrets === 'string' ? [secrets] : secrets;

  for (const secret of list) {
    const expected = Buffer.from(sign(secret, { id, timestamp, body }).slice('v1,'.length), 'base64');
    for (const candidate of received) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) {
        return;
      }
    }
  }

  throw new WebhookVerificationError('no_matching_signature', 'no webhook signature matches the secret');
}

function parseTimestamp(text: string): number {
  if (!/^\d{1,12}$/.test(text)) {
    throw new WebhookVerificationError('invalid_timestamp', `webhook-timestamp "${text.slice(0, 20)}" is not Unix seconds`);
  }
  return Number(text);
}
