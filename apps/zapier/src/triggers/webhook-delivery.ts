import { readHeader, verify, webhookHeaderNames, WebhookVerificationError } from '@app/api-client';
import type { Bundle, ZObject } from 'zapier-platform-core';

import { apiUrl } from '../api-url.js';

/** Subscription data that `performSubscribe` returns and Zapier stores as `bundle.subscribeData`. */
export interface Subscription {
  /** Id of the endpoint created for the Zap (`ep_...`). */
  id: string;
  /** The endpoint's signing secret (`whsec_...`) at subscribe time. */
  secret: string;
}

/**
 * Maps the headers of a hook request as Zapier passes them to the Standard Webhooks names. Zapier renames request
 * headers CGI-style, so `webhook-signature` arrives as `Http-Webhook-Signature`; the original names are accepted too.
 */
export function standardWebhookHeaders(
  headers: Record<string, string | undefined>,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name of Object.values(webhookHeaderNames)) {
    const value = readHeader(headers, `http-${name}`) ?? readHeader(headers, name);
    if (value !== undefined) {
      result[name] = value;
    }
  }
  return result;
}

/**
 * Verifies the Standard Webhooks signature of the hook request in `bundle.rawRequest` with the endpoint's secret and
 * returns the parsed body. When no signature matches the stored secret (or none is stored), it fetches the
 * endpoint's current secret once and verifies again, because a rotated secret replaces the stored one 24 hours
 * after the rotation.
 *
 * Throws `HaltedError` when the request is missing, unsigned, too old or too new, or signed with another secret:
 * Zapier then stops the run without counting it as an error of the Zap.
 */
export async function readVerifiedDelivery(z: ZObject, bundle: Bundle): Promise<unknown> {
  const request = bundle.rawRequest;
  if (!request || typeof request.content !== 'string') {
    throw new z.errors.HaltedError(
      'Rejected a hook request without a raw body; it cannot be verified.',
    );
  }
  const subscription = readSubscription(z, bundle);
  const headers = standardWebhookHeaders(request.headers ?? {});

  if (subscription.secret !== undefined) {
    try {
      return verify(request.content, headers, subscription.secret);
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) {
        throw error;
      }
      if (error.reason !== 'no_matching_signature') {
        throw rejection(z, error);
      }
    }
  }

  const currentSecret = await fetchCurrentSecret(z, bundle, subscription.id);
  if (currentSecret === undefined || currentSecret === subscription.secret) {
    throw rejection(
      z,
      new WebhookVerificationError(
        'no_matching_signature',
        'no webhook signature matches the secret',
      ),
    );
  }
  try {
    return verify(request.content, headers, currentSecret);
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      throw rejection(z, error);
    }
    throw error;
  }
}

/** Reads `bundle.subscribeData`; throws `HaltedError` when it contains no endpoint id. */
export function readSubscription(
  z: ZObject,
  bundle: Bundle,
): { id: string; secret: string | undefined } {
  const data = (bundle.subscribeData ?? {}) as Partial<Record<keyof Subscription, unknown>>;
  if (typeof data.id !== 'string' || data.id === '') {
    throw new z.errors.HaltedError(
      'The Zap has no endpoint to verify deliveries with. Turn the Zap off and on again to subscribe again.',
    );
  }
  const secret = typeof data.secret === 'string' && data.secret !== '' ? data.secret : undefined;
  return { id: data.id, secret };
}

async function fetchCurrentSecret(
  z: ZObject,
  bundle: Bundle,
  endpointId: string,
): Promise<string | undefined> {
  try {
    const response = await z.request<{ secret: string }>({
      url: apiUrl(z, bundle, `/endpoints/${encodeURIComponent(endpointId)}/secret`),
      method: 'GET',
    });
    return response.data.secret;
  } catch (error) {
    // The delivery is rejected either way, so the error is logged rather than raised.
    z.console.log(
      `could not fetch the current secret of endpoint ${endpointId}: ${(error as Error).message}`,
    );
    return undefined;
  }
}

function rejection(z: ZObject, error: WebhookVerificationError): Error {
  const reason = /[.!?]$/.test(error.message) ? error.message : `${error.message}.`;
  return new z.errors.HaltedError(
    `Rejected a delivery that failed signature verification (${error.reason}): ${reason}`,
  );
}
