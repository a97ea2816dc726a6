import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One webhook request as received, with its raw body for signature checks. */
export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1 that delays every response until `release` is called. */
export interface GatedReceiver {
  /** `http://127.0.0.1:<port>`, without a path. */
  origin: string;
  received: ReceivedWebhook[];
  /** Sends 200 with the body `ok` to the waiting requests, and to every later request at once. */
  release(): void;
  close(): Promise<void>;
}

/**
 * Starts the receiver. Delaying the response keeps the first attempt of a delivery unfinished until the recorder has
 * recorded the delivery as created, so that response shows no attempt on every run.
 */
export async function startGatedReceiver(): Promise<GatedReceiver> {
  const received: ReceivedWebhook[] = [];
  const waiting: Array<() => void> = [];
  let released = false;

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const respond = () => {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end('ok');
      };
      if (released) {
        respond();
      } else {
        waiting.push(respond);
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    release: () => {
      released = true;
      waiting.splice(0).forEach((respond) => respond());
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
