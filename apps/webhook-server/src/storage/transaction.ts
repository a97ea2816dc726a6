import type { Transaction } from 'kysely';

import type { Database } from '../db/schema.js';
import type { Executor } from './executor.js';

/**
 * Runs `work` in a transaction: the caller's when `db` already is one, otherwise a new one that commits when `work`
 * resolves and rolls back when it throws. Storage functions that write more than one row use it, so their writes are
 * atomic whether or not the caller opened a transaction.
 */
export function inTransaction<T>(
  db: Executor,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) {
    return work(db as Transaction<Database>);
  }
  return db.transaction().execute(work);
}
