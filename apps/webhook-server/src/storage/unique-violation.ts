/** A unique constraint, named the way each dialect reports a violation of it. */
export interface UniqueConstraint {
  /** Constraint name, which PostgreSQL reports in the error's `constraint` field. */
  name: string;
  /** Table and columns, which SQLite lists in the message (`UNIQUE constraint failed: contacts.account_id, ...`). */
  table: string;
  columns: string[];
}

/**
 * Returns true when `error` is a violation of `constraint`: SQLSTATE 23505 on PostgreSQL (pg 8), the
 * `SQLITE_CONSTRAINT_UNIQUE` code on SQLite (better-sqlite3 12). Any other error, including a violation of another
 * constraint, returns false so the caller rethrows it.
 */
export function isUniqueViolation(error: unknown, constraint: UniqueConstraint): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const {
    code,
    constraint: name,
    message,
  } = error as { code?: unknown; constraint?: unknown; message?: unknown };

  if (code === '23505') {
    return name === constraint.name;
  }
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof message === 'string') {
    const columns = constraint.columns.map((column) => `${constraint.table}.${column}`).join(', ');
    return message.endsWith(`UNIQUE constraint failed: ${columns}`);
  }
  return false;
}
