import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import { loadConfig } from '../../dist/config.js';
import { BenchApi, type BenchEndpoint } from './api.js';
import type { BenchPlan } from './plan.js';
import type { ReceiverProcess } from './receiver-process.js';
import { ServerProcess } from './server-process.js';

/** Settings and processes that every measurement shares. */
export interface BenchContext {
  plan: BenchPlan;
  /** Folder of this run's SQLite files, removed at the end. */
  tempDir: string;
  receiver: ReceiverProcess;
  /** API key of the demo account, given to every server as SEED_API_KEY. */
  apiKey: string;
  /** SECRET_ENCRYPTION_KEY of every server. */
  encryptionKey: string;
  /** Server CLI every server runs (`<entry> serve`). */
  serverEntry: string;
  /** NODE_OPTIONS of every server, or undefined for none. */
  serverNodeOptions: string | undefined;
  /** When set, every server writes a CPU profile into this folder. */
  cpuProfileDir: string | undefined;
  /** Prints a progress line to stderr. */
  log(message: string): void;
}

/** Creates the secrets of one run. */
export function newRunSecrets(): { apiKey: string; encryptionKey: string } {
  return {
    apiKey: `bench_${randomBytes(16).toString('hex')}`,
    encryptionKey: randomBytes(32).toString('base64'),
  };
}

/** Settings of every server that shape the numbers; the report lists them. */
export const SERVER_SETTINGS = { LOG_LEVEL: 'warn', ALLOW_PRIVATE_URLS: 'true' } as const;

/** Environment of a server on its own SQLite file `<name>.db` in the run's folder. */
export function serverEnv(context: BenchContext, name: string): Record<string, string> {
  return {
    ...SERVER_SETTINGS,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite:${join(context.tempDir, `${name}.db`)}`,
    SEED_API_KEY: context.apiKey,
    SECRET_ENCRYPTION_KEY: context.encryptionKey,
    ...(context.serverNodeOptions === undefined ? {} : { NODE_OPTIONS: context.serverNodeOptions }),
  };
}

/** Delivery concurrency of a server with this environment, as its own configuration code reads it. */
export function deliveryLimits(env: Record<string, string>): {
  total: number;
  perEndpoint: number;
} {
  const config = loadConfig(env);
  return { total: config.deliveryConcurrency, perEndpoint: config.endpointConcurrency };
}

/** Concurrency the dispatcher can reach with `endpoints` endpoints: per-endpoint caps, bounded by the total cap. */
export function dispatcherConcurrency(env: Record<string, string>, endpoints: number): number {
  const limits = deliveryLimits(env);
  return Math.min(limits.total, limits.perEndpoint * endpoints);
}

/** A running server whose demo account has endpoints pointing at the first receivers. */
export interface PreparedServer {
  server: ServerProcess;
  api: BenchApi;
  env: Record<string, string>;
  accountId: string;
  endpoints: BenchEndpoint[];
}

/**
 * Starts a server on a fresh database `<name>.db` and creates `endpointCount` endpoints through the API, endpoint i
 * pointing at receiver i. Resets the receiver to verify with the new secrets.
 */
export async function startWithEndpoints(
  context: BenchContext,
  name: string,
  endpointCount: number,
): Promise<PreparedServer> {
  const env = serverEnv(context, name);
  const server = await ServerProcess.start({
    entry: context.serverEntry,
    env,
    cpuProfileDir: context.cpuProfileDir,
    cpuProfileName: `${name}.cpuprofile`,
  });
  const api = new BenchApi(server.url, context.apiKey, context.plan.publishConnections);
  try {
    const accountId = await api.accountId();
    const endpoints: BenchEndpoint[] = [];
    for (let index = 0; index < endpointCount; index += 1) {
      endpoints.push(await api.createEndpoint(context.receiver.url(index)));
    }
    await context.receiver.reset(endpoints.map((endpoint) => endpoint.secret));
    return { server, api, env, accountId, endpoints };
  } catch (error) {
    await api.close();
    await server.stop();
    throw error;
  }
}
