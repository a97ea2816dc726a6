import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { stopChild, trackChild } from './cleanup.js';
import type { ReceiverCommand, ReceiverReply, ReceiverStats } from './receiver-protocol.js';

/** Distributes `Omit` over a union, so each command keeps its own fields. */
type WithoutRequestId<T> = T extends unknown ? Omit<T, 'requestId'> : never;

/** Options of `ReceiverProcess.waitForDistinct`. */
export interface WaitOptions {
  /** Fails after this many milliseconds in total. */
  timeoutMs: number;
  /** Fails when the distinct count has not grown for this many milliseconds. */
  stallMs: number;
}

const POLL_INTERVAL_MS = 100;

/** Driver side of the receiver process (receiver.ts): starts it, sends it commands over IPC and awaits replies. */
export class ReceiverProcess {
  private nextRequestId = 1;
  private readonly pending = new Map<
    number,
    { resolve(reply: ReceiverReply): void; reject(error: Error): void }
  >();

  private constructor(
    private readonly child: ChildProcess,
    /** Port of each simulated endpoint, by receiver index. */
    readonly ports: number[],
  ) {}

  /** Starts the receiver process with `count` HTTP servers on 127.0.0.1. */
  static async start(count: number): Promise<ReceiverProcess> {
    const child = fork(join(__dirname, 'receiver.js'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    trackChild(child);

    const receiver = new ReceiverProcess(child, []);
    child.on('message', (reply: ReceiverReply) => receiver.settle(reply));
    child.once('exit', (code, signal) =>
      receiver.failPending(`receiver process exited (code ${code}, signal ${signal})`),
    );

    const reply = await receiver.send({ type: 'listen', count });
    if (reply.type !== 'listening') {
      throw new Error(`receiver did not start: ${JSON.stringify(reply)}`);
    }
    receiver.ports.push(...reply.ports);
    return receiver;
  }

  /** Process id, to read its CPU time. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** URL of the simulated endpoint `index`. */
  url(index: number): string {
    const port = this.ports[index];
    if (port === undefined) {
      throw new RangeError(
        `receiver ${index} does not exist; the receiver process runs ${this.ports.length}`,
      );
    }
    return `http://127.0.0.1:${port}/webhooks`;
  }

  /** Clears every counter and sets the secret each receiver verifies with (null: accept without verifying). */
  async reset(secrets: (string | null)[]): Promise<void> {
    await this.send({ type: 'reset', secrets });
  }

  async stats(): Promise<ReceiverStats> {
    const reply = await this.send({ type: 'stats' });
    if (reply.type !== 'stats') {
      throw new Error(`unexpected receiver reply ${reply.type}`);
    }
    return reply.stats;
  }

  /** First receive time of every delivery since the reset, keyed by `deliveryKey`. */
  async receiveTimes(): Promise<Map<string, number>> {
    const reply = await this.send({ type: 'receive-times' });
    if (reply.type !== 'receive-times') {
      throw new Error(`unexpected receiver reply ${reply.type}`);
    }
    return new Map(reply.times);
  }

  /**
   * Resolves with the stats once `target` distinct deliveries have arrived. Throws when `timeoutMs` passes or the
   * count stops growing for `stallMs`; the message gives the count reached and the rejected requests.
   */
  async waitForDistinct(target: number, options: WaitOptions): Promise<ReceiverStats> {
    const startedAt = Date.now();
    let lastCount = -1;
    let lastProgressAt = startedAt;

    for (;;) {
      const stats = await this.stats();
      if (stats.distinct >= target) {
        return stats;
      }

      const now = Date.now();
      if (stats.distinct !== lastCount) {
        lastCount = stats.distinct;
        lastProgressAt = now;
      }
      const progress = `${stats.distinct} of ${target} deliveries arrived, ${stats.rejected} requests rejected`;
      if (now - lastProgressAt >= options.stallMs) {
        throw new Error(
          `deliveries stalled: no new delivery for ${options.stallMs} ms (${progress})`,
        );
      }
      if (now - startedAt >= options.timeoutMs) {
        throw new Error(`deliveries timed out after ${options.timeoutMs} ms (${progress})`);
      }
      await sleep(POLL_INTERVAL_MS);
    }
  }

  async stop(): Promise<void> {
    await stopChild(this.child, 'SIGTERM', 2_000);
  }

  private send(command: WithoutRequestId<ReceiverCommand>): Promise<ReceiverReply> {
    const requestId = this.nextRequestId++;
    return new Promise<ReceiverReply>((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.child.send({ ...command, requestId } as ReceiverCommand, (error) => {
        if (error) {
          this.pending.delete(requestId);
          reject(error);
        }
      });
    });
  }

  private settle(reply: ReceiverReply): void {
    const waiter = this.pending.get(reply.requestId);
    if (!waiter) {
      return;
    }
    this.pending.delete(reply.requestId);
    if (reply.type === 'error') {
      waiter.reject(new Error(`receiver failed: ${reply.message}`));
    } else {
      waiter.resolve(reply);
    }
  }

  private failPending(message: string): void {
    for (const waiter of this.pending.values()) {
      waiter.reject(new Error(message));
    }
    this.pending.clear();
  }
}
