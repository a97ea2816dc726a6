import { seedBacklog, type SeededBacklog } from './backlog.js';
import { runCeiling, type CeilingResult } from './ceiling.js';
import { describeDeliveryState } from './delivery-state.js';
import { errorMessage } from './error-message.js';
import { dispatcherConcurrency, startWithEndpoints, type BenchContext } from './context.js';
import { ServerProcess, type ServerUsage } from './server-process.js';
import { CpuMeter, type CpuShare } from './stats.js';

/** Options of `measureBacklogDrain`. */
export interface BacklogDrainOptions {
  /** Name of the database file and of the CPU profiles. */
  name: string;
  endpoints: number;
  /** Pending deliveries when the server starts; rounded up to a multiple of `endpoints`. */
  deliveries: number;
  /** Also run the ceiling loop with the same requests before the drain. */
  withCeiling: boolean;
}

/** Result of `measureBacklogDrain`. */
export interface BacklogDrainResult {
  endpoints: number;
  deliveries: number;
  /** Attempts in flight the dispatcher may reach: min(DELIVERY_CONCURRENCY, ENDPOINT_CONCURRENCY x endpoints). */
  concurrency: number;
  seed: SeededBacklog;
  ceiling: CeilingResult | undefined;
  /** From the server being ready (or the first delivery, if earlier) to the last new delivery received. */
  drainMs: number;
  perSecond: number;
  /**
   * Rate between the receipt of the 10th and the 90th percentile delivery: the drain without the server's warm-up
   * (JIT compilation, first claims) and without the tail.
   */
  steadyPerSecond: number;
  /** `perSecond` divided by the ceiling's rate. */
  ceilingRatio: number | undefined;
  /** Requests the receivers saw twice for the same delivery. */
  duplicates: number;
  /** Time from spawning the server to its ready line, which includes opening the database and migrating it. */
  startupMs: number;
  cpu: CpuShare;
  usage: ServerUsage;
}

/**
 * Measures deliveries per second on a backlog. It creates the endpoints through the API, stops the server and emits
 * the events straight into its database, so every delivery is pending and due. It runs the ceiling loop against the
 * same receivers, then starts the server again and times the dispatcher until the receivers have every delivery.
 */
export async function measureBacklogDrain(
  context: BenchContext,
  options: BacklogDrainOptions,
): Promise<BacklogDrainResult> {
  const prepared = await startWithEndpoints(context, options.name, options.endpoints);
  await prepared.api.close();
  await prepared.server.stop();
  const secrets = prepared.endpoints.map((endpoint) => endpoint.secret);
  const databaseUrl = prepared.env['DATABASE_URL'] as string;

  const events = Math.ceil(options.deliveries / options.endpoints);
  context.log(`${options.name}: seeding ${events} events x ${options.endpoints} endpoints`);
  const seed = await seedBacklog({ databaseUrl, accountId: prepared.accountId, events });
  if (seed.deliveries !== events * options.endpoints) {
    throw new Error(
      `seeding created ${seed.deliveries} deliveries, expected ${events * options.endpoints}`,
    );
  }

  const concurrency = dispatcherConcurrency(prepared.env, options.endpoints);
  let ceiling: CeilingResult | undefined;
  if (options.withCeiling) {
    context.log(
      `${options.name}: ceiling loop, ${seed.deliveries} signed POSTs, concurrency ${concurrency}`,
    );
    await context.receiver.reset(secrets);
    ceiling = await runCeiling({
      urls: prepared.endpoints.map((endpoint) => endpoint.url),
      secrets,
      count: seed.deliveries,
      warmUp: context.plan.ceilingWarmUp,
      concurrency,
    });
  }

  context.log(`${options.name}: draining ${seed.deliveries} deliveries`);
  await context.receiver.reset(secrets);
  const receiverAtStart = await context.receiver.stats();
  const spawnedAt = Date.now();
  const server = await ServerProcess.start({
    entry: context.serverEntry,
    env: prepared.env,
    cpuProfileDir: context.cpuProfileDir,
    cpuProfileName: `${options.name}-drain.cpuprofile`,
  });
  let usage: ServerUsage | undefined;
  try {
    const cpuMeter = new CpuMeter(() => server.cpuMs(), receiverAtStart.cpuMs);
    const stats = await context.receiver.waitForDistinct(seed.deliveries, {
      timeoutMs: 300_000,
      stallMs: context.plan.stallMs,
    });
    const cpu = cpuMeter.finish(stats.cpuMs);
    usage = await server.stop();
    const receiveTimes = [...(await context.receiver.receiveTimes()).values()];

    const startedAt = Math.min(server.listeningAt, stats.firstReceivedAt as number);
    const drainMs = (stats.lastReceivedAt as number) - startedAt;
    const perSecond = (seed.deliveries * 1000) / drainMs;
    return {
      endpoints: options.endpoints,
      deliveries: seed.deliveries,
      concurrency,
      seed,
      ceiling,
      drainMs,
      perSecond,
      steadyPerSecond: middleRate(receiveTimes),
      ceilingRatio: ceiling ? perSecond / ceiling.perSecond : undefined,
      duplicates: stats.duplicates,
      startupMs: server.listeningAt - spawnedAt,
      cpu,
      usage,
    };
  } catch (error) {
    const state = describeDeliveryState(databaseUrl);
    const output = server.recentOutput();
    throw new Error(`${errorMessage(error)}; ${state}\nLast server output:\n${output}`, {
      cause: error,
    });
  } finally {
    if (usage === undefined) {
      await server.stop();
    }
  }
}

/** Deliveries per second between the 10th and the 90th percentile receive time. */
function middleRate(receiveTimes: number[]): number {
  const sorted = [...receiveTimes].sort((a, b) => a - b);
  const first = Math.floor(sorted.length * 0.1);
  const last = Math.ceil(sorted.length * 0.9) - 1;
  const spanMs = (sorted[last] ?? 0) - (sorted[first] ?? 0);
  return spanMs > 0 ? ((last - first) * 1000) / spanMs : Number.NaN;
}
