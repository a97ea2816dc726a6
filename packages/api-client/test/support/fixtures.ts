// Loaders for the shared files in test-fixtures/ at the repository root.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Root of the shared fixtures folder. */
export const fixturesRoot = resolve(__dirname, '../../../../test-fixtures');

/** One Standard Webhooks signing vector as stored in test-fixtures/signatures. */
export interface SignatureVector {
  name: string;
  description: string;
  secrets: string[];
  id: string;
  timestamp: number;
  body: string;
  /** Full `webhook-signature` header value: one `v1,<base64>` per secret, space separated. */
  signature: string;
}

interface VectorFile {
  note: string;
  vectors: SignatureVector[];
}

/** Reads one vector file from test-fixtures/signatures. */
export function loadVectorFile(fileName: string): VectorFile {
  const text = readFileSync(join(fixturesRoot, 'signatures', fileName), 'utf8');
  return JSON.parse(text) as VectorFile;
}

/** Names of the files in test-fixtures/payloads, without the `.json` suffix. */
export function payloadFixtureNames(): string[] {
  return readdirSync(join(fixturesRoot, 'payloads'))
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort();
}

/** Reads test-fixtures/payloads/<name>.json as raw text, exactly as a webhook body would carry it. */
export function readPayloadFixture(name: string): string {
  return readFileSync(join(fixturesRoot, 'payloads', `${name}.json`), 'utf8');
}

/** One recorded exchange with the reference server, as stored in test-fixtures/responses. */
export interface RecordedResponse {
  request: {
    method: string;
    /** Path with `/v1` and any query string. */
    path: string;
    /** Only `idempotency-key`, when the recorder sent one. */
    headers?: Record<string, string>;
    body?: unknown;
  };
  status: number;
  /** `content-type`, and `retry-after` or `idempotent-replayed` when the server sent them. */
  headers: Record<string, string>;
  /** Parsed JSON body; null when the response had none. */
  body: unknown;
}

/** Names of the files in test-fixtures/responses, without the `.json` suffix. */
export function recordedResponseNames(): string[] {
  return readdirSync(join(fixturesRoot, 'responses'))
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort();
}

/** Reads test-fixtures/responses/<name>.json. */
export function loadRecordedResponse(name: string): RecordedResponse {
  const text = readFileSync(join(fixturesRoot, 'responses', `${name}.json`), 'utf8');
  return JSON.parse(text) as RecordedResponse;
}
