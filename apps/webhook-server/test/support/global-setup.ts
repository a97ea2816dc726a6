import { ADMIN_URL, probePostgres, redact } from './postgres-admin';

/** Probes PostgreSQL once per run and passes the result to every test file in POSTGRES_AVAILABLE. */
export default async function globalSetup(): Promise<void> {
  const available = await probePostgres();
  process.env['POSTGRES_AVAILABLE'] = available ? '1' : '0';
  if (!available && process.env['REQUIRE_POSTGRES'] === '1') {
    throw new Error(
      `PostgreSQL is not reachable at ${redact(ADMIN_URL)}, and REQUIRE_POSTGRES=1 forbids skipping`,
    );
  }
}
