// Entry point of `pnpm bench`: measures the webhook server against receivers on loopback and writes
// docs/benchmarks.md. Every server and receiver is a child process that this script stops, also on failure.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { cleanUp, removeAtCleanUp } from './cleanup.js';
import {
  deliveryLimits,
  newRunSecrets,
  SERVER_SETTINGS,
  serverEnv,
  type BenchContext,
} from './context.js';
import { errorMessage } from './error-message.js';
import { formatMarkdown } from './format-markdown.js';
import { waitForIdleMachine } from './idle.js';
import { describeMachine } from './machine.js';
import { measureAcceptedEvents } from './measure-accepted-events.js';
import { measureBacklogDrain } from './measure-backlog-drain.js';
import { measureLatency } from './measure-latency.js';
import { benchPlan } from './plan.js';
import { ReceiverProcess } from './receiver-process.js';
import { SERVER_ENTRY } from './server-process.js';
import { renderReport, type BenchResults, type Outcome } from './report.js';

const USAGE = `Usage: node bench/dist/run.js [--scale N] [--only NAMES] [--output FILE] [--cpu-prof DIR]
                                [--wait-idle MINUTES] [--server FILE] [--node-options=OPTIONS]

Measures the webhook server (dist/cli/main.js, build it first) on SQLite against receivers on 127.0.0.1.

  --scale N        Multiply every count and duration by N (default 1). Runs with N other than 1 are for checking
                   the bench itself and print the report instead of writing it, unless --output is given.
  --only NAMES     Run only these measurements, comma separated: accepted, drain-1, drain-10, latency, memory.
                   Like --scale, it prints the report instead of writing it unless --output is given.
  --output FILE    Where to write the report. Default for a full run: docs/benchmarks.md of the repository.
  --cpu-prof DIR   Start every server with --cpu-prof and write its V8 CPU profile into DIR, one file per server
                   (<measurement>.cpuprofile, <measurement>-drain.cpuprofile). Profiling slows the server down.
  --wait-idle MINUTES
                   Before measuring, wait up to MINUTES for the machine to be idle (other processes using less
                   than 0.3 cores over 5 s). Default 0: start at once.
  --server FILE    Server CLI to measure instead of dist/cli/main.js, such as a build of a changed dispatcher.
                   It must accept \`serve\` and the same environment variables. Prints the report unless --output.
  --node-options=OPTIONS
                   NODE_OPTIONS of every server, such as --node-options="--max-semi-space-size=4", to compare V8
                   settings (the = is required because the value starts with a dash).
                   Prints the report unless --output is given.
  --help           Print this text.`;

const REPOSITORY_ROOT = resolve(__dirname, '..', '..', '..', '..');
const DEFAULT_OUTPUT = join(REPOSITORY_ROOT, 'docs', 'benchmarks.md');
// The whole run stops after this long even if a wait misbehaves. A run takes 1.5 to 4 minutes on 2 cores.
const RUN_TIMEOUT_MS = 15 * 60_000;
const RECEIVERS = 10;

/** Names of the measurements, in the order they run. */
const MEASUREMENTS = ['accepted', 'drain-1', 'drain-10', 'latency', 'memory'] as const;
type MeasurementName = (typeof MEASUREMENTS)[number];

interface RunOptions {
  scale: number;
  only: ReadonlySet<MeasurementName>;
  output: string | undefined;
  cpuProfileDir: string | undefined;
  waitIdleMs: number;
  serverEntry: string;
  serverNodeOptions: string | undefined;
}

// Busy cores below which the machine counts as idle for --wait-idle.
const IDLE_BUSY_CORES = 0.3;

function readOptions(argv: string[]): RunOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: 'string' },
      only: { type: 'string' },
      output: { type: 'string' },
      'cpu-prof': { type: 'string' },
      'wait-idle': { type: 'string' },
      server: { type: 'string' },
      'node-options': { type: 'string' },
      help: { type: 'boolean' },
    },
    allowPositionals: false,
  });
  if (values.help) {
    return undefined;
  }

  const scale = values.scale === undefined ? 1 : Number(values.scale);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 1) {
    throw new Error(`--scale expects a number above 0 and at most 1, got "${values.scale}"`);
  }
  const waitIdleMinutes = values['wait-idle'] === undefined ? 0 : Number(values['wait-idle']);
  if (!Number.isFinite(waitIdleMinutes) || waitIdleMinutes < 0 || waitIdleMinutes > 60) {
    throw new Error(`--wait-idle expects minutes from 0 to 60, got "${values['wait-idle']}"`);
  }

  const only = new Set<MeasurementName>(MEASUREMENTS);
  if (values.only !== undefined) {
    only.clear();
    for (const name of values.only.split(',').map((part) => part.trim())) {
      if (!(MEASUREMENTS as readonly string[]).includes(name)) {
        throw new Error(
          `--only: unknown measurement "${name}"; expected ${MEASUREMENTS.join(', ')}`,
        );
      }
      only.add(name as MeasurementName);
    }
  }

  const fullRun =
    scale === 1 &&
    only.size === MEASUREMENTS.length &&
    values.server === undefined &&
    values['node-options'] === undefined;
  const output = values.output ?? (fullRun ? DEFAULT_OUTPUT : undefined);
  return {
    scale,
    only,
    output: output === undefined ? undefined : resolve(output),
    cpuProfileDir: values['cpu-prof'] === undefined ? undefined : resolve(values['cpu-prof']),
    waitIdleMs: waitIdleMinutes * 60_000,
    serverEntry: values.server === undefined ? SERVER_ENTRY : resolve(values.server),
    serverNodeOptions: values['node-options'],
  };
}

