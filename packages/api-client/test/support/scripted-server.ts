// A real node:http server on 127.0.0.1 and an ephemeral port that responds to each request from a script and
// records what it received, so client tests exercise fetch, sockets and timing for real.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** One request as the server received it. */
export interface RecordedRequest {
  method: string;
  /** Path and query, parsed against the server's base URL. */
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
  /** `performance.now()` when the request headers arrived, in milliseconds. */
  receivedAt: number;
}

/** What the server does with one request. */
export type ScriptedResponse =
  | { status: number; headers?: Record<string, string>; body?: string | object }
  /** Destroys the socket before any response byte, as a crashed server or a reset connection would. */
  | { action: 'destroy' }
  /** Sends the headers and part of a JSON body, then destroys the socket. */
  | { action: 'destroy-mid-body' }
  /** Sends no response; the socket stays open until the server closes. */
  | { action: 'hang' };

/** Chooses the response to the `index`-th request (0-based). */
export type Responder = (request: RecordedRequest, index: number) => ScriptedResponse;

/** A started server. */
export interface ScriptedServer {
  /** `http://127.0.0.1:<port>`. */
  baseUrl: string;
  /** Every request received so far, in arrival order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * Starts a server that responds to request i with `script[i]`, or with `script(request, i)` when `script` is a function.
 * A request beyond the end of an array script gets a 599 response, so an unexpected extra request fails the test.
 */
export async function startScriptedServer(
  script: ScriptedResponse[] | Responder,
): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  let baseUrl = '';

  const server: Server = createServer((incoming, outgoing) => {
    const receivedAt = performance.now();
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request: RecordedRequest = {
        method: incoming.method ?? '',
        url: new URL(incoming.url ?? '/', baseUrl),
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt,
      };
      const index = requests.length;
      requests.push(request);

      const response = pickResponse(script, request, index);
      if ('action' in response) {
        switch (response.action) {
          case 'destroy':
            incoming.socket.destroy();
            return;
          case 'destroy-mid-body':
            outgoing.writeHead(200, {
              'content-type': 'application/json',
              'content-length': '100',
            });
            outgoing.write('{"partial":', () => incoming.socket.destroy());
            return;
          case 'hang':
            return;
          default: {
            const unknown: never = response;
            throw new Error(`unknown scripted action ${JSON.stringify(unknown)}`);
          }
        }
      }

      const isText = typeof response.body === 'string';
      const body =
        response.body === undefined
          ? ''
          : isText
            ? String(response.body)
            : JSON.stringify(response.body);
      const headers: Record<string, string> = {
        ...(response.body !== undefined && !isText ? { 'content-type': 'application/json' } : {}),
        ...response.headers,
      };
      outgoing.writeHead(response.status, headers);
      outgoing.end(body);
    });
  });

  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    requests,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

function pickResponse(
  script: ScriptedResponse[] | Responder,
  request: RecordedRequest,
  index: number,
): ScriptedResponse {
  if (typeof script === 'function') {
    return script(request, index);
  }
  return script[index] ?? { status: 599, body: `unscripted request number ${index + 1}` };
}

/** Returns a URL on 127.0.0.1 whose port was just released, so connecting to it is refused. */
export async function refusedBaseUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  return `http://127.0.0.1:${port}`;
}
