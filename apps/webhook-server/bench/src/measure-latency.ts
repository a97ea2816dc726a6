import { setTimeout as sleep } from 'node:timers/promises';

import type { BenchApi, PublishedEvent } from './api.js';
import { startWithEndpoints, type BenchContext } from './context.js';
import { deliveryKey } from './receiver-protocol.js';
import type { ReceiverProcess } from './receiver-process.js';
import type { ServerUsage } from './server-process.js';
import { CpuMeter, summarize, type CpuShare, type LatencySummary } from './stats.js';

/** Result of `measureLatency`. */
export interface LatencyResult {
  /** Requested publishing rate, events per second. */
  rate: number;
  published: number;
  /** Rate the driver actually reached; below `rate` when the API could not keep up. */
  achievedRate: number;
  /** Receiver's first receive time minus the envelope's `created_at`, in milliseconds. */
  latency: LatencySummary;
  /** Duration of each `POST /v1/events`, as the driver saw it. */
  publishRequestMs: LatencySummary;
  /** The same latency during the unmeasured warm-up right after the server started. */
  warmUp: { durationMs: number; latency: LatencySummary };
  cpu: CpuShare;
  usage: ServerUsage;
}

// Requests the paced publisher lets wait at once; beyond it the publisher falls behind and `achievedRate` shows it.
const MAX_IN_FLIGHT = 512;

/**
 * Measures delivery latency under a steady load. It publishes events through the API at `latencyRate` per second,
 * with one endpoint: first for `latencyWarmUpMs` to warm up the freshly started server, then for
 * `latencyDurationMs`, which is measured. Latency runs from each envelope's `created_at`, which the server sets
 * inside its outbox transaction, to the moment the receiver had read the whole request. Both clocks are this
 * machine's.
 */
export async function measureLatency(context: BenchContext): Promise<LatencyResult> {
  const { latencyRate: rate, latencyDurationMs, latencyWarmUpMs } = context.plan;
  const warmUpCount = Math.round((rate * latencyWarmUpMs) / 1000);
  const total = Math.round((rate * latencyDurationMs) / 1000);
  const prepared = await startWithEndpoints(context, 'latency', 1);
  let usage: ServerUsage | undefined;
  try {
    context.log(`latency: warming up with ${warmUpCount} events at ${rate}/s`);
    const warmUp = await publishPaced(prepared.api, rate, warmUpCount);
    await context.receiver.waitForDistinct(warmUpCount, {
      timeoutMs: 60_000,
      stallMs: context.plan.stallMs,
    });
    const warmUpLatency = await latencies(context.receiver, warmUp.published);

    context.log(`latency: publishing ${total} events at ${rate}/s`);
    const receiverAtStart = await context.receiver.stats();
    const cpuMeter = new CpuMeter(() => prepared.server.cpuMs(), receiverAtStart.cpuMs);
    const measured = await publishPaced(prepared.api, rate, total);
    const stats = await context.receiver.waitForDistinct(warmUpCount + total, {
      timeoutMs: 60_000,
      stallMs: context.plan.stallMs,
    });
    const cpu = cpuMeter.finish(stats.cpuMs);
    const measuredLatency = await latencies(context.receiver, measured.published);

    await prepared.api.close();
    usage = await prepared.server.stop();
    return {
      rate,
      published: measured.published.length,
      achievedRate: (measured.published.length * 1000) / measured.durationMs,
      latency: summarize(measuredLatency),
      publishRequestMs: summarize(measured.published.map((event) => event.durationMs)),
      warmUp: { durationMs: latencyWarmUpMs, latency: summarize(warmUpLatency) },
      cpu,
      usage,
    };
  } finally {
    if (usage === undefined) {
      await prepared.api.close();
      await prepared.server.stop();
    }
  }
}

/**
 * Publishes `count` events at `rate` per second, sending the ones due every millisecond. Returns the accepted
 * events and the time from the first request to the last response. Throws the first failed request's error.
 */
async function publishPaced(
  api: BenchApi,
  rate: number,
  count: number,
): Promise<{ published: PublishedEvent[]; durationMs: number }> {
  const published: PublishedEvent[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  const startedAt = performance.now();

  for (let sent = 0; sent < count && failure === undefined;) {
    const due = Math.min(count, Math.floor(((performance.now() - startedAt) * rate) / 1000) + 1);
    while (sent < due && inFlight.size < MAX_IN_FLIGHT) {
      sent += 1;
      const request: Promise<void> = api
        .publishEvent()
        .then(
          (event) => {
            published.push(event);
          },
          (error: unknown) => {
            failure ??= error;
          },
        )
        .finally(() => inFlight.delete(request));
      inFlight.add(request);
    }
    await sleep(1);
  }
  await Promise.all(inFlight);

  if (failure !== undefined) {
    throw failure;
  }
  return { published, durationMs: performance.now() - startedAt };
}

/** Receive time minus creation time of each event, in milliseconds; throws for an event never received. */
async function latencies(receiver: ReceiverProcess, events: PublishedEvent[]): Promise<number[]> {
  const receiveTimes = await receiver.receiveTimes();
  return events.map((event) => {
    const receivedAt = receiveTimes.get(deliveryKey(0, event.eventId));
    if (receivedAt === undefined) {
      throw new Error(`event ${event.eventId} was accepted but never reached the receiver`);
    }
    return receivedAt - event.createdAt;
  });
}
