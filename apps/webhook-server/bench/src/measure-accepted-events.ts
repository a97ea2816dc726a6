import { randomUUID } from 'node:crypto';

import type { BenchApi } from './api.js';
import { errorMessage } from './error-message.js';
import { startWithEndpoints, type BenchContext, type PreparedServer } from './context.js';
import type { ServerUsage } from './server-process.js';
import { CpuMeter, summarize, type CpuShare, type LatencySummary } from './stats.js';

/** One burst of `POST /v1/events` and the deliveries it caused. */
export interface PublishBurst {
  events: number;
  connections: number;
  durationMs: number;
  perSecond: number;
  /** Duration of each request, as the driver saw it. */
  requestMs: LatencySummary;
  cpu: CpuShare;
  /** Time from the first request sent to the last of the burst's deliveries received; or why they did not all arrive. */
  delivery: { allDeliveredMs: number; perSecond: number } | { error: string };
}

/** Result of `measureAcceptedEvents`. */
export interface AcceptedEventsResult {
  plain: PublishBurst;
  /** The same burst with a fresh `Idempotency-Key` on every request; or why it failed. */
  withIdempotencyKey: PublishBurst | { error: string };
  usage: ServerUsage;
}

/**
 * Events accepted per second: publishes a fixed number of events as fast as `publishConnections` connections allow,
 * with one endpoint registered, so each request also writes its delivery row (the outbox fan-out) while the
 * dispatcher delivers the earlier events. Then the same again with an `Idempotency-Key` on each request.
 */
export async function measureAcceptedEvents(context: BenchContext): Promise<AcceptedEventsResult> {
  const prepared = await startWithEndpoints(context, 'accepted-events', 1);
  let usage: ServerUsage | undefined;
  try {
    context.log(`publishing ${context.plan.acceptedEvents} events`);
    const plain = await publishBurst(context, prepared, false);

    context.log(`publishing ${context.plan.acceptedEvents} events with Idempotency-Key`);
    let withIdempotencyKey: PublishBurst | { error: string };
    try {
      await context.receiver.reset(prepared.endpoints.map((endpoint) => endpoint.secret));
      withIdempotencyKey = await publishBurst(context, prepared, true);
    } catch (error) {
      withIdempotencyKey = { error: errorMessage(error) };
    }

    await prepared.api.close();
    usage = await prepared.server.stop();
    return { plain, withIdempotencyKey, usage };
  } finally {
    if (usage === undefined) {
      await prepared.api.close();
      await prepared.server.stop();
    }
  }
}

async function publishBurst(
  context: BenchContext,
  prepared: PreparedServer,
  idempotencyKeys: boolean,
): Promise<PublishBurst> {
  const { acceptedEvents: events, publishConnections: connections } = context.plan;
  const receiverAtStart = await context.receiver.stats();
  const cpuMeter = new CpuMeter(() => prepared.server.cpuMs(), receiverAtStart.cpuMs);

  const startedAtWall = Date.now();
  const startedAt = performance.now();
  const durations = await publishConcurrently(prepared.api, events, connections, idempotencyKeys);
  const durationMs = performance.now() - startedAt;
  const cpu = cpuMeter.finish((await context.receiver.stats()).cpuMs);

  let delivery: PublishBurst['delivery'];
  try {
    const stats = await context.receiver.waitForDistinct(events, {
      timeoutMs: 120_000,
      stallMs: context.plan.stallMs,
    });
    const allDeliveredMs = (stats.lastReceivedAt as number) - startedAtWall;
    delivery = { allDeliveredMs, perSecond: (events * 1000) / allDeliveredMs };
  } catch (error) {
    delivery = { error: errorMessage(error) };
  }

  return {
    events,
    connections,
    durationMs,
    perSecond: (events * 1000) / durationMs,
    requestMs: summarize(durations),
    cpu,
    delivery,
  };
}

/** Publishes `count` events over `connections` concurrent request loops; returns each request's duration. */
async function publishConcurrently(
  api: BenchApi,
  count: number,
  connections: number,
  idempotencyKeys: boolean,
): Promise<number[]> {
  const durations: number[] = [];
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < count && !failed) {
      next += 1;
      try {
        const published = await api.publishEvent(
          idempotencyKeys ? { idempotencyKey: randomUUID() } : {},
        );
        durations.push(published.durationMs);
      } catch (error) {
        // Stops the other loops too, so a broken server fails the burst at once.
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return durations;
}
