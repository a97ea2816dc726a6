import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';

import { openDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrations.js';
import { ADMIN_URL, redact } from './postgres-admin.js';

/** A fresh, migrated database and the URL to reach it. */
export interface TestDatabase extends DatabaseHandle {
  url: string;
  /** Closes the connections and deletes the database or file. */
  dispose(): Promise<void>;
}

/** Returns a `DATABASE_URL` for a new SQLite file in a new temporary folder, and a function that removes it. */
export function sqliteTestUrl(): { url: string; cleanup(): void } {
  const folder = mkdtempSync(join(tmpdir(), 'webhook-server-test-'));
  return {
    url: `sqlite:${join(folder, 'test.db')}`,
    cleanup: () => rmSync(folder, { recursive: true, force: true }),
  };
}

/** Creates an empty PostgreSQL database and returns its URL and a function that drops it. */
export async function postgresTestUrl(): Promise<{ url: string; cleanup(): Promise<void> }> {
  const name = `webhook_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;

  return {
    url: url.toString(),
    cleanup: async () => {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Opens and migrates a fresh database of the given dialect. */
export async function createTestDatabase(dialect: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  const target = dialect === 'sqlite' ? sqliteTestUrl() : await postgresTestUrl();
  const handle = openDatabase(target.url);
  await migrateToLatest(handle.db as never, handle.dialect);
  return {
    ...handle,
    url: target.url,
    dispose: async () => {
      await handle.close();
      await target.cleanup();
    },
  };
}

/** True when the global setup found PostgreSQL reachable (it sets POSTGRES_AVAILABLE before any test file loads). */
export function postgresAvailable(): boolean {
  return process.env['POSTGRES_AVAILABLE'] === '1';
}

/**
 * Runs `suite` once per dialect: always on SQLite, and on PostgreSQL when the global setup reached it. When it did
 * not, the PostgreSQL copy is skipped and recorded in the file named by TEST_SKIP_LOG, so the test command reports
 * it; with REQUIRE_POSTGRES=1 the global setup fails the run instead.
 */
export function describeEachDialect(
  name: string,
  suite: (dialect: 'sqlite' | 'postgres') => void,
): void {
  describe(`${name} [sqlite]`, () => suite('sqlite'));

  if (postgresAvailable()) {
    describe(`${name} [postgres]`, () => suite('postgres'));
    return;
  }
  recordSkip(`${name} [postgres]: PostgreSQL not reachable at ${redact(ADMIN_URL)}`);
  describe.skip(`${name} [postgres]`, () => suite('postgres'));
}

/** Like `describe`, for suites that only make sense on PostgreSQL (several processes sharing one database). */
export function describePostgres(name: string, suite: () => void): void {
  if (postgresAvailable()) {
    describe(`${name} [postgres]`, suite);
    return;
  }
  recordSkip(`${name} [postgres]: PostgreSQL not reachable at ${redact(ADMIN_URL)}`);
  describe.skip(`${name} [postgres]`, suite);
}

function recordSkip(line: string): void {
  const log = process.env['TEST_SKIP_LOG'];
  process.stderr.write(`\n*** SKIPPED ${line}\n`);
  if (log) {
    appendFileSync(log, `${line}\n`);
  }
}
