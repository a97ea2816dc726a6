import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

import { Agent, type buildConnector } from 'undici';

import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/connect.js';
import type { DispatcherSignal } from '../http/services.js';
import type { Logger } from '../logger.js';
import type { SecretBox } from '../security/secret-box.js';
import {
  claimDueDeliveries,
  releaseLeases,
  type AttemptRecord,
  type ClaimedDelivery,
} from '../storage/deliveries.js';
import { AttemptWriter } from './attempt-writer.js';
import { decideAttempt } from './decide.js';
import { RequestSigner } from './prepare.js';
import { sendRequest } from './send.js';
import { DeliverySlots, PREFETCH_FACTOR } from './slots.js';
import { createGuardedConnector, type ResolveHost } from './ssrf-guard.js';

/** Options of `Dispatcher`. */
export interface DispatcherOptions {
  config: Config;
  database: DatabaseHandle;
  logger: Logger;
  secretBox: SecretBox;
  /** Interval between looks for due deliveries when nothing wakes the dispatcher, in ms. */
  pollIntervalMs?: number;
  /** How long a claim lasts, in ms; defaults to `PREFETCH_FACTOR` delivery timeouts plus 5 s. */
  leaseMs?: number;
  /** DNS resolver of the SSRF guard; tests inject answers. */
  resolveHost?: ResolveHost;
  /** Socket opener behind the SSRF guard; tests pass a spy. */
  connect?: buildConnector.connector;
  /** Random source of the retry jitter; tests pin it. */
  random?: () => number;
}

/** Bytes of each response body kept in the delivery log. */
export const RESPONSE_EXCERPT_BYTES = 4096;

const DEFAULT_POLL_INTERVAL_MS = 100;
// A claim reads up to twice its batch of the oldest due rows (at least 64) and picks per endpoint among them. The
// read, not the batch, is what a claim costs on SQLite, so the batch stays moderate even when many slots are free.
const MAX_CLAIM_BATCH = 64;
const MIN_CLAIM_SCAN = 64;
const MAX_CONNECT_TIMEOUT_MS = 10_000;
// While the database is down every poll fails; one log line per interval is enough to see it.
const CLAIM_FAILURE_LOG_INTERVAL_MS = 30_000;

/**
 * Sends due deliveries to their endpoints. Each delivery goes through named stages:
 * claim (lease a batch from the database) -> prepare (sign) -> send (one HTTP attempt) -> decide (next state) ->
 * record (batched with other attempts into one transaction by `AttemptWriter`).
 *
 * Concurrency is capped globally (`DELIVERY_CONCURRENCY`) and per endpoint (`ENDPOINT_CONCURRENCY`). The dispatcher
 * keeps at most one running and three waiting deliveries per slot (see `DeliverySlots`), counted per endpoint, so a slow
 * endpoint fills its own slots and no one else's, and one claim serves many attempts. Both caps count this process
 * only; several processes on one PostgreSQL database each apply their own. The default lease is four delivery
 * timeouts plus 5 s (65 s with the 15 s default). It covers a claimed delivery's wait for a slot and its own
 * attempt, and it is also how long a crashed process's deliveries wait before another process sends them.
 *
 * Delivery is at least once: a claim is a lease, and when a process dies mid-attempt the lease expires and another
 * dispatcher (or this one after a restart) sends the delivery again with the same `webhook-id`.
 */
