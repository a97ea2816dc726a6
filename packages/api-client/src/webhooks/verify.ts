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

const SIGNATURE_VERSION_PREFIX = 'v1,';

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
 * `timestamp_too_old`, `timestamp_too_new`, `no_matching_signature` or `invalid_payload`, and a `TypeError` when
 * `secrets` is empty or a secret is not valid base64.
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
    throw new WebhookVerificationError('invalid_payload', 'webhook body is not valid JSON', {
      cause: error,
    });
  }
}

/**
 * Performs the checks of `verify` without parsing the body. Throws `WebhookVerificationError` on failure, and a
 * `TypeError` when `secrets` is empty or a secret is not valid base64.
 */
export function verifySignature(
  body: string | Uint8Array,
  headers: HeaderSource,
  secrets: string | readonly string[],
  options: VerifyOptions = {},
): void {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (list.length === 0) {
    throw new TypeError('verify needs at least one webhook secret');
  }

  const id = requireHeader(headers, webhookHeaderNames.id);
  const timestampText = requireHeader(headers, webhookHeaderNames.timestamp);
  const signatureText = requireHeader(headers, webhookHeaderNames.signature);

  const timestamp = parseTimestamp(timestampText);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  if (timestamp < nowSeconds - tolerance) {
    throw new WebhookVerificationError(
      'timestamp_too_old',
      `webhook-timestamp ${timestamp} is ${nowSeconds - timestamp}s in the past, beyond the ${tolerance}s tolerance`,
    );
  }
  if (timestamp > nowSeconds + tolerance) {
    throw new WebhookVerificationError(
      'timestamp_too_new',
      `webhook-timestamp ${timestamp} is ${timestamp - nowSeconds}s in the future, beyond the ${tolerance}s tolerance`,
    );
  }

  // Signatures are compared as text, not as decoded bytes: base64 decoding ignores stray characters and the unused
  // bits of the last character, so several different header values decode to the same bytes.
  const received = signatureText
    .split(' ')
    .filter((part) => part.startsWith(SIGNATURE_VERSION_PREFIX))
    .map((part) => Buffer.from(part, 'utf8'));

  for (const secret of list) {
    const expected = Buffer.from(sign(secret, { id, timestamp, body }), 'utf8');
    for (const candidate of received) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) {
        return;
      }
    }
  }

  throw new WebhookVerificationError(
    'no_matching_signature',
    'no v1 webhook signature matches the secret. Check the secret and pass the raw request body.',
  );
}

function requireHeader(headers: HeaderSource, name: string): string {
  const value = readHeader(headers, name);
  if (!value) {
    throw new WebhookVerificationError('missing_header', `missing ${name} header`);
  }
  return value;
}

function parseTimestamp(text: string): number {
  if (!/^\d{1,12}$/.test(text)) {
    throw new WebhookVerificationError(
      'invalid_timestamp',
      `webhook-timestamp "${text.slice(0, 20)}" is not an integer number of Unix seconds`,
    );
  }
  return Number(text);
}
