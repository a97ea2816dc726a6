import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { join } from 'node:path';

import SqliteDatabase from 'better-sqlite3';

/** The machine and software a run measured. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  os: string;
  node: string;
  sqlite: string;
  /** Versions of the server's main dependencies, by package name. */
  packages: Record<string, string>;
  /** Commit the bench ran on, with a remark when the server or client sources had uncommitted changes. */
  commit: string;
  /** 1-minute load average before the run started. */
  loadAverageBefore: number;
}

const REPORTED_PACKAGES = ['fastify', 'kysely', 'better-sqlite3', 'undici', 'pino', 'zod'];
const SERVER_ROOT = join(__dirname, '..', '..');
const REPOSITORY_ROOT = join(SERVER_ROOT, '..', '..');
// Sources whose uncommitted changes would make the commit id misleading.
const MEASURED_SOURCES = ['apps/webhook-server/src', 'packages/api-client/src'];

/** Collects what a reader needs to compare a run with another. */
export function describeMachine(): MachineInfo {
  const processors = cpus();
  const sqlite = new SqliteDatabase(':memory:');
  const sqliteVersion = (
    sqlite.prepare('select sqlite_version() as version').get() as { version: string }
  ).version;
  sqlite.close();

  const packages: Record<string, string> = {};
  for (const name of REPORTED_PACKAGES) {
    try {
      const manifest = readFileSync(
        join(SERVER_ROOT, 'node_modules', name, 'package.json'),
        'utf8',
      );
      packages[name] = (JSON.parse(manifest) as { version: string }).version;
    } catch {
      packages[name] = 'unknown';
    }
  }

  return {
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    memoryBytes: totalmem(),
    os: `${type()} ${release()}`,
    node: process.version,
    sqlite: sqliteVersion,
    packages,
    commit: describeCommit(),
    loadAverageBefore: loadavg()[0] ?? 0,
  };
}

function describeCommit(): string {
  try {
    const git = (args: string[]) =>
      execFileSync('git', ['-C', REPOSITORY_ROOT, ...args], { encoding: 'utf8' }).trim();
    const commit = git(['rev-parse', '--short', 'HEAD']);
    const changes = git(['status', '--porcelain', '--', ...MEASURED_SOURCES]);
    return changes === ''
      ? commit
      : `${commit} with uncommitted changes in ${MEASURED_SOURCES.join(' or ')}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}
