import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';

import type { Dialect } from './connect.js';

// Migrations are TypeScript functions compiled into the server, so a built server needs no migration files on disk.
// Never edit a migration that has shipped; add a new one.
function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('accounts')
          .addColumn('id', 'text', (col) => col.primaryKey())
          .addColumn('name', 'text', (col) => col.notNull())
          .addColumn('created_at', 'bigint', (col) => col.notNull())
          .execute();

        await db.schema
          .createTable('api_keys')
          .addColumn('id', 'text', (col) => col.primaryKey())
          .addColumn('account_id', 'text', (col) =>
            col.notNull().references('accounts.id').onDelete('cascade'),
          )
          .addColumn('name', 'text', (col) => col.notNull())
          .addColumn('display_prefix', 'text', (col) => col.notNull())
          .addColumn('key_hash', 'text', (col) => col.notNull().unique())
          .addColumn('created_at', 'bigint', (col) => col.notNull())
          .addColumn('last_used_at', 'bigint')
          .addColumn('revoked_at', 'bigint')
          .execute();

        await db.schema
          .createTable('contacts')
          .addColumn('id', 'text', (col) => col.primaryKey())
          .addColumn('account_id', 'text', (col) =>
            col.notNull().references('accounts.id').onDelete('cascade'),
          )
          .addColumn('email', 'text', (col) => col.notNull())
          .addColumn('email_normalized', 'text', (col) => col.notNull())
          .addColumn('first_name', 'text')
          .addColumn('last_name', 'text')
          .addColumn('company', 'text')
          .addColumn('phone', 'text')
          .addColumn('tags', 'text', (col) => col.notNull())
          .addColumn('created_at', 'bigint', (col) => col.notNull())
          .addColumn('updated_at', 'bigint', (col) => col.notNull())
          .addUniqueConstraint('contacts_account_email_unique', ['account_id', 'email_normalized'])
          .execute();
        await db.schema
          .createIndex('contacts_account_id')
          .on('contacts')
          .columns(['account_id', 'id'])
          .execute();

        await db.schema
          .createTable('events')
          .addColumn('id', 'text', (col) => col.primaryKey())
          .addColumn('account_id', 'text', (col) =>
            col.notNull().references('accounts.id').onDelete('cascade'),
          )
          .addColumn('type', 'text', (col) => col.notNull())
          .addColumn('payload', 'text', (col) => col.notNull())
          .addColumn('is_test', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('created_at', 'bigint', (col) => col.notNull())
          .execute();
        await db.schema
          .createIndex('events_account_id')
          .on('events')
          .columns(['account_id', 'is_test', 'id'])
          .execute();
        await db.schema
          .createIndex('events_account_type_id')
          .on('events')
          .columns(['account_id', 'type', 'is_test', 'id'])
          .execute();

        await db.schema
          .createTable('endpoints')
          .addColumn('id', 'text', (col) => col.primaryKey())
          .addColumn('account_id', 'text', (col) =>
            col.notNull().references('accounts.id').onDelete('cascade'),
          )
          .addColumn('url', 'text', (col) => col.notNull())
          .addColumn('description', 'text', (col) => col.notNull())
          .addColumn('event_types', 'text')
          .addColumn('enabled', 'integer', (col) => col.notNull())
          .addColumn('disabled_reason', 'text')
          .addColumn('secret_encrypted', 'text', (col) => col.notNull())
          .addColumn('previous_secret_encrypted', 'text')
          .addColumn('previous_secret_expires_at', 'bigint')
          .addColumn('created_at', 'bigint', (col) => col.notNull())
          .addColumn('updated_at', 'bigint', (col) => col.notNull())
          .addColumn('deleted_at', 'bigint')
          .execute();
        await db.schema
          .createIndex('endpoints_account_id')
          .on('endpoints')
          .columns(['account_id', 'id'])
          .execute();

        await db.schema
          .createTable('deliveries')
          .addColumn('id', 'text', (col) => col.primaryKey())
          .addColumn('account_id', 'text', (col) =>
            col.notNull().references('accounts.id').onDelete('cascade'),
          )
          .addColumn('endpoint_id', 'text', (col) =>
            col.notNull().references('endpoints.id').onDelete('cascade'),
          )
          .addColumn('event_id', 'text', (col) =>
            col.notNull().references('events.id').onDelete('cascade'),
          )
          .addColumn('event_type', 'text', (col) => col.notNull())
          .addColumn('status', 'text', (col) => col.notNull())
          .addColumn('attempt_count', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('scheduled_attempts', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('next_attempt_at', 'bigint')
          .addColumn('manual', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('last_status_code', 'integer')
          .addColumn('is_test', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('lease_owner', 'text')
          .addColumn('lease_expires_at', 'bigint')
          .addColumn('created_at', 'bigint', (col) => col.notNull())
          .addColumn('updated_at', 'bigint', (col) => col.notNull())
          .execute();
        await db.schema
          .createIndex('deliveries_due')
          .on('deliveries')
          .columns(['status', 'next_attempt_at'])
          .execute();
        await db.schema
          .createIndex('deliveries_endpoint_id')
          .on('deliveries')
          .columns(['endpoint_id', 'id'])
          .execute();
        await db.schema
          .createIndex('deliveries_event_id')
          .on('deliveries')
          .columns(['event_id'])
          .execute();
        await db.schema
          .createIndex('deliveries_account_id')
          .on('deliveries')
          .columns(['account_id', 'id'])
          .execute();

        await db.schema
          .createTable('attempts')
          .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (col) =>
            dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
          )
          .addColumn('delivery_id', 'text', (col) =>
            col.notNull().references('deliveries.id').onDelete('cascade'),
          )
          .addColumn('attempt_number', 'integer', (col) => col.notNull())
          .addColumn('trigger', 'text', (col) => col.notNull())
          .addColumn('started_at', 'bigint', (col) => col.notNull())
          .addColumn('duration_ms', 'integer', (col) => col.notNull())
          .addColumn('status_code', 'integer')
          .addColumn('response_excerpt', 'text')
          .addColumn('error', 'text')
          .addColumn('succeeded', 'integer', (col) => col.notNull())
          .execute();
        await db.schema
          .createIndex('attempts_delivery_id')
          .on('attempts')
          .columns(['delivery_id', 'attempt_number'])
          .execute();

        await db.schema
          .createTable('idempotency_keys')
          .addColumn('account_id', 'text', (col) =>
            col.notNull().references('accounts.id').onDelete('cascade'),
          )
          .addColumn('key', 'text', (col) => col.notNull())
          .addColumn('fingerprint', 'text', (col) => col.notNull())
          .addColumn('state', 'text', (col) => col.notNull())
          .addColumn('response_status', 'integer')
          .addColumn('response_body', 'text')
          .addColumn('created_at', 'bigint', (col) => col.notNull())
          .addColumn('expires_at', 'bigint', (col) => col.notNull())
          .addPrimaryKeyConstraint('idempotency_keys_pk', ['account_id', 'key'])
          .execute();
        await db.schema
          .createIndex('idempotency_keys_expires_at')
          .on('idempotency_keys')
          .columns(['expires_at'])
          .execute();
      },
    },
    '0002_idempotency_content_type': {
      async up(db: Kysely<unknown>) {
        // A replayed response carries the content type of the original one (application/json or problem+json).
        await db.schema
          .alterTable('idempotency_keys')
          .addColumn('response_content_type', 'text')
          .execute();
      },
    },
  };
}

class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}

  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(migrations(this.dialect));
  }
}

/** Applies every pending migration; throws with the failing migration's name when one fails. */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error) {
    const name = failed ? ` ${failed.migrationName}` : '';
    throw new Error(`database migration${name} failed`, { cause: error });
  }
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}
