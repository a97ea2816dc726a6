import { brand, signatureHeaders } from '@app/api-client';

import type { SecretBox } from '../security/secret-box.js';
import type { ClaimedDelivery } from '../storage/deliveries.js';
import type { OutboundRequest } from './send.js';

/** User agent of every delivery request. */
export const DELIVERY_USER_AGENT = `${brand.slug}-webhooks/0.1.0`;

/** Result of the prepare stage: a signed request, or why none could be built. */
export type PrepareOutcome =
  | { kind: 'ready'; request: OutboundRequest }
  | { kind: 'error'; error: 'secret_unreadable'; detail: string };

// Decrypted secrets are kept by ciphertext, so a rotation (a new ciphertext) is picked up at once. Bounded so a
// server with many endpoints does not grow without limit; it is cleared whole when full.
const MAX_CACHED_SECRETS = 10_000;

/**
 * Builds the signed request of an attempt. Each attempt is signed afresh with the attempt time as
 * `webhook-timestamp`, the event id as `webhook-id`, and the current secret plus, during a rotation's overlap, the
 * previous one.
 */
export class RequestSigner {
  private readonly secrets = new Map<string, string>();

  constructor(private readonly secretBox: SecretBox) {}

  /** Signs `delivery` at `now` (epoch ms); returns an error outcome when a secret cannot be decrypted. */
  prepare(delivery: ClaimedDelivery, now: number): PrepareOutcome {
    let secrets: string[];
    try {
      secrets = [this.decrypt(delivery.secretEncrypted, delivery.endpointId)];
      if (
        delivery.previousSecretEncrypted !== null &&
        delivery.previousSecretExpiresAt !== null &&
        delivery.previousSecretExpiresAt > now
      ) {
        secrets.push(this.decrypt(delivery.previousSecretEncrypted, delivery.endpointId));
      }
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return { kind: 'error', error: 'secret_unreadable', detail };
    }

    const headers = signatureHeaders(secrets, {
      id: delivery.eventId,
      timestamp: Math.floor(now / 1000),
      body: delivery.payload,
    });
    return {
      kind: 'ready',
      request: {
        url: delivery.url,
        body: delivery.payload,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'user-agent': DELIVERY_USER_AGENT,
        },
      },
    };
  }

  private decrypt(sealed: string, endpointId: string): string {
    const cached = this.secrets.get(sealed);
    if (cached !== undefined) {
      return cached;
    }
    const secret = this.secretBox.decrypt(sealed, endpointId);
    if (this.secrets.size >= MAX_CACHED_SECRETS) {
      this.secrets.clear();
    }
    this.secrets.set(sealed, secret);
    return secret;
  }
}