export class Dispatcher implements DispatcherSignal {
  /** Lease owner id of this dispatcher, unique per process start. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  private readonly agent: Agent;
  private readonly signer: RequestSigner;
  private readonly writer: AttemptWriter;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly slots: DeliverySlots;
  private readonly attempts = new Set<Promise<void>>();
  private running = false;
  private pumpScheduled = false;
  private claiming: Promise<void> | undefined;
  private claimAgain = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private claimFailures = 0;
  private lastClaimFailureLogAt = 0;

  constructor(private readonly options: DispatcherOptions) {
    const { config } = options;
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.leaseMs = options.leaseMs ?? PREFETCH_FACTOR * config.deliveryTimeoutMs + 5000;
    this.signer = new RequestSigner(options.secretBox);
    this.slots = new DeliverySlots({
      global: config.deliveryConcurrency,
      perEndpoint: config.endpointConcurrency,
    });
    this.writer = new AttemptWriter({
      database: options.database,
      owner: this.owner,
      logger: options.logger,
    });

    const connectTimeoutMs = Math.min(config.deliveryTimeoutMs, MAX_CONNECT_TIMEOUT_MS);
    const connect = config.allowPrivateUrls
      ? (options.connect ?? { timeout: connectTimeoutMs })
      : createGuardedConnector({
          timeoutMs: connectTimeoutMs,
          ...(options.resolveHost === undefined ? {} : { resolve: options.resolveHost }),
          ...(options.connect === undefined ? {} : { connect: options.connect }),
        });
    this.agent = new Agent({ connections: config.endpointConcurrency, connect });
  }

  /** Starts polling for due deliveries and claims the ones due now. */
  start(): void {
    if (this.running) {
      return;
    }
    this.running = true;
    this.pollTimer = setInterval(() => this.wake(), this.pollIntervalMs);
    this.pollTimer.unref();
    this.wake();
  }

