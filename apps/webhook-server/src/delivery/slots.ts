import type { ClaimedDelivery } from '../storage/deliveries.js';

/**
 * Deliveries a dispatcher keeps per slot: one running and up to three claimed ahead, waiting. Claiming ahead lets one
 * claim fetch a batch instead of a few rows per finished attempt, which matters on SQLite, where a claim blocks the
 * event loop. A waiting delivery starts within three attempt durations, because each round of running attempts ends
 * within the timeout. `Dispatcher`'s default lease covers that wait plus the attempt itself.
 */
export const PREFETCH_FACTOR = 4;

/** Limits of `DeliverySlots`. */
export interface SlotLimits {
  /** Attempts running at once in this process. */
  global: number;
  /** Attempts running at once to one endpoint. */
  perEndpoint: number;
}

/**
 * Tracks the deliveries one dispatcher holds: those running and those claimed ahead, waiting for a slot of their
 * endpoint and a global slot. Waiting endpoints take turns, so one endpoint's backlog does not hold the global slots.
 */
export class DeliverySlots {
  /** Deliveries held per endpoint, running or waiting; the claim's per-endpoint room is computed from it. */
  readonly heldByEndpoint = new Map<string, number>();
  private readonly runningByEndpoint = new Map<string, number>();
  private readonly waiting = new Map<string, ClaimedDelivery[]>();
  private held = 0;
  private running = 0;

  constructor(readonly limits: SlotLimits) {}

  /** Most deliveries held per endpoint; passed to the claim as its per-endpoint cap. */
  get endpointHoldLimit(): number {
    return PREFETCH_FACTOR * this.limits.perEndpoint;
  }

  /** Returns how many more deliveries a claim may take. */
  claimRoom(): number {
    return PREFETCH_FACTOR * this.limits.global - this.held;
  }

  /** Number of attempts running now. */
  get runningCount(): number {
    return this.running;
  }

  /** Adds a claimed delivery to the waiting list of its endpoint. */
  add(delivery: ClaimedDelivery): void {
    const list = this.waiting.get(delivery.endpointId) ?? [];
    list.push(delivery);
    this.waiting.set(delivery.endpointId, list);
    this.held += 1;
    increment(this.heldByEndpoint, delivery.endpointId, 1);
  }

  /** Removes and returns the waiting deliveries that may start now, and counts them as running. */
  takeStartable(): ClaimedDelivery[] {
    const started: ClaimedDelivery[] = [];
    for (const [endpointId, list] of [...this.waiting]) {
      if (this.running >= this.limits.global) {
        break;
      }
      while (
        list.length > 0 &&
        this.running < this.limits.global &&
        (this.runningByEndpoint.get(endpointId) ?? 0) < this.limits.perEndpoint
      ) {
        started.push(list.shift() as ClaimedDelivery);
        this.running += 1;
        increment(this.runningByEndpoint, endpointId, 1);
      }
      // Map order is insertion order: moving a served endpoint to the end gives the others the next turn.
      this.waiting.delete(endpointId);
      if (list.length > 0) {
        this.waiting.set(endpointId, list);
      }
    }
    return started;
  }

  /**
   * Records that a running attempt ended. Returns true when a claim is worth making now, which is when the
   * endpoint has at most one slot's worth of deliveries left waiting.
   */
  finish(delivery: ClaimedDelivery): boolean {
    this.running -= 1;
    this.held -= 1;
    increment(this.runningByEndpoint, delivery.endpointId, -1);
    increment(this.heldByEndpoint, delivery.endpointId, -1);
    const waiting = this.waiting.get(delivery.endpointId)?.length ?? 0;
    return waiting <= this.limits.perEndpoint;
  }

  /** Removes the waiting deliveries of one endpoint and returns them, so their leases can be released. */
  takeWaitingOf(endpointId: string): ClaimedDelivery[] {
    const waiting = this.waiting.get(endpointId) ?? [];
    this.waiting.delete(endpointId);
    this.held -= waiting.length;
    increment(this.heldByEndpoint, endpointId, -waiting.length);
    return waiting;
  }

  /** Removes every waiting delivery (they have not started) and returns them, so their leases can be released. */
  takeAllWaiting(): ClaimedDelivery[] {
    const waiting = [...this.waiting.values()].flat();
    this.waiting.clear();
    for (const delivery of waiting) {
      this.held -= 1;
      increment(this.heldByEndpoint, delivery.endpointId, -1);
    }
    return waiting;
  }
}

function increment(counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next === 0) {
    counts.delete(key);
  } else {
    counts.set(key, next);
  }
}
