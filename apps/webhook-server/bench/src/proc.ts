import { readFileSync } from 'node:fs';

// Readers of Linux's /proc/<pid> files. On other systems they return undefined and the report says "not measured".

/** Resident memory of a process: current (`VmRSS`) and peak since it started (`VmHWM`), in bytes. */
export interface MemoryReading {
  rssBytes: number;
  peakRssBytes: number;
}

/** Reads `VmRSS` and `VmHWM` from /proc/<pid>/status; undefined when the file or the fields are missing. */
export function readMemory(pid: number): MemoryReading | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const rss = readKilobytes(status, 'VmRSS');
  const peak = readKilobytes(status, 'VmHWM');
  if (rss === undefined || peak === undefined) {
    return undefined;
  }
  return { rssBytes: rss * 1024, peakRssBytes: peak * 1024 };
}

function readKilobytes(status: string, field: string): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

// Linux reports utime and stime in clock ticks; USER_HZ is 100 on every mainstream architecture.
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time a process has used (user plus system) in milliseconds, from /proc/<pid>/stat; undefined if unreadable. */
export function readCpuMs(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name in field 2 may contain spaces, so count fields from the closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    return undefined;
  }
  return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** Time all cores of the machine spent busy and in total since boot, in clock ticks, from /proc/stat. */
export interface MachineCpuReading {
  busyTicks: number;
  totalTicks: number;
  /** Number of `cpuN` lines: the cores the ticks are summed over. */
  cores: number;
}

/** Reads the aggregate `cpu` line of /proc/stat; undefined where it is missing. Idle and iowait count as not busy. */
export function readMachineCpu(): MachineCpuReading | undefined {
  let stat: string;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
  } catch {
    return undefined;
  }
  const lines = stat.split('\n');
  const line = lines.find((candidate) => candidate.startsWith('cpu '));
  const cores = lines.filter((candidate) => /^cpu\d+ /.test(candidate)).length;
  if (!line) {
    return undefined;
  }
  // user nice system idle iowait irq softirq steal; guest time is already included in user and nice.
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busyTicks: total - idle, totalTicks: total, cores };
}
