import { createHash } from 'node:crypto';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  purgeExpiredIdempotencyKeys,
  releaseIdempotencyKey,
  renewIdempotencyClaim,
} from '../storage/idempotency.js';
import { canonicalJson } from './canonical-json.js';
import { ApiProblem } from './errors.js';

/** Request header that carries the key. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Response header set on a replayed response. */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';
/** How long a key and its stored response are kept, from the first request: 24 hours. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;
/** Longest accepted key, in characters. */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

// Expired keys are ignored at once; the purge only bounds the table's size, so an interval of minutes is enough.
const PURGE_INTERVAL_MS = 10 * 60 * 1000;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** A key this process claimed for a running request. */
interface Claim {
  accountId: string;
  key: string;
  /** Time of the claim or of its last renewal; it identifies the claim in the database. */
  claimedAt: number;
  renewalTimer: NodeJS.Timeout | undefined;
  /** The renewal in progress, awaited before the claim is completed so both never race. */
  renewal: Promise<void>;
}

/**
 * Adds `Idempotency-Key` handling to every POST of the scope, after authentication:
 * - no header: the request runs as usual;
 * - an invalid key (empty, longer than 255 characters, not printable ASCII): 400 `idempotency_key_invalid`;
 * - a new key: the request runs and its response is stored for 24 hours, unless it is a 5xx, which releases the key
 *   so the client can retry;
 * - a known key with the same method, path and body: the stored status and body are sent again with
 *   `Idempotent-Replayed: true`;
 * - a known key with another request: 422 `idempotency_key_reused`;
 * - a known key whose first request is still running: 409 `idempotency_request_in_flight`. A running request renews
 *   its claim, so a claim not renewed for `REQUEST_TIMEOUT` belongs to a request that died with its process, and
 *   is taken over.
 * Keys are per account: two accounts can use the same key independently.
 */
export async function registerIdempotency(app: FastifyInstance): Promise<void> {
  const { database, config, logger, secretBox } = app.services;
  // Stored responses can carry signing secrets (endpoint create, rotate-secret), so they are encrypted at rest like
  // the secrets themselves, bound to the account and key.
  const associatedData = (accountId: string, key: string) => `idempotency:${accountId}:${key}`;
  const claims = new WeakMap<FastifyRequest, Claim>();

  // A claim older than REQUEST_TIMEOUT counts as abandoned, and REQUEST_TIMEOUT bounds receiving a request, not
  // running it. So while the handler runs, the claim is renewed three times per REQUEST_TIMEOUT: a slow request keeps
  // its key, and one whose process died loses it a REQUEST_TIMEOUT later.
  const keepClaimAlive = (claim: Claim, request: FastifyRequest) => {
    const renewEvery = Math.max(1, Math.floor(config.requestTimeoutMs / 3));
    const giveUpAt = claim.claimedAt + IDEMPOTENCY_KEY_TTL_MS;
    claim.renewalTimer = setInterval(() => {
      claim.renewal = claim.renewal.then(async () => {
        const now = Date.now();
        if (now >= giveUpAt) {
          clearInterval(claim.renewalTimer);
          return;
        }
        try {
          if (await renewIdempotencyClaim(database.db, { ...claim, now })) {
            claim.claimedAt = now;
            return;
          }
          clearInterval(claim.renewalTimer);
          request.log.warn(
            { accountId: claim.accountId },
            'idempotency claim lost while the request ran',
          );
        } catch (error) {
          request.log.error(
            { err: error, accountId: claim.accountId },
            'idempotency claim renewal failed',
          );
        }
      });
    }, renewEvery);
    claim.renewalTimer.unref();
  };

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST') {
      return;
    }
    const key = readIdempotencyKey(request);
    if (key === undefined) {
      return;
    }

    const accountId = request.account.id;
    const claim = await claimIdempotencyKey(database.db, {
      accountId,
      key,
      fingerprint: fingerprintRequest(request),
      ttlMs: IDEMPOTENCY_KEY_TTL_MS,
      abandonAfterMs: config.requestTimeoutMs,
    });

    switch (claim.outcome) {
      case 'claimed': {
        const owned: Claim = {
          accountId,
          key,
          claimedAt: claim.claimedAt,
          renewalTimer: undefined,
          renewal: Promise.resolve(),
        };
        keepClaimAlive(owned, request);
        claims.set(request, owned);
        return;
      }
      case 'replay':
        return replay(reply, {
          ...claim,
          body:
            claim.body === null
              ? null
              : secretBox.decrypt(claim.body, associatedData(accountId, key)),
        });
      case 'mismatch':
        throw new ApiProblem({
          status: 422,
          code: 'idempotency_key_reused',
          detail:
            'This Idempotency-Key was already used for a request with another method, path or body. Send a new key for a new request.',
        });
      case 'in_flight':
        throw new ApiProblem({
          status: 409,
          code: 'idempotency_request_in_flight',
          detail:
            'A request with this Idempotency-Key is still being processed. Retry after it finishes to get its response.',
          headers: { 'retry-after': '1' },
        });
      default:
        return assertNever(claim);
    }
  });

  // onSend runs before the response leaves, so a retry that arrives after the client saw the response finds it
  // stored rather than in flight.
  app.addHook('onSend', async (request, reply, payload) => {
    const claim = claims.get(request);
    if (!claim) {
      return payload;
    }
    claims.delete(request);
    clearInterval(claim.renewalTimer);
    await claim.renewal;

    try {
      const body = payloadText(payload);
      if (reply.statusCode >= 500 || body === undefined) {
        await releaseIdempotencyKey(database.db, claim);
        return payload;
      }
      const contentType = reply.getHeader('content-type');
      await completeIdempotencyKey(database.db, {
        ...claim,
        status: reply.statusCode,
        contentType: typeof contentType === 'string' && body !== null ? contentType : null,
        body:
          body === null
            ? null
            : secretBox.encrypt(body, associatedData(claim.accountId, claim.key)),
      });
    } catch (error) {
      // The response is still sent. The key stays in flight until REQUEST_TIMEOUT passes, then a retry runs again.
      request.log.error(
        { err: error, accountId: claim.accountId },
        'idempotency record not stored',
      );
    }
    return payload;
  });

  // Stops renewing if a request ends without onSend, which Fastify should not do; a stray timer would keep the key in
  // flight until it expires.
  app.addHook('onResponse', async (request) => {
    const claim = claims.get(request);
    if (claim) {
      clearInterval(claim.renewalTimer);
      claims.delete(request);
    }
  });

  let purgeTimer: NodeJS.Timeout | undefined;
  const purge = async () => {
    try {
      const deleted = await purgeExpiredIdempotencyKeys(database.db);
      if (deleted > 0) {
        logger.debug({ deleted }, 'expired idempotency keys purged');
      }
    } catch (error) {
      logger.error({ err: error }, 'idempotency key purge failed');
    }
  };
  app.addHook('onReady', async () => {
    purgeTimer = setInterval(() => void purge(), PURGE_INTERVAL_MS);
    purgeTimer.unref();
    await purge();
  });
  app.addHook('onClose', async () => {
    clearInterval(purgeTimer);
  });
}

