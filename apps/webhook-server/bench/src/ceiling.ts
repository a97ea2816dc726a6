import { catalog, newId, signatureHeaders } from '@app/api-client';
import { Agent, request } from 'undici';

import { BENCH_EVENT_TYPE } from './api.js';

/** Options of `runCeiling`. */
export interface CeilingOptions {
  /** Endpoint URLs; request `i` goes to `urls[i % urls.length]`. */
  urls: string[];
  /** Signing secret of each URL, same order. */
  secrets: string[];
  /** Measured requests. */
  count: number;
  /** Requests before the measured ones, to warm up the JIT and open the connections. */
  warmUp: number;
  /** Requests in flight at once. */
  concurrency: number;
}

/** Result of `runCeiling`. */
export interface CeilingResult {
  requests: number;
  concurrency: number;
  durationMs: number;
  perSecond: number;
  /** Size of one request body in bytes. */
  bodyBytes: number;
}

/**
 * Sends signed POSTs in a plain loop: `concurrency` workers each build an envelope like the server's, sign it with
 * Standard Webhooks headers and POST it over keep-alive connections, one after another. No database, no queue: the
 * rate is the most a single Node process can deliver to these receivers on this machine.
 */
export async function runCeiling(options: CeilingOptions): Promise<CeilingResult> {
  const agent = new Agent({ pipelining: 1, keepAliveTimeout: 30_000 });
  try {
    await sendAll(agent, options, options.warmUp);
    const startedAt = performance.now();
    const bodyBytes = await sendAll(agent, options, options.count);
    const durationMs = performance.now() - startedAt;
    return {
      requests: options.count,
      concurrency: options.concurrency,
      durationMs,
      perSecond: (options.count * 1000) / durationMs,
      bodyBytes,
    };
  } finally {
    await agent.close();
  }
}

/** Sends `count` requests with `options.concurrency` workers; returns the size of the last body. */
async function sendAll(agent: Agent, options: CeilingOptions, count: number): Promise<number> {
  let next = 0;
  let bodyBytes = 0;
  const data = catalog[BENCH_EVENT_TYPE].sample;

  const worker = async () => {
    for (let index = next++; index < count; index = next++) {
      const target = index % options.urls.length;
      const now = Date.now();
      const eventId = newId('event', now);
      const body = JSON.stringify({
        event_id: eventId,
        event_type: BENCH_EVENT_TYPE,
        created_at: new Date(now).toISOString(),
        data,
      });
      const headers = signatureHeaders(options.secrets[target] as string, { id: eventId, body });

      const response = await request(options.urls[target] as string, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body,
        dispatcher: agent,
      });
      await response.body.dump();
      if (response.statusCode !== 200) {
        throw new Error(
          `ceiling request to ${options.urls[target]} answered ${response.statusCode}`,
        );
      }
      bodyBytes = Buffer.byteLength(body);
    }
  };

  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return bodyBytes;
}
