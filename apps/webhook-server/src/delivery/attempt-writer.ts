import type { DatabaseHandle } from '../db/connect.js';
import type { Logger } from '../logger.js';
import { recordAttempts, type AttemptRecord } from '../storage/deliveries.js';

/** Options of `AttemptWriter`. */
export interface AttemptWriterOptions {
  database: DatabaseHandle;
  /** Lease owner of the dispatcher whose attempts this writer records. */
  owner: string;
  logger: Logger;
  /** Maximum number of records written in one transaction. */
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
 * attempts. A failed batch is written again record by record. When every record fails, the database is down, so
 * the batch is retried after `retryDelayMs` while the deliveries keep their leases. Records the database rejects on
 * their own are dropped with an error log. A delivery whose record is dropped, or whose lease expires before the
 * write, is sent again by the next claim, so it is sent at least once.
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

  /** Queues a record; the write starts within a few milliseconds. */
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
        const failed = await this.writeBatch(batch);
        if (failed.length === 0) {
          this.queue.splice(0, batch.length);
          continue;
        }

        const fields = {
          attempts: failed.length,
          deliveryIds: failed.slice(0, 10).map((record) => record.deliveryId),
        };
        if (this.closing || failed.length < batch.length) {
          // Either the process is stopping, or the database took the other records and these few are the fault.
          // Retrying them would block every later record; their leases expire and the deliveries are sent again.
          this.options.logger.error(fields, 'recording delivery attempts failed; records dropped');
          this.queue.splice(0, batch.length);
          continue;
        }
        this.options.logger.error(fields, 'recording delivery attempts failed; retrying');
        await new Promise<void>((resolve) => setTimeout(resolve, this.retryDelayMs));
      }
    } finally {
      this.writing = undefined;
    }
  }

  /**
   * Writes a batch in one transaction. When that fails, writes each record alone to tell a database outage (every
   * record fails) from a record the database rejects. Returns the records that could not be written.
   */
  private async writeBatch(batch: AttemptRecord[]): Promise<AttemptRecord[]> {
    try {
      await this.write(batch);
      return [];
    } catch (error) {
      this.options.logger.error(
        { err: error, attempts: batch.length },
        'recording a batch of delivery attempts failed; writing them one by one',
      );
    }

    const failed: AttemptRecord[] = [];
    for (const record of batch) {
      try {
        await this.write([record]);
      } catch (error) {
        this.options.logger.error(
          { err: error, deliveryId: record.deliveryId, attempt: record.attemptNumber },
          'recording a delivery attempt failed',
        );
        failed.push(record);
      }
    }
    return failed;
  }

  private async write(records: AttemptRecord[]): Promise<void> {
    await this.options.database.db
      .transaction()
      .execute((trx) => recordAttempts(trx, { owner: this.options.owner, records }));
  }
}