/** Returns the request's key, undefined when it sends none; throws 400 `idempotency_key_invalid` for a bad key. */
function readIdempotencyKey(request: FastifyRequest): string | undefined {
  const value = request.headers[IDEMPOTENCY_KEY_HEADER];
  if (value === undefined) {
    return undefined;
  }

  const key = Array.isArray(value) ? value.join(', ') : value;
  const problem = describeInvalidKey(key);
  if (problem !== undefined) {
    throw new ApiProblem({
      status: 400,
      code: 'idempotency_key_invalid',
      field: 'header.idempotency-key',
      detail: `Idempotency-Key ${problem}. Send 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters; a UUID is a good choice.`,
    });
  }
  return key;
}

function describeInvalidKey(key: string): string | undefined {
  if (key.length === 0) {
    return 'is empty';
  }
  if (key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    return `is ${key.length} characters long`;
  }
  if (!PRINTABLE_ASCII.test(key)) {
    return 'contains a control or non-ASCII character';
  }
  return undefined;
}

/**
 * Returns the SHA-256 of the method, the URL (path and query) and the body. The body is serialised with sorted keys,
 * so the same JSON document sent with other whitespace or key order counts as the same request.
 */
export function fingerprintRequest(
  request: Pick<FastifyRequest, 'method' | 'url' | 'body'>,
): string {
  const body = request.body === undefined ? '' : canonicalJson(request.body);
  const text = JSON.stringify([request.method, request.url, body]);
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Converts the payload to text: null for an empty one, undefined for a stream, which cannot be stored. */
function payloadText(payload: unknown): string | null | undefined {
  if (payload === undefined || payload === null || payload === '') {
    return null;
  }
  if (typeof payload === 'string') {
    return payload;
  }
  if (Buffer.isBuffer(payload)) {
    return payload.toString('utf8');
  }
  return undefined;
}

function replay(
  reply: FastifyReply,
  stored: { status: number; contentType: string | null; body: string | null },
): FastifyReply {
  void reply.status(stored.status).header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  if (stored.contentType !== null) {
    void reply.type(stored.contentType);
  }
  return reply.send(stored.body ?? undefined);
}

function assertNever(value: never): never {
  throw new Error(`unexpected idempotency claim ${JSON.stringify(value)}`);
}
