import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

import { generateSecret, sampleEvent, signatureHeaders } from '@app/api-client';

import { CLI_PATH, ensureCliBuilt } from '../support/built-cli.js';

describe('webhook-server receive', () => {
  let child: ChildProcessWithoutNullStreams | undefined;
  let output = '';

  beforeAll(() => {
    ensureCliBuilt();
  });

  afterEach(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    child = undefined;
    output = '';
  });

  async function startReceiver(args: string[]): Promise<string> {
    child = spawn(process.execPath, [CLI_PATH, 'receive', '--port', '0', ...args]);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    return waitFor(() => /Receiving webhooks on (http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1]);
  }

  async function waitFor<T>(read: () => T | undefined): Promise<T> {
    for (let i = 0; i < 200; i += 1) {
      const value = read();
      if (value !== undefined) {
        return value;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`timed out; receiver printed:\n${output}`);
  }

  test('prints verified and rejected deliveries', async () => {
    const secret = generateSecret();
    const url = await startReceiver(['--secret', secret]);
    const event = sampleEvent('invoice.paid');
    const body = JSON.stringify(event);

    const valid = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signatureHeaders(secret, { id: event.event_id, body }),
      },
      body,
    });
    const forged = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signatureHeaders(generateSecret(), { id: event.event_id, body }),
      },
      body,
    });
    await waitFor(() => (output.includes('REJECTED') ? true : undefined));

    expect(valid.status).toBe(200);
    expect(forged.status).toBe(200);
    expect(output).toContain(`verified invoice.paid ${event.event_id}`);
    expect(output).toMatch(new RegExp(`REJECTED webhook-id=${event.event_id}: .*signature`));
  });

  test('answers with the chosen status', async () => {
    const url = await startReceiver(['--status', '410']);

    const response = await fetch(url, { method: 'POST', body: '{}' });
    await waitFor(() => (output.includes('unverified') ? true : undefined));

    expect(response.status).toBe(410);
  });
});
