import { sql } from 'kysely';
import pg from 'pg';

import { openDatabase } from '../../src/db/connect.js';
import { describePostgres, postgresTestUrl } from '../support/databases.js';

describePostgres('openDatabase', () => {
  test('idle connection failure is reported, not thrown', async () => {
    const target = await postgresTestUrl();
    const errors: Error[] = [];
    const database = openDatabase(target.url, {
      onIdleConnectionError: (error) => errors.push(error),
    });
    const admin = new pg.Client({ connectionString: target.url });
    await admin.connect();
    try {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(
        database.db,
      );
      const pid = rows[0]?.pid;

      await admin.query('select pg_terminate_backend($1)', [pid]);
      for (let poll = 0; poll < 100 && errors.length === 0; poll += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const after = await sql<{ one: number }>`select 1 as one`.execute(database.db);

      expect(errors).toHaveLength(1);
      expect((errors[0] as Error & { code?: string }).code).toBe('57P01');
      expect(after.rows).toEqual([{ one: 1 }]);
    } finally {
      await admin.end();
      await database.close();
      await target.cleanup();
    }
  });
});