/** Runs one measurement unless --only leaves it out; a failure becomes an outcome so the others still run. */
async function attempt<T>(
  name: MeasurementName,
  context: BenchContext,
  only: ReadonlySet<MeasurementName>,
  measure: () => Promise<T>,
): Promise<Outcome<T>> {
  if (!only.has(name)) {
    return { ok: false, skipped: true, error: 'left out by --only' };
  }
  context.log(`measuring ${name}`);
  try {
    return { ok: true, value: await measure() };
  } catch (error) {
    context.log(`${name} failed: ${errorMessage(error)}`);
    return { ok: false, skipped: false, error: errorMessage(error) };
  }
}

async function run(argv: string[]): Promise<number> {
  const options = readOptions(argv);
  if (!options) {
    console.log(USAGE);
    return 0;
  }

  const log = (message: string) =>
    process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
  if (options.waitIdleMs > 0) {
    await waitForIdleMachine({ maxBusyCores: IDLE_BUSY_CORES, timeoutMs: options.waitIdleMs, log });
  }

  const startedAt = new Date();
  const machine = describeMachine();
  const plan = benchPlan(options.scale);
  const tempDir = mkdtempSync(join(tmpdir(), 'webhook-bench-'));
  removeAtCleanUp(tempDir);
  if (options.cpuProfileDir) {
    mkdirSync(options.cpuProfileDir, { recursive: true });
  }

  let receiver: ReceiverProcess | undefined;
  let results: BenchResults;
  let limits: { total: number; perEndpoint: number };
  try {
    receiver = await ReceiverProcess.start(Math.max(RECEIVERS, plan.pendingEndpoints));
    const context: BenchContext = {
      plan,
      tempDir,
      receiver,
      ...newRunSecrets(),
      cpuProfileDir: options.cpuProfileDir,
      serverEntry: options.serverEntry,
      serverNodeOptions: options.serverNodeOptions,
      log,
    };
    limits = deliveryLimits(serverEnv(context, 'settings'));

    const acceptedEvents = await attempt('accepted', context, options.only, () =>
      measureAcceptedEvents(context),
    );
    const drainOneEndpoint = await attempt('drain-1', context, options.only, () =>
      measureBacklogDrain(context, {
        name: 'drain-1',
        endpoints: 1,
        deliveries: plan.drainDeliveries,
        withCeiling: true,
      }),
    );
    const drainTenEndpoints = await attempt('drain-10', context, options.only, () =>
      measureBacklogDrain(context, {
        name: 'drain-10',
        endpoints: 10,
        deliveries: plan.drainDeliveries,
        withCeiling: true,
      }),
    );
    const latency = await attempt('latency', context, options.only, () => measureLatency(context));
    const pendingMemory = await attempt('memory', context, options.only, () =>
      measureBacklogDrain(context, {
        name: 'pending-memory',
        endpoints: plan.pendingEndpoints,
        deliveries: plan.pendingDeliveries,
        withCeiling: false,
      }),
    );
    results = { acceptedEvents, drainOneEndpoint, drainTenEndpoints, latency, pendingMemory };
  } finally {
    await receiver?.stop();
    cleanUp();
  }

  const report = renderReport({
    machine,
    plan,
    results,
    startedAt,
    durationMs: Date.now() - startedAt.getTime(),
    command: describeCommand(argv),
    serverSettings: SERVER_SETTINGS,
    deliveryLimits: limits,
    loadAverageAfter: loadavg()[0] ?? 0,
  });

  if (options.output) {
    const formatted = await formatMarkdown(report, {
      repositoryRoot: REPOSITORY_ROOT,
      filePath: options.output,
    });
    writeFileSync(options.output, formatted);
    log(`wrote ${relative(process.cwd(), options.output)}`);
  } else {
    process.stdout.write(report);
  }

  const failed = Object.entries(results).filter(([, outcome]) => !outcome.ok && !outcome.skipped);
  if (failed.length > 0) {
    log(`not measured: ${failed.map(([name]) => name).join(', ')}`);
    return 1;
  }
  return 0;
}

/** Describes the command as a reader would type it, from the variables pnpm and turbo set for the script. */
function describeCommand(argv: string[]): string {
  const direct = ['node bench/dist/run.js', ...argv].join(' ');
  if (process.env['npm_lifecycle_event'] !== 'bench') {
    return `\`${direct}\` in apps/webhook-server`;
  }
  if (process.env['TURBO_HASH'] !== undefined) {
    return `\`pnpm bench\` at the repository root (\`turbo run build\`, then in apps/webhook-server \`${direct}\`)`;
  }
  return `\`pnpm bench\` in apps/webhook-server (\`${direct}\`)`;
}

process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`bench interrupted by ${signal}; stopping the server and receivers\n`);
    cleanUp();
    process.exit(130);
  });
}
setTimeout(() => {
  process.stderr.write(
    `bench did not finish within ${RUN_TIMEOUT_MS / 60_000} minutes; stopping\n`,
  );
  cleanUp();
  process.exit(1);
}, RUN_TIMEOUT_MS).unref();

// pnpm passes a `--` separator through to the script; it carries no option.
const argv = process.argv.slice(2);
run(argv[0] === '--' ? argv.slice(1) : argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
