import { setTimeout as sleep } from 'node:timers/promises';

import { readMachineCpu } from './proc.js';

const WINDOW_MS = 5_000;

/**
 * Waits until the machine's cores were busy less than `maxBusyCores` over a 5-second window, or until `timeoutMs`
 * has passed. Returns the busy cores of the last window, or undefined where /proc/stat is missing.
 */
export async function waitForIdleMachine(options: {
  maxBusyCores: number;
  timeoutMs: number;
  log(message: string): void;
}): Promise<number | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const start = readMachineCpu();
    await sleep(WINDOW_MS);
    const end = readMachineCpu();
    if (!start || !end || end.totalTicks <= start.totalTicks) {
      return undefined;
    }

    const busyCores =
      ((end.busyTicks - start.busyTicks) / (end.totalTicks - start.totalTicks)) * end.cores;
    if (busyCores < options.maxBusyCores || Date.now() >= deadline) {
      return busyCores;
    }
    options.log(
      `machine busy (${busyCores.toFixed(2)} cores in use); waiting for it to quiet down`,
    );
  }
}
