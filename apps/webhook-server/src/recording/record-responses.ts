import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { startServer } from '../server.js';
import { startGatedReceiver } from './gated-receiver.js';
import { Placeholders } from './placeholders.js';
import { RecordingClient, type RecordedExchange } from './recording-client.js';
import { runScenario } from './scenario.js';

/** Root of the shared test-fixtures folder; the same depth from src/recording and dist/recording. */
const FIXTURES_ROOT = resolve(__dirname, '..', '..', '..', '..', 'test-fixtures');

/** Folder the committed recordings live in. */
export const RESPONSES_DIR = join(FIXTURES_ROOT, 'responses');

/** Fixed API key of the seeded demo account; it only exists in the recorder's temporary database. */
const RECORDING_API_KEY = 'acme_test_5265636f72646564526573706f6e7365';

/** Origin that replaces the receiver's `http://127.0.0.1:<random port>` in recorded URLs. */
export const PLACEHOLDER_RECEIVER_ORIGIN = 'http://127.0.0.1:9999';

// Ids and timestamps up to this far outside the run still count as the run's own (clock steps, slow starts).
const WINDOW_MARGIN_MS = 60_000;

/**
 * Starts the server on 127.0.0.1 port 0 with a new SQLite file, runs the scripted requests against it over HTTP and
 * returns the exchanges keyed by name, with placeholders in place of volatile values. Throws when a request gets an
 * unexpected status, a delivery does not finish, or the API key would end up in a recording.
 */
export async function recordResponses(): Promise<Map<string, RecordedExchange>> {
  const startMs = Date.now();
  const folder = mkdtempSync(join(tmpdir(), 'record-responses-'));
  const receiver = await startGatedReceiver();

  try {
    const server = await startServer({
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: `sqlite:${join(folder, 'recording.db')}`,
        SEED_API_KEY: RECORDING_API_KEY,
        RETRY_SCHEDULE: '1s,2s',
        DELIVERY_TIMEOUT: '5s',
        ALLOW_PRIVATE_URLS: 'true',
        LOG_LEVEL: 'silent',
      },
    });
    const client = new RecordingClient({ baseUrl: server.url, apiKey: RECORDING_API_KEY });
    try {
      await runScenario(client, { receiver, invoicePaidData: readInvoicePaidData() });
    } finally {
      await server.close();
    }

    const placeholders = new Placeholders({
      window: { startMs: startMs - WINDOW_MARGIN_MS, endMs: Date.now() + WINDOW_MARGIN_MS },
      literals: [[receiver.origin, PLACEHOLDER_RECEIVER_ORIGIN]],
    });
    const recordings = new Map<string, RecordedExchange>();
    for (const { name, exchange } of client.exchanges) {
      recordings.set(name, placeholders.replaceValue(exchange) as RecordedExchange);
    }
    return recordings;
  } finally {
    await receiver.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Serialises one recording exactly as the committed file stores it. */
export function serializeRecording(exchange: RecordedExchange): string {
  const text = `${JSON.stringify(exchange, null, 2)}\n`;
  if (text.includes(RECORDING_API_KEY)) {
    throw new Error('a recording contains the API key; remove it from the scripted request');
  }
  return text;
}

/** Replaces every `.json` file in `folder` with the given recordings, so renamed requests leave no stale file. */
export function writeRecordings(folder: string, recordings: Map<string, RecordedExchange>): void {
  mkdirSync(folder, { recursive: true });
  for (const name of readdirSync(folder)) {
    if (name.endsWith('.json')) {
      rmSync(join(folder, name));
    }
  }
  for (const [name, exchange] of recordings) {
    writeFileSync(join(folder, `${name}.json`), serializeRecording(exchange));
  }
}

function readInvoicePaidData(): Record<string, unknown> {
  const text = readFileSync(join(FIXTURES_ROOT, 'payloads', 'invoice.paid.json'), 'utf8');
  return (JSON.parse(text) as { data: Record<string, unknown> }).data;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { out: { type: 'string', default: RESPONSES_DIR } },
  });
  const folder = resolve(values.out);

  const recordings = await recordResponses();
  writeRecordings(folder, recordings);
  console.log(`Wrote ${recordings.size} recorded responses to ${folder}.`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
