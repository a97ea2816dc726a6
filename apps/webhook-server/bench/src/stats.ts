import { availableParallelism } from 'node:os';

import { readMachineCpu } from './proc.js';

/** Nearest-rank percentile of `values` (`p` from 0 to 100); NaN for an empty list. Does not modify `values`. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) {
    return Number.NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** p50, p90, p99 and max of a list of milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function summarize(values: readonly number[]): LatencySummary {
  return {
    count: values.length,
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    max: percentile(values, 100),
  };
}

/** Average CPU cores used over a measured interval (CPU time divided by wall time). */
export interface CpuShare {
  server: number | undefined;
  receiver: number;
  driver: number;
  /** Every process on the machine together, these three included; undefined where /proc/stat is missing. */
  machine: number | undefined;
  /** Cores of the machine. */
  cores: number;
}

/** Measures CPU time of the server, the receiver, this process and the whole machine over an interval. */
export class CpuMeter {
  private readonly serverStart: number | undefined;
  private readonly driverStart = process.cpuUsage();
  private readonly machineStart = readMachineCpu();
  private readonly wallStart = performance.now();

  /** `serverCpuMs` reads the server's CPU time; `receiverCpuMsAtStart` is the receiver's, from its stats. */
  constructor(
    private readonly serverCpuMs: () => number | undefined,
    private readonly receiverCpuMsAtStart: number,
  ) {
    this.serverStart = serverCpuMs();
  }

  /** Ends the interval; `receiverCpuMs` is the receiver's CPU time from stats taken now. */
  finish(receiverCpuMs: number): CpuShare {
    const wallMs = performance.now() - this.wallStart;
    const serverEnd = this.serverCpuMs();
    const driver = process.cpuUsage(this.driverStart);
    const machineEnd = readMachineCpu();
    const cores = machineEnd?.cores ?? availableParallelism();

    let machine: number | undefined;
    if (this.machineStart && machineEnd && machineEnd.totalTicks > this.machineStart.totalTicks) {
      const busy = machineEnd.busyTicks - this.machineStart.busyTicks;
      machine = (busy / (machineEnd.totalTicks - this.machineStart.totalTicks)) * cores;
    }

    return {
      server:
        serverEnd === undefined || this.serverStart === undefined
          ? undefined
          : (serverEnd - this.serverStart) / wallMs,
      receiver: (receiverCpuMs - this.receiverCpuMsAtStart) / wallMs,
      driver: (driver.user + driver.system) / 1000 / wallMs,
      machine,
      cores,
    };
  }
}

/** Cores used by processes other than the server, the receivers and the driver; undefined when unknown. */
export function otherProcessesCores(cpu: CpuShare): number | undefined {
  if (cpu.machine === undefined || cpu.server === undefined) {
    return undefined;
  }
  return Math.max(0, cpu.machine - cpu.server - cpu.receiver - cpu.driver);
}
