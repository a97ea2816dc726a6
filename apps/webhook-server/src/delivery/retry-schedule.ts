/** Share of a scheduled delay by which each retry is moved earlier or later at random, so retries do not bunch up. */
export const JITTER_RATIO = 0.2;

/**
 * Maximum delay a `Retry-After` header can request. A larger request is capped at this value, and the schedule's own
 * delay still applies when it is longer.
 */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/** Options of `nextRetryDelay`. */
export interface RetryDelayOptions {
  /** Delays between attempts after the first, in milliseconds (`config.retryScheduleMs`). */
  scheduleMs: readonly number[];
  /** Scheduled attempts made so far, including the one that just failed. */
  scheduledAttempts: number;
  /** Delay asked for by a `Retry-After` header of a 429 or 503 response, in milliseconds. */
  retryAfterMs?: number | undefined;
  /** Random number in [0, 1); tests pin it. */
  random?: () => number;
}

/**
 * Returns the delay in milliseconds before the next scheduled attempt, or undefined when the schedule is used up.
 * The first attempt is immediate and attempt n + 1 follows `scheduleMs[n - 1]`, moved by up to +/-20 % at random.
 * A `Retry-After` delay is honoured when it is longer than that, up to `MAX_RETRY_AFTER_MS`, so it never brings a
 * retry forward and never pushes it out by more than an hour.
 */
export function nextRetryDelay(options: RetryDelayOptions): number | undefined {
  // A manual attempt on a delivery whose first scheduled attempt has not run yet continues with the first delay.
  const step = Math.max(options.scheduledAttempts, 1) - 1;
  const base = options.scheduleMs[step];
  if (base === undefined) {
    return undefined;
  }

  const random = options.random ?? Math.random;
  const jittered = Math.round(base * (1 - JITTER_RATIO + 2 * JITTER_RATIO * random()));
  if (options.retryAfterMs === undefined) {
    return jittered;
  }
  return Math.max(jittered, Math.min(options.retryAfterMs, MAX_RETRY_AFTER_MS));
}

/**
 * Parses a `Retry-After` header (delay in seconds or an HTTP date) into milliseconds from `now`. Returns undefined
 * for a missing or invalid value; a date in the past gives 0.
 */
export function parseRetryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    return Number(text) * 1000;
  }

  const date = Date.parse(text);
  if (Number.isNaN(date) || !/[a-z]/i.test(text)) {
    return undefined;
  }
  return Math.max(0, date - now);
}
