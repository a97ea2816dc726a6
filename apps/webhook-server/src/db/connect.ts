import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';

import type { Database } from './schema.js';

/** SQL dialect of a database; the few queries that differ switch on it. */
export type Dialect = 'sqlite' | 'postgres';

/** An open database with its dialect. */
export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Closes every connection. */
  close(): Promise<void>;
}

const PG_INT8_OID = 20;

/**
 * Opens the database named by `url`: `sqlite:<path>` (the file and its folder are created) or `postgres://...`.
 * SQLite runs in WAL mode with foreign keys on; PostgreSQL `bigint` columns are read back as numbers.
 */
export function openDatabase(url: string, options: OpenDatabaseOptions = {}): DatabaseHandle {
  if (url.startsWith('sqlite:')) {
    return openSqlite(url.slice('sqlite:'.length));
  }
  return openPostgres(url, options);
}

/** Options of `openDatabase`. */
export interface OpenDatabaseOptions {
  /**
   * Called when an idle PostgreSQL connection fails (a server restart, a terminated backend). The pool has already
   * dropped the connection and opens a new one for the next query; by default the error is ignored.
   */
  onIdleConnectionError?: (error: Error) => void;
}

function openSqlite(path: string): DatabaseHandle {
  const inMemory = path === ':memory:';
  if (!inMemory) {
    mkdirSync(dirname(resolve(path)), { recursive: true });
  }

  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL in WAL mode loses no committed transaction on a process crash, only on power loss or an OS crash.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');

  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Wraps a better-sqlite3 database so `prepare` reuses compiled statements. Kysely's SQLite driver prepares every
 * query again, which took about a tenth of the server's CPU time when publishing events. The queries are built
 * with parameters, so the set of distinct SQL texts stays small; the oldest entry is dropped past the limit.
 * Reusing a statement is safe because better-sqlite3 runs each one to completion synchronously, except for
 * `iterate`, which this server never uses (Kysely calls it only for `stream()`).
 */
function withStatementCache(sqlite: SqliteDatabase.Database): SqliteDatabase.Database {
  const cache = new Map<string, SqliteDatabase.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);

  return new Proxy(sqlite, {
    get(target, property, receiver) {
      if (property !== 'prepare') {
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (source: string) => {
        const cached = cache.get(source);
        if (cached) {
          return cached;
        }
        const statement = prepare(source);
        if (cache.size >= STATEMENT_CACHE_SIZE) {
          const oldest = cache.keys().next().value;
          if (oldest !== undefined) {
            cache.delete(oldest);
          }
        }
        cache.set(source, statement);
        return statement;
      };
    },
  });
}

function openPostgres(url: string, options: OpenDatabaseOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === PG_INT8_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });

  // pg-pool re-emits the error of an idle connection on the pool, and an EventEmitter without an 'error' listener
  // throws, which would crash the process.
  pool.on('error', (error) => options.onIdleConnectionError?.(error));

  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}
