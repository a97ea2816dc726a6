import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

import Database from 'better-sqlite3';

import { startServer, type RunningServer } from '../../src/server.js';
import { ensureCliBuilt, runCli } from '../support/built-cli.js';
import { sqliteTestUrl } from '../support/databases.js';

describe('webhook-server CLI', () => {
  let database: { url: string; cleanup(): void };
  let env: Record<string, string>;

  beforeAll(() => {
    ensureCliBuilt();
  });

  beforeEach(() => {
    database = sqliteTestUrl();
    env = { DATABASE_URL: database.url, LOG_LEVEL: 'silent' };
  });

  afterEach(() => {
    database.cleanup();
  });

  function createAccount(name: string): string {
    const result = runCli(['accounts', 'create', '--name', name], env);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.status).toBe(0);
    return result.stdout.trim();
  }

  function createKey(accountId: string, name = 'ci'): { key: string; keyId: string } {
    const result = runCli(['api-keys', 'create', '--account', accountId, '--name', name], env);
    expect(result.status).toBe(0);
    const keyId = /Created API key (key_[0-9A-Z]{26})/.exec(result.stderr)?.[1] ?? '';
    return { key: result.stdout.trim(), keyId };
  }

  async function withServer<T>(work: (server: RunningServer) => Promise<T>): Promise<T> {
    const server = await startServer({ env: { ...env, PORT: '0' } });
    try {
      return await work(server);
    } finally {
      await server.close();
    }
  }

  async function getAccount(
    server: RunningServer,
    key: string,
  ): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${server.url}/v1/account`, {
      headers: { authorization: `Bearer ${key}` },
    });
    return { status: response.status, body: await response.json() };
  }

  test('accounts create and list', () => {
    const accountId = createAccount('Acme Test');

    const listed = runCli(['accounts', 'list'], env);

    expect(accountId).toMatch(/^acct_[0-9A-Z]{26}$/);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(`${accountId}\tAcme Test\tcreated `);
  });

  test('created key works against the API', async () => {
    const accountId = createAccount('Acme Test');
    const { key, keyId } = createKey(accountId);

    expect(key).toMatch(/^acme_live_[A-Za-z0-9_-]{38}$/);
    expect(keyId).toMatch(/^key_/);
    await withServer(async (server) => {
      const response = await getAccount(server, key);

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: accountId, name: 'Acme Test' });
    });
  });

  test('api-keys list shows the prefix only', () => {
    const accountId = createAccount('Acme Test');
    const otherAccountId = createAccount('Other');
    const { key, keyId } = createKey(accountId, 'deploy');
    const other = createKey(otherAccountId, 'other');

    const all = runCli(['api-keys', 'list'], env);
    const filtered = runCli(['api-keys', 'list', '--account', accountId], env);

    expect(all.status).toBe(0);
    expect(all.stdout).toContain(keyId);
    expect(all.stdout).toContain(other.keyId);
    expect(all.stdout).not.toContain(key);
    expect(all.stdout).not.toContain(other.key);
    expect(all.stderr).not.toContain(key);
    const line = filtered.stdout.split('\n').find((row) => row.startsWith(keyId)) ?? '';
    const prefix = line.split('\t')[2] ?? '';
    expect(prefix.endsWith('...')).toBe(true);
    expect(key.startsWith(prefix.slice(0, -3))).toBe(true);
    expect(prefix.length - 3).toBeLessThan(key.length / 2);
    expect(line).toContain('deploy');
    expect(line).toContain('active');
    expect(filtered.stdout).not.toContain(other.keyId);
  });

  test('revoked key gets 401', async () => {
    const accountId = createAccount('Acme Test');
    const { key, keyId } = createKey(accountId);
    const spare = createKey(accountId, 'spare');

    await withServer(async (server) => {
      const before = await getAccount(server, key);
      const revoked = runCli(['api-keys', 'revoke', keyId], env);
      const after = await getAccount(server, key);
      const spareAfter = await getAccount(server, spare.key);
      const again = runCli(['api-keys', 'revoke', keyId], env);
      const listed = runCli(['api-keys', 'list'], env);

      expect(before.status).toBe(200);
      expect(revoked.status).toBe(0);
      expect(revoked.stderr).toContain(`Revoked API key ${keyId}`);
      expect(after.status).toBe(401);
      expect(after.body).toMatchObject({ code: 'unauthorized' });
      expect(spareAfter.status).toBe(200);
      expect(again.status).toBe(1);
      expect(again.stderr).toContain(`No active API key has id ${keyId}`);
      expect(listed.stdout.split('\n').find((row) => row.startsWith(keyId))).toMatch(
        /\trevoked \d{4}-/,
      );
    });
  });

  test('keys are stored only as SHA-256 hashes', () => {
    const accountId = createAccount('Acme Test');
    const { key, keyId } = createKey(accountId);
    const path = database.url.slice('sqlite:'.length);

    const sqlite = new Database(path, { readonly: true });
    let rows: Record<string, unknown>[];
    try {
      rows = sqlite.prepare('select * from api_keys').all() as Record<string, unknown>[];
    } finally {
      sqlite.close();
    }

    expect(rows).toHaveLength(1);
    expect(rows[0]?.['id']).toBe(keyId);
    expect(rows[0]?.['key_hash']).toBe(createHash('sha256').update(key).digest('hex'));
    for (const [column, value] of Object.entries(rows[0] ?? {})) {
      expect({ column, containsKey: String(value).includes(key) }).toEqual({
        column,
        containsKey: false,
      });
    }
    // The key must not be anywhere in the database files, including pages not yet checkpointed from the WAL.
    for (const file of [path, `${path}-wal`]) {
      if (existsSync(file)) {
        expect({ file, containsKey: readFileSync(file).includes(Buffer.from(key)) }).toEqual({
          file,
          containsKey: false,
        });
      }
    }
  });

  test.each([
    [['api-keys', 'create'], 'api-keys create needs --account ID'],
    [['api-keys', 'create', '--account', 'acct_01JD3Q8Z5V6Y7K2M4N8P0R1S3T'], 'was not found'],
    [['api-keys', 'revoke'], 'api-keys revoke needs the key id'],
    [['accounts', 'create'], 'accounts create needs --name NAME'],
    [['accounts', 'rename'], 'Unknown accounts command'],
    [['frobnicate'], 'Unknown command "frobnicate"'],
  ])('%j fails with a message', (args, message) => {
    const result = runCli(args, env);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
  });

  test('invalid configuration names the variable', () => {
    const result = runCli(['accounts', 'list'], { ...env, DATABASE_URL: 'mysql://127.0.0.1/app' });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration: DATABASE_URL:');
  });

  test('migrate applies migrations and exits', () => {
    const result = runCli(['migrate'], env);

    expect(result.status).toBe(0);
    expect(result.stderr).toContain('0001_initial');
  });
});