  /** Looks for due deliveries on the next turn of the event loop; calls in the same turn share one claim. */
  wake(): void {
    if (!this.running || this.pumpScheduled) {
      return;
    }
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /**
   * Drops the deliveries claimed ahead for an endpoint whose URL, secret or state just changed, and gives back their
   * leases. They were claimed with the old URL and secrets. The next claim takes them again with the new ones, or
   * not at all when the endpoint is now disabled or deleted. Attempts already running finish.
   *
   * NOTE: only this process's deliveries are dropped. Another process on the same PostgreSQL database may still send
   * the few it claimed ahead for the endpoint before the change (at most three per slot).
   */
  endpointChanged(endpointId: string): void {
    const waiting = this.slots.takeWaitingOf(endpointId);
    if (waiting.length === 0) {
      return;
    }
    void this.release(waiting).then(() => this.wake());
  }

  /**
   * Stops claiming, gives back the leases of deliveries claimed ahead but not started, waits for in-flight attempts
   * to finish and be recorded, then closes the HTTP connections. Nothing is left half-written.
   */
  stop(): Promise<void> {
    this.stopping ??= this.drain();
    return this.stopping;
  }

  private async drain(): Promise<void> {
    this.running = false;
    clearInterval(this.pollTimer);
    while (this.claiming) {
      await this.claiming;
    }
    await this.releaseWaiting();
    await Promise.all([...this.attempts]);
    await this.writer.close();
    await this.agent.close();
  }

  private pump(): void {
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    this.claiming = this.claimLoop().finally(() => {
      this.claiming = undefined;
      if (this.claimAgain) {
        this.claimAgain = false;
        this.wake();
      }
    });
  }

  /** Claim stage: leases due deliveries up to the room the slots have, batch after batch. */
  private async claimLoop(): Promise<void> {
    const { database } = this.options;
    while (this.running) {
      const room = this.slots.claimRoom();
      if (room <= 0) {
        return;
      }
      const limit = Math.min(room, MAX_CLAIM_BATCH);

      let claimed: ClaimedDelivery[];
      try {
        claimed = await claimDueDeliveries(database.db, {
          dialect: database.dialect,
          owner: this.owner,
          now: Date.now(),
          leaseMs: this.leaseMs,
          limit,
          endpointCap: this.slots.endpointHoldLimit,
          heldByEndpoint: this.slots.heldByEndpoint,
          scanLimit: Math.max(2 * limit, MIN_CLAIM_SCAN),
        });
      } catch (error) {
        this.logClaimFailure(error);
        return;
      }
      this.claimFailures = 0;

      for (const delivery of claimed) {
        this.slots.add(delivery);
      }
      this.startWaiting();
      if (claimed.length < limit) {
        return;
      }
    }
  }

  /** Logs the first failed claim of an outage, then one line per `CLAIM_FAILURE_LOG_INTERVAL_MS` with a count. */
  private logClaimFailure(error: unknown): void {
    this.claimFailures += 1;
    const now = Date.now();
    if (
      this.claimFailures > 1 &&
      now - this.lastClaimFailureLogAt < CLAIM_FAILURE_LOG_INTERVAL_MS
    ) {
      return;
    }
    this.lastClaimFailureLogAt = now;
    this.options.logger.error(
      { err: error, failures: this.claimFailures },
      'claiming due deliveries failed; retrying at the next poll',
    );
  }

  private startWaiting(): void {
    for (const delivery of this.slots.takeStartable()) {
      this.startAttempt(delivery);
    }
  }

  /** Gives back the leases of claimed deliveries that never started, so the next dispatcher sends them at once. */
  private async releaseWaiting(): Promise<void> {
    await this.release(this.slots.takeAllWaiting());
  }

  private async release(deliveries: ClaimedDelivery[]): Promise<void> {
    if (deliveries.length === 0) {
      return;
    }
    try {
      await releaseLeases(this.options.database.db, {
        owner: this.owner,
        deliveryIds: deliveries.map((delivery) => delivery.id),
      });
    } catch (error) {
      // The leases then expire on their own; the deliveries are only sent later.
      this.options.logger.error(
        { err: error, deliveries: deliveries.length },
        'releasing unstarted deliveries failed',
      );
    }
  }

  private startAttempt(delivery: ClaimedDelivery): void {
    const attempt = this.attempt(delivery)
      .catch((error: unknown) => {
        // The stages return outcomes instead of throwing, so this only catches a bug. It must not leak a slot, and
        // the delivery is retried by a later claim once its lease expires.
        this.options.logger.error(
          { err: error, deliveryId: delivery.id },
          'delivery attempt crashed',
        );
      })
      .finally(() => {
        this.attempts.delete(attempt);
        const claimNow = this.slots.finish(delivery);
        if (this.running) {
          this.startWaiting();
        }
        // Claiming after every single completion would cost a query per delivery. `finish` reports when a batch is
        // worth a claim, and the poll covers anything left.
        if (claimNow) {
          this.wake();
        }
      });
    this.attempts.add(attempt);
  }

  /** Prepare, send and decide stages of one attempt; the record goes to the batched writer. */
  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const { config } = this.options;
    const startedAt = Date.now();

    const prepared = this.signer.prepare(delivery, startedAt);
    const outcome =
      prepared.kind === 'ready'
        ? await sendRequest(prepared.request, {
            dispatcher: this.agent,
            timeoutMs: config.deliveryTimeoutMs,
            excerptBytes: RESPONSE_EXCERPT_BYTES,
          })
        : prepared;

    const record = decideAttempt({
      delivery,
      outcome,
      startedAt,
      finishedAt: Date.now(),
      scheduleMs: config.retryScheduleMs,
      ...(this.options.random === undefined ? {} : { random: this.options.random }),
    });
    this.logAttempt(delivery, record, outcome.kind === 'error' ? outcome.detail : undefined);
    this.writer.add(record);

    if (record.disableEndpoint !== undefined) {
      // Nothing more goes to an endpoint that responded 410. The leases are given back only once the disable is
      // written, or another claim could take the deliveries before the endpoint counts as disabled.
      const waiting = this.slots.takeWaitingOf(delivery.endpointId);
      void this.writer.idle().then(() => this.release(waiting));
    }
  }

  private logAttempt(
    delivery: ClaimedDelivery,
    record: AttemptRecord,
    detail: string | undefined,
  ): void {
    const fields = {
      deliveryId: delivery.id,
      endpointId: delivery.endpointId,
      eventId: delivery.eventId,
      attempt: record.attemptNumber,
      trigger: record.trigger,
      statusCode: record.statusCode,
      durationMs: record.durationMs,
      ...(record.error === null ? {} : { error: record.error, detail }),
      next: record.transition.status,
    };
    const { logger } = this.options;
    if (record.succeeded) {
      logger.debug(fields, 'delivery attempt succeeded');
    } else if (record.error === 'secret_unreadable') {
      // The server's SECRET_ENCRYPTION_KEY does not match the one the secret was sealed with; nothing was sent.
      logger.error(fields, 'signing secret could not be decrypted; check SECRET_ENCRYPTION_KEY');
    } else if (record.disableEndpoint === 'gone') {
      logger.warn(fields, 'endpoint responded 410 Gone; endpoint disabled');
    } else if (record.transition.status === 'failed') {
      logger.warn(fields, 'delivery failed; no attempt left');
    } else {
      logger.info(fields, 'delivery attempt failed; retry scheduled');
    }
  }
}
