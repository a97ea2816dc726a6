import type { DatabaseHandle } from '../db/connect.js';
import type { Logger } from '../logger.js';
import { recordAttempts, type AttemptRecord } from '../storage/deliveries.js';

/** Options of `AttemptWriter`. */
export interface AttemptWriterOptions {
  database: DatabaseHandle;
  /** Lease owner of the dispatcher whose attempts this writer records. */
  owner: string;
  logger: Logger;
  /** Most records written in one transaction. */
  maxBatch?: number;
  /** Wait before writing again after a failed write, in ms. */
  retryDelayMs?: number;
}

const DEFAULT_MAX_BATCH = 500;
const DEFAULT_RETRY_DELAY_MS = 1000;
const BATCH_WINDOW_MS = 5;

/**
 * Collects finished attempts and writes them in batches, one transaction per batch (see `recordAttempts`). Records
 * that arrive while a batch is being written go into the next one, so under load each transaction carries many
 * attempts. A failed write is logged and retried with the same records. The deliveries keep their leases meanwhile.
 * When a lease expires first, another dispatcher sends the delivery again, so it is sent at least once.
 */
export class AttemptWriter {
  private readonly queue: AttemptRecord[] = [];
  private writing: Promise<void> | undefined;
  private readonly maxBatch: number;
  private readonly retryDelayMs: number;
  private closing = false;

  constructor(private readonly options: AttemptWriterOptions) {
    this.maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    this.retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  }

  /** Queues a record; the write starts on the next turn of the event loop. */
  add(record: AttemptRecord): void {
    this.queue.push(record);
    this.writing ??= this.writeAll();
  }

  /**
   * Resolves once every queued record is written. After `close`, a failed write is not retried: its records are
   * dropped with an error log, their leases expire, and the deliveries are sent again by the next dispatcher.
   */
  async idle(): Promise<void> {
    while (this.writing) {
      await this.writing;
    }
  }

  /** Writes what is queued, retrying a failed write no more, and resolves when done. */
  async close(): Promise<void> {
    this.closing = true;
    await this.idle();
  }

  private async writeAll(): Promise<void> {
    // Let attempts finishing in the next few milliseconds join the batch: one transaction per attempt would make
    // the database, not the network, the limit. The wait delays only the log, not the next attempt.
    await new Promise<void>((resolve) => setTimeout(resolve, BATCH_WINDOW_MS));
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.slice(0, this.maxBatch);
        try {
          await this.options.database.db
            .transaction()
            .execute((trx) => recordAttempts(trx, { owner: this.options.owner, records: batch }));
          this.queue.splice(0, batch.length);
        } catch (error) {
          const fields = {
            err: error,
            attempts: batch.length,
            deliveryIds: batch.slice(0, 10).map((record) => record.deliveryId),
          };
          if (this.closing) {
            this.options.logger.error(
              fields,
              'recording delivery attempts failed while stopping; records dropped',
            );
            this.queue.splice(0, batch.length);
            continue;
          }
          this.options.logger.error(fields, 'recording delivery attempts failed; retrying');
          await new Promise<void>((resolve) => setTimeout(resolve, this.retryDelayMs));
        }
      }
    } finally {
      this.writing = undefined;
    }
  }
}
