import { setTimeout as sleep } from 'node:timers/promises';

import type { PublishedEvent } from './api.js';
import { startWithEndpoints, type BenchContext } from './context.js';
import { deliveryKey } from './receiver-protocol.js';
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
  cpu: CpuShare;
  usage: ServerUsage;
}

// Requests the paced publisher lets wait at once; beyond it the publisher falls behind and `achievedRate` shows it.
const MAX_IN_FLIGHT = 512;

/**
 * Measures delivery latency under a steady load. It publishes events through the API at `latencyRate` per second
 * for `latencyDurationMs`, with one endpoint. Latency runs from each envelope's `created_at`, which the server sets
 * inside its outbox transaction, to the moment the receiver had read the whole request. Both clocks are this
 * machine's.
 */
export async function measureLatency(context: BenchContext): Promise<LatencyResult> {
  const { latencyRate: rate, latencyDurationMs } = context.plan;
  const total = Math.round((rate * latencyDurationMs) / 1000);
  const prepared = await startWithEndpoints(context, 'latency', 1);
  let usage: ServerUsage | undefined;
  try {
    context.log(`latency: publishing ${total} events at ${rate}/s`);
    const receiverAtStart = await context.receiver.stats();
    const cpuMeter = new CpuMeter(() => prepared.server.cpuMs(), receiverAtStart.cpuMs);

    const published: PublishedEvent[] = [];
    const inFlight = new Set<Promise<void>>();
    let failure: unknown;
    const startedAt = performance.now();
    for (let sent = 0; sent < total && failure === undefined;) {
      const due = Math.min(total, Math.floor(((performance.now() - startedAt) * rate) / 1000) + 1);
      while (sent < due && inFlight.size < MAX_IN_FLIGHT) {
        sent += 1;
        const request: Promise<void> = prepared.api
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
    const publishMs = performance.now() - startedAt;

    const stats = await context.receiver.waitForDistinct(total, {
      timeoutMs: 60_000,
      stallMs: context.plan.stallMs,
    });
    const cpu = cpuMeter.finish(stats.cpuMs);
    const receiveTimes = await context.receiver.receiveTimes();

    const latencies = published.map((event) => {
      const receivedAt = receiveTimes.get(deliveryKey(0, event.eventId));
      if (receivedAt === undefined) {
        throw new Error(`event ${event.eventId} was accepted but never reached the receiver`);
      }
      return receivedAt - event.createdAt;
    });

    await prepared.api.close();
    usage = await prepared.server.stop();
    return {
      rate,
      published: published.length,
      achievedRate: (published.length * 1000) / publishMs,
      latency: summarize(latencies),
      publishRequestMs: summarize(published.map((event) => event.durationMs)),
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
