import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

// Every child process and temporary folder of the run, so that a failure, a signal or a plain exit never leaves a
// server, a receiver or a database file behind.
const running = new Set<ChildProcess>();
const temporaryPaths = new Set<string>();

/** Registers a child process until it exits. */
export function trackChild(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
}

/** Registers a file or folder to delete when the run ends. */
export function removeAtCleanUp(path: string): void {
  temporaryPaths.add(path);
}

/**
 * Sends SIGKILL to every child still running and deletes the temporary paths. Synchronous, so it also works in an
 * `exit` handler; calling it twice is harmless.
 */
export function cleanUp(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  }
  running.clear();

  for (const path of temporaryPaths) {
    rmSync(path, { recursive: true, force: true });
  }
  temporaryPaths.clear();
}

/**
 * Sends `signal` to a child and resolves once it has exited; after `graceMs` the child gets SIGKILL.
 * Resolves with the exit code, or null when a signal ended it.
 */
export async function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals,
  graceMs: number,
): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return child.exitCode;
  }

  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}
