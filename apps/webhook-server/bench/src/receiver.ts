// Receiver process of the bench, started by ReceiverProcess with an IPC channel. It runs one node:http server per
// simulated endpoint on 127.0.0.1, verifies each Standard Webhooks signature like a real receiver, responds 200 with
// an empty body, and records the first receive time of every (receiver index, webhook-id) pair.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { verifySignature } from '@app/api-client';

import {
  deliveryKey,
  type ReceiverCommand,
  type ReceiverReply,
  type ReceiverStats,
} from './receiver-protocol.js';

// Longer than any client's idle timeout, so the client side decides when a kept-alive socket closes.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

interface ReceiverState {
  secrets: (string | null)[];
  firstReceivedAt: Map<string, number>;
  requests: number;
  duplicates: number;
  rejected: number;
  firstAt: number | null;
  lastAt: number | null;
  distinctPerReceiver: number[];
  cpuAtReset: NodeJS.CpuUsage;
}

const servers: Server[] = [];
let state = newState([]);

function newState(secrets: (string | null)[]): ReceiverState {
  return {
    secrets,
    firstReceivedAt: new Map(),
    requests: 0,
    duplicates: 0,
    rejected: 0,
    firstAt: null,
    lastAt: null,
    distinctPerReceiver: [],
    cpuAtReset: process.cpuUsage(),
  };
}

function handleRequest(receiverIndex: number, request: IncomingMessage, response: ServerResponse) {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const receivedAt = Date.now();
    state.requests += 1;

    const webhookId = request.headers['webhook-id'];
    const secret = state.secrets[receiverIndex] ?? null;
    if (typeof webhookId !== 'string' || !isVerified(Buffer.concat(chunks), request, secret)) {
      state.rejected += 1;
      response.writeHead(400, { 'content-length': '0' }).end();
      return;
    }

    const key = deliveryKey(receiverIndex, webhookId);
    if (state.firstReceivedAt.has(key)) {
      state.duplicates += 1;
    } else {
      state.firstReceivedAt.set(key, receivedAt);
      state.distinctPerReceiver[receiverIndex] =
        (state.distinctPerReceiver[receiverIndex] ?? 0) + 1;
      state.firstAt ??= receivedAt;
      state.lastAt = receivedAt;
    }
    response.writeHead(200, { 'content-length': '0' }).end();
  });
}

/** Verifies the signature when a secret is configured for this receiver; without one every request passes. */
function isVerified(body: Buffer, request: IncomingMessage, secret: string | null): boolean {
  if (secret === null) {
    return true;
  }
  try {
    verifySignature(body, request.headers, secret);
    return true;
  } catch {
    return false;
  }
}

async function listen(count: number): Promise<number[]> {
  for (let index = servers.length; index < count; index += 1) {
    const server = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, (request, response) =>
      handleRequest(index, request, response),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    servers.push(server);
  }
  return servers.map((server) => (server.address() as AddressInfo).port);
}

function stats(): ReceiverStats {
  const cpu = process.cpuUsage(state.cpuAtReset);
  return {
    requests: state.requests,
    distinct: state.firstReceivedAt.size,
    duplicates: state.duplicates,
    rejected: state.rejected,
    firstReceivedAt: state.firstAt,
    lastReceivedAt: state.lastAt,
    distinctPerReceiver: Array.from(servers, (_, index) => state.distinctPerReceiver[index] ?? 0),
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

async function execute(command: ReceiverCommand): Promise<ReceiverReply> {
  switch (command.type) {
    case 'listen':
      return {
        type: 'listening',
        requestId: command.requestId,
        ports: await listen(command.count),
      };
    case 'reset':
      state = newState(command.secrets);
      return { type: 'reset', requestId: command.requestId };
    case 'stats':
      return { type: 'stats', requestId: command.requestId, stats: stats() };
    case 'receive-times':
      return {
        type: 'receive-times',
        requestId: command.requestId,
        times: [...state.firstReceivedAt],
      };
    default: {
      const unknown: never = command;
      throw new Error(`unknown receiver command ${JSON.stringify(unknown)}`);
    }
  }
}

process.on('message', (command: ReceiverCommand) => {
  execute(command).then(
    (reply) => process.send?.(reply),
    (error: unknown) =>
      process.send?.({
        type: 'error',
        requestId: command.requestId,
        message: error instanceof Error ? error.message : String(error),
      } satisfies ReceiverReply),
  );
});

// The driver owns this process: when the IPC channel closes (the driver exited or crashed), stop at once.
process.on('disconnect', () => process.exit(0));
