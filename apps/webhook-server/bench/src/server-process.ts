import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { stopChild, trackChild } from './cleanup.js';
import { readCpuMs, readMemory } from './proc.js';

/** Options of `ServerProcess.start`. */
export interface ServerStartOptions {
  /** Server CLI to run with `serve`; default the package's dist/cli/main.js. */
  entry?: string | undefined;
  /** Environment of the server; nothing else from the bench's own environment is passed except PATH. */
  env: Record<string, string>;
  /** Writes a V8 CPU profile of the server into this folder when it exits. */
  cpuProfileDir?: string | undefined;
  /** File name of that profile, such as `drain-1.cpuprofile`. */
  cpuProfileName?: string;
  /** Fails when the server has not printed its URL within this many milliseconds. */
  startTimeoutMs?: number;
}

/** What a stopped server used. */
export interface ServerUsage {
  /** Largest resident set since the process started (`VmHWM`), in bytes; undefined where /proc is missing. */
  peakRssBytes: number | undefined;
  /** Largest `VmRSS` seen by the 100 ms sampler, in bytes. */
  sampledPeakRssBytes: number | undefined;
  /** CPU time of the whole process life, in milliseconds. */
  cpuMs: number | undefined;
  /** Log lines at level warn or above after start-up, besides the expected start-up warnings. */
  problemLines: string[];
}

/** The package's built server CLI. */
export const SERVER_ENTRY = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const LISTENING_LINE = /^Webhook server listening on (http:\/\/\S+)$/;
const RSS_SAMPLE_INTERVAL_MS = 100;
const LOG_TAIL_LINES = 40;
const MAX_PROBLEM_LINES = 20;
// Warnings every start logs on purpose in this setup (ALLOW_PRIVATE_URLS=true); they are not problems.
const EXPECTED_WARNINGS = [/ALLOW_PRIVATE_URLS is on/];

/**
 * The webhook server (`node dist/cli/main.js serve`) in its own process, so that its memory and CPU are measured
 * alone. Samples `VmRSS` every 100 ms while it runs.
 */
export class ServerProcess {
  private readonly logTail: string[] = [];
  private readonly problemLines: string[] = [];
  private sampledPeakRssBytes: number | undefined;
  private readonly sampler: NodeJS.Timeout;

  private constructor(
    private readonly child: ChildProcess,
    /** Base URL such as `http://127.0.0.1:43121`. */
    readonly url: string,
    /** `Date.now()` when the driver read the URL line, which the server prints after its dispatcher started. */
    readonly listeningAt: number,
    lines: AsyncIterable<string>,
  ) {
    this.sampler = setInterval(() => this.sampleRss(), RSS_SAMPLE_INTERVAL_MS);
    this.sampler.unref();
    void this.collectLines(lines);
  }

  /** Starts the server and resolves once it prints the URL it listens on. */
  static async start(options: ServerStartOptions): Promise<ServerProcess> {
    const nodeArgs = options.cpuProfileDir
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${options.cpuProfileDir}`,
          ...(options.cpuProfileName ? [`--cpu-prof-name=${options.cpuProfileName}`] : []),
        ]
      : [];
    const child = spawn(process.execPath, [...nodeArgs, options.entry ?? SERVER_ENTRY, 'serve'], {
      env: { PATH: process.env['PATH'] ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    trackChild(child);

    const output = mergeLines(child);
    const earlyLines: string[] = [];
    const timeoutMs = options.startTimeoutMs ?? 30_000;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    try {
      // next() rather than for-await: leaving a for-await loop would close the stream the server keeps reading.
      for (let next = await output.next(); next.done !== true; next = await output.next()) {
        const line = next.value;
        earlyLines.push(line);
        const match = LISTENING_LINE.exec(line.trim());
        if (match?.[1]) {
          const server = new ServerProcess(child, match[1], Date.now(), output);
          server.logTail.push(...earlyLines.slice(-LOG_TAIL_LINES));
          return server;
        }
      }
    } finally {
      clearTimeout(timer);
    }
    const tail = earlyLines.slice(-LOG_TAIL_LINES).join('\n');
    throw new Error(
      `webhook server exited before listening (code ${child.exitCode}, signal ${child.signalCode}; ` +
        `start timeout ${timeoutMs} ms). Last output:\n${tail}`,
    );
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** True once the server process has exited. */
  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Current CPU time of the server in milliseconds; undefined where /proc is missing. */
  cpuMs(): number | undefined {
    return readCpuMs(this.pid);
  }

  /** The last lines the server wrote, for error messages. */
  recentOutput(): string {
    return this.logTail.join('\n');
  }

  /**
   * Reads the peak RSS and CPU time, then stops the server with SIGTERM (its graceful shutdown) and waits for the
   * exit; SIGKILL after 10 s.
   */
  async stop(): Promise<ServerUsage> {
    clearInterval(this.sampler);
    this.sampleRss();
    const memory = readMemory(this.pid);
    const cpuMs = readCpuMs(this.pid);
    await stopChild(this.child, 'SIGTERM', 10_000);
    return {
      peakRssBytes: memory?.peakRssBytes,
      sampledPeakRssBytes: this.sampledPeakRssBytes,
      cpuMs,
      problemLines: [...this.problemLines],
    };
  }

  private sampleRss(): void {
    const memory = readMemory(this.pid);
    if (memory && memory.rssBytes > (this.sampledPeakRssBytes ?? 0)) {
      this.sampledPeakRssBytes = memory.rssBytes;
    }
  }

  private async collectLines(lines: AsyncIterable<string>): Promise<void> {
    for await (const line of lines) {
      this.logTail.push(line);
      if (this.logTail.length > LOG_TAIL_LINES) {
        this.logTail.shift();
      }
      if (isProblemLine(line) && this.problemLines.length < MAX_PROBLEM_LINES) {
        this.problemLines.push(line);
      }
    }
  }
}

/** One async stream of the child's stdout and stderr lines; it ends when both streams have closed. */
function mergeLines(child: ChildProcess): AsyncIterableIterator<string> {
  const queue: string[] = [];
  let open = 2;
  let notify: (() => void) | undefined;
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) {
      open -= 1;
      continue;
    }
    const reader = createInterface({ input: stream, crlfDelay: Infinity });
    reader.on('line', (line) => {
      queue.push(line);
      notify?.();
    });
    reader.on('close', () => {
      open -= 1;
      notify?.();
    });
  }

  async function* iterate(): AsyncGenerator<string> {
    for (;;) {
      const line = queue.shift();
      if (line !== undefined) {
        yield line;
        continue;
      }
      if (open === 0) {
        return;
      }
      await new Promise<void>((resolve) => {
        notify = resolve;
      });
      notify = undefined;
    }
  }
  return iterate();
}

/** True for a pino line at warn (40) or above that is not one of the expected start-up warnings. */
function isProblemLine(line: string): boolean {
  if (!line.startsWith('{')) {
    return false;
  }
  try {
    const entry = JSON.parse(line) as { level?: unknown; msg?: unknown };
    const level = typeof entry.level === 'number' ? entry.level : 0;
    const message = typeof entry.msg === 'string' ? entry.msg : '';
    return level >= 40 && !EXPECTED_WARNINGS.some((pattern) => pattern.test(message));
  } catch {
    return false;
  }
}
