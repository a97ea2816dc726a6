// IPC messages between the bench driver and the receiver process (receiver.ts). Every command carries a
// `requestId` that its reply repeats.

/** Counters of the receiver since the last `reset`. Times are epoch milliseconds from `Date.now()`. */
export interface ReceiverStats {
  /** Every request that reached a handler, duplicates and rejected ones included. */
  requests: number;
  /** Distinct (receiver index, `webhook-id`) pairs that passed signature verification. */
  distinct: number;
  /** Verified requests whose pair had been seen before (redeliveries). */
  duplicates: number;
  /** Requests rejected with 400 because the signature did not verify or a header was missing. */
  rejected: number;
  /** Time the first verified request was received; null before any. */
  firstReceivedAt: number | null;
  /** Time the latest new distinct pair was received; null before any. */
  lastReceivedAt: number | null;
  /** `distinct` split by receiver index. */
  distinctPerReceiver: number[];
  /** CPU time the receiver process used since the reset, in milliseconds (user plus system). */
  cpuMs: number;
}

/** Commands from the driver. */
export type ReceiverCommand =
  | { type: 'listen'; requestId: number; count: number }
  | { type: 'reset'; requestId: number; secrets: (string | null)[] }
  | { type: 'stats'; requestId: number }
  | { type: 'receive-times'; requestId: number };

/** Replies from the receiver. `receive-times` pairs are `[receiverIndex:webhookId, receivedAt]`. */
export type ReceiverReply =
  | { type: 'listening'; requestId: number; ports: number[] }
  | { type: 'reset'; requestId: number }
  | { type: 'stats'; requestId: number; stats: ReceiverStats }
  | { type: 'receive-times'; requestId: number; times: [string, number][] }
  | { type: 'error'; requestId: number; message: string };

/** Key of one delivery at the receiver: the receiver index and the `webhook-id` header. */
export function deliveryKey(receiverIndex: number, webhookId: string): string {
  return `${receiverIndex}:${webhookId}`;
}
