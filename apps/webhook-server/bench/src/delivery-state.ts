import SqliteDatabase from 'better-sqlite3';

/**
 * Summarises the deliveries table of a running server's SQLite file, for the error message of a stalled drain:
 * counts by status, and for pending deliveries whether a lease holds them and whether they are due.
 * Reads through its own read-only connection, which WAL mode allows next to the server's.
 */
export function describeDeliveryState(databaseUrl: string, now = Date.now()): string {
  if (!databaseUrl.startsWith('sqlite:')) {
    return 'delivery state not read: not a SQLite database';
  }

  let database: SqliteDatabase.Database | undefined;
  try {
    database = new SqliteDatabase(databaseUrl.slice('sqlite:'.length), {
      readonly: true,
      fileMustExist: true,
    });
    database.pragma('busy_timeout = 2000');
    const rows = database
      .prepare(
        `SELECT status,
           CASE WHEN lease_expires_at > ? THEN 'leased' ELSE 'free' END AS lease,
           CASE WHEN next_attempt_at <= ? THEN 'due' ELSE 'later' END AS due,
           COUNT(*) AS count
         FROM deliveries GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      )
      .all(now, now) as { status: string; lease: string; due: string; count: number }[];
    const parts = rows.map((row) =>
      row.status === 'pending'
        ? `${row.count} pending ${row.lease} ${row.due}`
        : `${row.count} ${row.status}`,
    );
    return `deliveries in the database: ${parts.join(', ')}`;
  } catch (error) {
    return `delivery state not read: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    database?.close();
  }
}
