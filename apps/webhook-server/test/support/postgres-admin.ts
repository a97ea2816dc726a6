import pg from 'pg';

/**
 * Admin connection used to create one throwaway database per test database. Override with TEST_POSTGRES_URL.
 * REQUIRE_POSTGRES=1 (set by .ci/run) turns an unreachable server into a failure instead of a skip.
 */
export const ADMIN_URL =
  process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Resolves true when the PostgreSQL admin connection works. */
export async function probePostgres(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Removes the password from a database URL, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
