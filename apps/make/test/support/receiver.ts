import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got, with the raw body exactly as sent (signatures cover the raw bytes). */
export interface ReceivedDelivery {
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** An HTTP server on 127.0.0.1 that replaces Make's webhook URLs in tests: it records every POST and returns 204. */
export class WebhookReceiver {
  readonly deliveries: ReceivedDelivery[] = [];
  private server: Server | undefined;
  private base = '';

  /** Starts listening on a free port. */
  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.deliveries.push({
          path: request.url ?? '/',
          headers: request.headers,
          rawBody: Buffer.concat(chunks).toString('utf8'),
        });
        response.statusCode = 204;
        response.end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.base = `http://127.0.0.1:${port}`;
  }

  /** URL of a webhook path on this receiver, such as `/hooks/contactCreated`. */
  url(path: string): string {
    return `${this.base}${path}`;
  }

  /**
   * Waits until a delivery matching `predicate` arrives, polling every 50 ms for at most `maxWaitMs`. Throws naming
   * `description` when none arrives, so a missing delivery fails the test instead of hanging it.
   */
  async waitFor(
    description: string,
    predicate: (delivery: ReceivedDelivery) => boolean,
    maxWaitMs = 15_000,
  ): Promise<ReceivedDelivery> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const found = this.deliveries.find(predicate);
      if (found) {
        return found;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `no delivery for ${description} within ${maxWaitMs} ms; received ${this.deliveries.length} in total`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Stops the server. */
  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.server?.close((error) => (error ? reject(error) : resolve())),
    );
  }
}
