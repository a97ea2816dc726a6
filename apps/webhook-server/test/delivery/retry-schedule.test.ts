import { decideAttempt } from '../../src/delivery/decide.js';
import {
  MAX_RETRY_AFTER_MS,
  nextRetryDelay,
  parseRetryAfterMs,
} from '../../src/delivery/retry-schedule.js';
import type { ClaimedDelivery } from '../../src/storage/deliveries.js';

const SCHEDULE = [300_000, 1_800_000, 7_200_000, 21_600_000];

describe('nextRetryDelay', () => {
  test('follows the schedule step by step', () => {
    const delays = [1, 2, 3, 4].map((made) =>
      nextRetryDelay({ scheduleMs: SCHEDULE, scheduledAttempts: made, random: () => 0.5 }),
    );

    expect(delays).toEqual(SCHEDULE);
  });

  test('schedule used up returns undefined', () => {
    expect(nextRetryDelay({ scheduleMs: SCHEDULE, scheduledAttempts: 5 })).toBeUndefined();
  });

  test('jitter stays within 20 percent', () => {
    const low = nextRetryDelay({ scheduleMs: SCHEDULE, scheduledAttempts: 1, random: () => 0 });
    const high = nextRetryDelay({
      scheduleMs: SCHEDULE,
      scheduledAttempts: 1,
      random: () => 0.999999,
    });

    expect(low).toBe(240_000);
    expect(high).toBeGreaterThan(359_990);
    expect(high).toBeLessThanOrEqual(360_000);
  });

  test('Retry-After never shortens the delay', () => {
    const delay = nextRetryDelay({
      scheduleMs: SCHEDULE,
      scheduledAttempts: 1,
      retryAfterMs: 1000,
      random: () => 0.5,
    });

    expect(delay).toBe(300_000);
  });

  test('Retry-After lengthens the delay', () => {
    const delay = nextRetryDelay({
      scheduleMs: [200],
      scheduledAttempts: 1,
      retryAfterMs: 5000,
      random: () => 0.5,
    });

    expect(delay).toBe(5000);
  });

  test('Retry-After is capped', () => {
    const delay = nextRetryDelay({
      scheduleMs: [200],
      scheduledAttempts: 1,
      retryAfterMs: 10 * MAX_RETRY_AFTER_MS,
      random: () => 0.5,
    });

    expect(delay).toBe(MAX_RETRY_AFTER_MS);
  });

  test('manual attempt before any scheduled one uses the first step', () => {
    expect(nextRetryDelay({ scheduleMs: SCHEDULE, scheduledAttempts: 0, random: () => 0.5 })).toBe(
      300_000,
    );
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2026-03-01T12:00:00.000Z');

  test('seconds', () => {
    expect(parseRetryAfterMs('120', now)).toBe(120_000);
  });

  test('HTTP date', () => {
    expect(parseRetryAfterMs('Sun, 01 Mar 2026 12:00:30 GMT', now)).toBe(30_000);
  });

  test('past date is zero', () => {
    expect(parseRetryAfterMs('Sun, 01 Mar 2026 11:00:00 GMT', now)).toBe(0);
  });

  test('invalid values are ignored', () => {
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs('-5', now)).toBeUndefined();
    expect(parseRetryAfterMs('1.5', now)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
  });
});

describe('decideAttempt', () => {
  const delivery: ClaimedDelivery = {
    id: 'dlv_1',
    accountId: 'acct_1',
    endpointId: 'ep_1',
    eventId: 'evt_1',
    attemptCount: 0,
    scheduledAttempts: 0,
    manual: false,
    url: 'https://hooks.example.com',
    secretEncrypted: '',
    previousSecretEncrypted: null,
    previousSecretExpiresAt: null,
    payload: '{}',
  };
  const response = (statusCode: number, retryAfter?: string) =>
    ({ kind: 'response', statusCode, retryAfter, excerpt: '', durationMs: 3 }) as const;
  const decide = (
    overrides: Partial<ClaimedDelivery>,
    outcome: Parameters<typeof decideAttempt>[0]['outcome'],
  ) =>
    decideAttempt({
      delivery: { ...delivery, ...overrides },
      outcome,
      startedAt: 1_000,
      finishedAt: 2_000,
      scheduleMs: [200, 400],
      random: () => 0.5,
    });

  test('2xx succeeds', () => {
    const record = decide({}, response(299));

    expect(record.succeeded).toBe(true);
    expect(record.transition).toEqual({ status: 'succeeded' });
  });

  test.each([301, 302, 400, 404, 500])('%i is retried', (status) => {
    const record = decide({}, response(status));

    expect(record.succeeded).toBe(false);
    expect(record.transition).toEqual({ status: 'pending', nextAttemptAt: 2_200 });
  });

  test('410 fails and disables', () => {
    const record = decide({}, response(410));

    expect(record.transition).toEqual({ status: 'failed' });
    expect(record.disableEndpoint).toBe('gone');
  });

  test('last scheduled attempt fails the delivery', () => {
    const record = decide({ attemptCount: 2, scheduledAttempts: 2 }, response(500));

    expect(record.attemptNumber).toBe(3);
    expect(record.transition).toEqual({ status: 'failed' });
  });

  test('429 honours Retry-After', () => {
    const record = decide({}, response(429, '3'));

    expect(record.transition).toEqual({ status: 'pending', nextAttemptAt: 5_000 });
  });

  test('Retry-After on 500 is ignored', () => {
    const record = decide({}, response(500, '3'));

    expect(record.transition).toEqual({ status: 'pending', nextAttemptAt: 2_200 });
  });

  test('network error is retried with its code', () => {
    const record = decide(
      {},
      { kind: 'error', error: 'timeout', detail: 'aborted', durationMs: 15 },
    );

    expect(record.error).toBe('timeout');
    expect(record.statusCode).toBeNull();
    expect(record.durationMs).toBe(15);
    expect(record.transition).toEqual({ status: 'pending', nextAttemptAt: 2_200 });
  });

  test('failed manual attempt keeps the remaining schedule', () => {
    const record = decide({ manual: true, attemptCount: 1, scheduledAttempts: 1 }, response(500));

    expect(record.trigger).toBe('manual');
    expect(record.transition).toEqual({ status: 'pending', nextAttemptAt: 2_200 });
  });

  test('failed manual attempt after the schedule fails again', () => {
    const record = decide({ manual: true, attemptCount: 3, scheduledAttempts: 3 }, response(500));

    expect(record.attemptNumber).toBe(4);
    expect(record.transition).toEqual({ status: 'failed' });
  });
});
