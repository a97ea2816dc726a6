import type { AttemptRecord, ClaimedDelivery, DeliveryTransition } from '../storage/deliveries.js';
import type { PrepareOutcome } from './prepare.js';
import { nextRetryDelay, parseRetryAfterMs } from './retry-schedule.js';
import type { SendOutcome } from './send.js';

/** Options of `decideAttempt`. */
export interface DecideOptions {
  delivery: ClaimedDelivery;
  /** The send stage's outcome, or the prepare stage's error when nothing was sent. */
  outcome: SendOutcome | Extract<PrepareOutcome, { kind: 'error' }>;
  startedAt: number;
  /** When the attempt ended, in epoch ms; the next attempt is scheduled from here. */
  finishedAt: number;
  scheduleMs: readonly number[];
  random?: () => number;
}

/**
 * Turns an attempt's outcome into the record the delivery log stores and the delivery's next state:
 * - 2xx: succeeded.
 * - 410 Gone: failed, and the endpoint is disabled with reason `gone`, so none of its deliveries is sent until it is
 *   enabled again.
 * - anything else (3xx, 4xx, 5xx, no response): retried after the next delay of the schedule, or failed when the
 *   schedule is used up. A 429 or 503 `Retry-After` can lengthen that delay (see `nextRetryDelay`).
 *
 * A manual attempt (redeliver, resend-failed) does not use up a scheduled attempt. When it fails, the delivery
 * continues with the rest of its schedule, and the next attempt follows the current step's delay. A delivery whose
 * schedule is used up is failed again.
 */
export function decideAttempt(options: DecideOptions): AttemptRecord {
  const { delivery, outcome } = options;
  const trigger = delivery.manual ? 'manual' : 'scheduled';
  const scheduledAttempts = delivery.scheduledAttempts + (trigger === 'scheduled' ? 1 : 0);

  const base = {
    deliveryId: delivery.id,
    endpointId: delivery.endpointId,
    attemptNumber: delivery.attemptCount + 1,
    trigger,
    startedAt: options.startedAt,
    // A prepare error sends nothing, so it has no duration.
    durationMs: 'durationMs' in outcome ? outcome.durationMs : 0,
  } as const;

  if (outcome.kind === 'error') {
    return {
      ...base,
      statusCode: null,
      responseExcerpt: null,
      error: outcome.error,
      succeeded: false,
      transition: retryOrFail({ ...options, scheduledAttempts, retryAfterMs: undefined }),
    };
  }

  const response = {
    statusCode: outcome.statusCode,
    responseExcerpt: outcome.excerpt,
    error: null,
  };
  if (outcome.statusCode >= 200 && outcome.statusCode < 300) {
    return { ...base, ...response, succeeded: true, transition: { status: 'succeeded' } };
  }
  if (outcome.statusCode === 410) {
    return {
      ...base,
      ...response,
      succeeded: false,
      transition: { status: 'failed' },
      disableEndpoint: 'gone',
    };
  }

  const throttled = outcome.statusCode === 429 || outcome.statusCode === 503;
  const retryAfterMs = throttled
    ? parseRetryAfterMs(outcome.retryAfter, options.finishedAt)
    : undefined;
  return {
    ...base,
    ...response,
    succeeded: false,
    transition: retryOrFail({ ...options, scheduledAttempts, retryAfterMs }),
  };
}

function retryOrFail(
  options: DecideOptions & { scheduledAttempts: number; retryAfterMs: number | undefined },
): DeliveryTransition {
  const delay = nextRetryDelay({
    scheduleMs: options.scheduleMs,
    scheduledAttempts: options.scheduledAttempts,
    retryAfterMs: options.retryAfterMs,
    ...(options.random === undefined ? {} : { random: options.random }),
  });
  return delay === undefined
    ? { status: 'failed' }
    : { status: 'pending', nextAttemptAt: options.finishedAt + delay };
}
