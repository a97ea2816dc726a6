import type { Logger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { sqliteTestUrl } from './databases.js';

/** API key the test servers seed. */
export const TEST_API_KEY = 'test_key_0123456789abcdefghijklmnop';

/** A running server on a fresh SQLite file, with a `fetch` wrapper for its API. */
export interface TestServer {
  server: RunningServer;
  /** Calls `/v1<path>` with the test API key and a JSON body; returns the status and parsed body. */
  api<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** Starts the whole server on port 0 with compressed retry timings; `env` overrides any variable. */
export async function startTestServer(
  env: Record<string, string> = {},
  options: { logger?: Logger } = {},
): Promise<TestServer> {
  const database = sqliteTestUrl();
  const server = await startServer({
    env: {
      PORT: '0',
      DATABASE_URL: database.url,
      SEED_API_KEY: TEST_API_KEY,
      RETRY_SCHEDULE: '200ms,400ms',
      DELIVERY_TIMEOUT: '2s',
      LOG_LEVEL: 'silent',
      ...env,
    },
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });

  const api = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${TEST_API_KEY}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
  };

  return {
    server,
    api,
    // Safe to call twice: the server's close is idempotent.
    close: async () => {
      await server.close();
      database.cleanup();
    },
  };
}
