import { catalog } from '@app/api-client';

import { openDatabase } from '../../dist/db/connect.js';
import { emitEvent } from '../../dist/storage/events.js';
import { BENCH_EVENT_TYPE } from './api.js';

/** Options of `seedBacklog`. */
export interface SeedBacklogOptions {
  /** `DATABASE_URL` of a server that is stopped; its endpoints already exist. */
  databaseUrl: string;
  accountId: string;
  /** Events to emit; each gets one pending delivery per enabled endpoint. */
  events: number;
}

/** What `seedBacklog` stored. */
export interface SeededBacklog {
  events: number;
  deliveries: number;
  durationMs: number;
}

// Events per transaction: large enough that commits do not dominate, small enough to keep each one short.
const EVENTS_PER_TRANSACTION = 1_000;

/**
 * Emits `events` events straight into the database with the server's own `emitEvent` (the transactional outbox),
 * so that the deliveries are pending and due when the server next starts. The server must not be running.
 */
export async function seedBacklog(options: SeedBacklogOptions): Promise<SeededBacklog> {
  const startedAt = performance.now();
  const database = openDatabase(options.databaseUrl);
  let deliveries = 0;
  try {
    for (let emitted = 0; emitted < options.events; emitted += EVENTS_PER_TRANSACTION) {
      const batch = Math.min(EVENTS_PER_TRANSACTION, options.events - emitted);
      deliveries += await database.db.transaction().execute(async (transaction) => {
        let created = 0;
        for (let index = 0; index < batch; index += 1) {
          const event = await emitEvent(transaction, {
            accountId: options.accountId,
            type: BENCH_EVENT_TYPE,
            data: catalog[BENCH_EVENT_TYPE].sample,
          });
          created += event.deliveryIds.length;
        }
        return created;
      });
    }
  } finally {
    await database.close();
  }
  return { events: options.events, deliveries, durationMs: performance.now() - startedAt };
}
