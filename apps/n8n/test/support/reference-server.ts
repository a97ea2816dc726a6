import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ApiClient } from '@app/api-client';
import { startServer } from '@app/webhook-server';

/** The real reference server on 127.0.0.1 with an SQLite file of its own and the demo account's API key. */
export interface ReferenceServer {
  url: string;
  apiKey: string;
  /** Typed client for the test's own assertions and setup, with retries off. */
  client: ApiClient;
  close(): Promise<void>;
}

/** Starts the reference server on a free port. Retries are 1 s and 2 s apart so failed deliveries settle quickly. */
export async function startReferenceServer(): Promise<ReferenceServer> {
  const directory = mkdtempSync(join(tmpdir(), 'n8n-nodes-'));
  const apiKey = `acme_test_${randomBytes(16).toString('hex')}`;
  const server = await startServer({
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(directory, 'webhooks.db')}`,
      SEED_API_KEY: apiKey,
      RETRY_SCHEDULE: '1s,2s',
      ALLOW_PRIVATE_URLS: 'true',
      LOG_LEVEL: 'silent',
    },
  });

  return {
    url: server.url,
    apiKey,
    client: new ApiClient({ apiKey, baseUrl: server.url, maxRetries: 0 }),
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
