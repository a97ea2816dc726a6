import { catalog, type EventEnvelope, type EventType } from '@app/api-client';
import { Pool } from 'undici';

/** An endpoint created for the bench, with the secret the receiver verifies with. */
export interface BenchEndpoint {
  id: string;
  url: string;
  secret: string;
}

/** One accepted `POST /v1/events`. */
export interface PublishedEvent {
  eventId: string;
  /** `created_at` of the returned envelope, in epoch milliseconds. */
  createdAt: number;
  /** Time from sending the request to the end of the response, in milliseconds. */
  durationMs: number;
}

/** The event type every bench event uses; its sample data is a realistic contact of about 300 bytes. */
export const BENCH_EVENT_TYPE: EventType = 'contact.created';

/**
 * The few `/v1` calls the bench makes, over one undici connection pool with keep-alive. POSTs carry no
 * `Idempotency-Key` unless asked, so the numbers are those of the plain route.
 */
export class BenchApi {
  private readonly pool: Pool;

  constructor(
    baseUrl: string,
    private readonly apiKey: string,
    connections: number,
  ) {
    this.pool = new Pool(baseUrl, { connections, pipelining: 1 });
  }

  async accountId(): Promise<string> {
    const account = (await this.call('GET', '/v1/account')) as { id: string };
    return account.id;
  }

  /** Creates an endpoint that receives every event type. */
  async createEndpoint(url: string): Promise<BenchEndpoint> {
    const created = (await this.call('POST', '/v1/endpoints', {
      url,
      description: 'bench receiver',
    })) as {
      id: string;
      secret: string;
    };
    return { id: created.id, url, secret: created.secret };
  }

  /** Publishes one `contact.created` event with the catalog's sample data. */
  async publishEvent(options: { idempotencyKey?: string } = {}): Promise<PublishedEvent> {
    const startedAt = performance.now();
    const envelope = (await this.call(
      'POST',
      '/v1/events',
      { event_type: BENCH_EVENT_TYPE, data: catalog[BENCH_EVENT_TYPE].sample },
      options.idempotencyKey,
    )) as EventEnvelope;
    return {
      eventId: envelope.event_id,
      createdAt: Date.parse(envelope.created_at),
      durationMs: performance.now() - startedAt,
    };
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /** Sends one request and returns the parsed JSON; throws with the status and body on any non-2xx answer. */
  private async call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<unknown> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}` };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
    }
    if (idempotencyKey !== undefined) {
      headers['idempotency-key'] = idempotencyKey;
    }

    const response = await this.pool.request({
      method,
      path,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.body.text();
    if (response.statusCode < 200 || response.statusCode > 299) {
      throw new Error(
        `${method} ${path} failed with ${response.statusCode}: ${text.slice(0, 500)}`,
      );
    }
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }
}
