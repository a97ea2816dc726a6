import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Agent } from 'undici';

import { classifyError, sendRequest } from '../../src/delivery/send.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

describe('sendRequest', () => {
  let agent: Agent;
  let receiver: Receiver | undefined;
  let server: Server | undefined;

  beforeEach(() => {
    agent = new Agent();
  });

  afterEach(async () => {
    await agent.close();
    await receiver?.close();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    receiver = undefined;
    server = undefined;
  });

  const send = (url: string, timeoutMs = 2000) =>
    sendRequest(
      {
        url,
        headers: { 'content-type': 'application/json', 'webhook-id': 'evt_1' },
        body: '{"a":1}',
      },
      { dispatcher: agent, timeoutMs, excerptBytes: 4096 },
    );

  test('body and headers arrive unchanged', async () => {
    receiver = await startReceiver(() => ({ status: 202, body: 'accepted' }));

    const outcome = await send(`${receiver.url}/in?x=1`);

    expect(outcome).toMatchObject({ kind: 'response', statusCode: 202, excerpt: 'accepted' });
    expect(receiver.requests[0]?.method).toBe('POST');
    expect(receiver.requests[0]?.path).toBe('/in?x=1');
    expect(receiver.requests[0]?.body).toBe('{"a":1}');
    expect(receiver.requests[0]?.headers['webhook-id']).toBe('evt_1');
  });

  test('excerpt is capped at 4 KB', async () => {
    receiver = await startReceiver(() => ({ status: 500, body: 'x'.repeat(200_000) }));

    const outcome = await send(receiver.url);

    const excerpt = outcome.kind === 'response' ? outcome.excerpt : '';
    expect(outcome.kind).toBe('response');
    expect(Buffer.byteLength(excerpt)).toBe(4096);
  });

  test('redirect is returned, not followed', async () => {
    const behind = await startReceiver();
    receiver = await startReceiver(() => ({ status: 307, headers: { location: behind.url } }));

    const outcome = await send(receiver.url);
    await behind.close();

    expect(outcome).toMatchObject({ kind: 'response', statusCode: 307 });
    expect(behind.requests).toHaveLength(0);
  });

  test('Retry-After header is returned', async () => {
    receiver = await startReceiver(() => ({ status: 429, headers: { 'retry-after': '7' } }));

    const outcome = await send(receiver.url);

    expect(outcome).toMatchObject({ kind: 'response', statusCode: 429, retryAfter: '7' });
  });

  test('no response within the timeout is timeout', async () => {
    receiver = await startReceiver(() => 'hang');

    const outcome = await send(receiver.url, 200);

    expect(outcome).toMatchObject({ kind: 'error', error: 'timeout' });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(190);
  });

  test('body that never ends keeps the status', async () => {
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('partial');
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    const outcome = await send(`http://127.0.0.1:${port}/`, 300);

    expect(outcome).toMatchObject({ kind: 'response', statusCode: 200, excerpt: 'partial' });
  });

  test('closed port is connection_refused', async () => {
    const closed = await startReceiver();
    await closed.close();

    const outcome = await send(closed.url);

    expect(outcome).toMatchObject({ kind: 'error', error: 'connection_refused' });
  });

  test('reset connection is connection_reset', async () => {
    server = createServer((request) => {
      request.socket.destroy();
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    const outcome = await send(`http://127.0.0.1:${port}/`);

    expect(outcome).toMatchObject({ kind: 'error', error: 'connection_reset' });
  });
});

describe('classifyError', () => {
  test.each([
    [{ code: 'ENOTFOUND' }, 'dns_failed'],
    [{ code: 'EAI_AGAIN' }, 'dns_failed'],
    [{ code: 'UND_ERR_CONNECT_TIMEOUT' }, 'timeout'],
    [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 'tls_error'],
    [{ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 'tls_error'],
    [{ code: 'EWHATEVER' }, 'network_error'],
  ])('%o is %s', (fields, expected) => {
    expect(classifyError(Object.assign(new Error('failed'), fields))).toBe(expected);
  });

  test('cause chain is searched', () => {
    const error = new Error('fetch failed', {
      cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
    });

    expect(classifyError(error)).toBe('connection_refused');
  });
});
