import { sql } from 'kysely';

import type { DatabaseHandle } from '../../src/db/connect.js';

/**
 * Installs a trigger that makes every insert into `table` fail with "forced failure", on SQLite or PostgreSQL. It
 * forces an error in the middle of a real transaction (after earlier statements succeeded), to prove that the
 * transaction leaves nothing behind. Returns a function that removes the trigger.
 */
export async function failInsertsInto(
  database: DatabaseHandle,
  table: 'contacts' | 'events' | 'deliveries',
): Promise<() => Promise<void>> {
  const trigger = sql.id(`fail_insert_${table}`);
  const target = sql.id(table);

  if (database.dialect === 'sqlite') {
    await sql`create trigger ${trigger} before insert on ${target} begin select raise(abort, 'forced failure'); end`.execute(
      database.db,
    );
    return async () => {
      await sql`drop trigger ${trigger}`.execute(database.db);
    };
  }

  const fn = sql.id(`fail_insert_${table}_fn`);
  await sql`create function ${fn}() returns trigger language plpgsql as $$ begin raise exception 'forced failure'; end $$`.execute(
    database.db,
  );
  await sql`create trigger ${trigger} before insert on ${target} for each row execute function ${fn}()`.execute(
    database.db,
  );
  return async () => {
    await sql`drop trigger ${trigger} on ${target}`.execute(database.db);
    await sql`drop function ${fn}()`.execute(database.db);
  };
}
