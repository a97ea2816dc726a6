import { createServer, type IncomingMessage } from 'node:http';

import { verify, WebhookVerificationError, type EventEnvelope } from '@app/api-client';

/** Options of `runReceiver`. */
export interface ReceiverOptions {
  port: number;
  host: string;
  /** Signing secret of the endpoint; without one, deliveries are printed unverified. */
  secret: string | undefined;
  /** HTTP status of every response, for trying out retries (500) or endpoint disabling (410). */
  status: number;
}

/**
 * Runs a development receiver: responds to every POST with `status` and prints one line per delivery, verified with the
 * endpoint's secret when one is given. Resolves when the server stops on SIGINT or SIGTERM.
 */
export async function runReceiver(options: ReceiverOptions): Promise<void> {
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const line = describeDelivery(request, body, options.secret);
      process.stdout.write(`${line}\n`);
      response
        .writeHead(options.status, { 'content-type': 'text/plain' })
        .end(`${options.status}\n`);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  process.stdout.write(
    `Receiving webhooks on http://${options.host}:${port}/ (answering ${options.status}); ` +
      `${options.secret ? 'verifying signatures' : 'not verifying: pass --secret whsec_... to verify'}. Ctrl-C stops.\n`,
  );

  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function describeDelivery(
  request: IncomingMessage,
  body: Buffer,
  secret: string | undefined,
): string {
  const webhookId = request.headers['webhook-id'] ?? '-';
  if (!secret) {
    return `${new Date().toISOString()} ${request.method} ${request.url} webhook-id=${webhookId} unverified ${body.toString('utf8')}`;
  }

  try {
    const event = verify(body, request.headers, secret) as EventEnvelope;
    return `${new Date().toISOString()} verified ${event.event_type} ${event.event_id} ${JSON.stringify(event.data)}`;
  } catch (error) {
    const reason = error instanceof WebhookVerificationError ? error.message : String(error);
    return `${new Date().toISOString()} REJECTED webhook-id=${webhookId}: ${reason}`;
  }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', () => resolve(Buffer.concat(chunks)));
  });
}
