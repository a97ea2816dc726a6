import { Agent, type buildConnector } from 'undici';

import { sendRequest } from '../../src/delivery/send.js';
import {
  createGuardedConnector,
  SsrfBlockedError,
  vetHost,
  type ResolveHost,
} from '../../src/delivery/ssrf-guard.js';

// Every test here injects DNS answers and a connector spy: no socket is ever opened, so no traffic can reach the
// private and metadata addresses these tests name.

/** Builds a resolver that returns the given address lists in turn and counts its calls. */
function scriptedResolver(...answers: string[][]): ResolveHost & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string) => {
    calls.push(hostname);
    const next = answers[Math.min(calls.length - 1, answers.length - 1)] ?? [];
    return next.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { calls });
}

/** Builds a connector that never connects: it records its options and fails the attempt with a marker error. */
function spyConnector(): buildConnector.connector & { calls: buildConnector.Options[] } {
  const calls: buildConnector.Options[] = [];
  const connect: buildConnector.connector = (options, callback) => {
    calls.push(options);
    callback(Object.assign(new Error('spy connector does not dial'), { code: 'ESPY' }), null);
  };
  return Object.assign(connect, { calls });
}

function connectThrough(
  connect: buildConnector.connector,
  options: buildConnector.Options,
): Promise<Error | null> {
  return new Promise((resolve) => connect(options, (...args) => resolve(args[0])));
}

const httpsOptions = (hostname: string): buildConnector.Options => ({
  hostname,
  host: `${hostname}:443`,
  protocol: 'https:',
  port: '443',
});

describe('vetHost', () => {
  test('private answer is blocked', async () => {
    await expect(
      vetHost('hooks.example.test', scriptedResolver(['10.0.0.5'])),
    ).rejects.toBeInstanceOf(SsrfBlockedError);
  });

  test('IPv4-mapped metadata answer is blocked', async () => {
    await expect(
      vetHost('hooks.example.test', scriptedResolver(['::ffff:169.254.169.254'])),
    ).rejects.toMatchObject({ address: '::ffff:169.254.169.254' });
  });

  test('any forbidden answer blocks the host', async () => {
    await expect(
      vetHost('hooks.example.test', scriptedResolver(['93.184.215.14', '127.0.0.1'])),
    ).rejects.toBeInstanceOf(SsrfBlockedError);
  });

  test('public answers return the first address', async () => {
    await expect(
      vetHost('hooks.example.test', scriptedResolver(['93.184.215.14', '2606:2800::1'])),
    ).resolves.toBe('93.184.215.14');
  });

  test('IP literal is not resolved', async () => {
    const resolve = scriptedResolver(['93.184.215.14']);

    await expect(vetHost('169.254.169.254', resolve)).rejects.toBeInstanceOf(SsrfBlockedError);
    expect(resolve.calls).toHaveLength(0);
  });

  test('empty answer is a DNS failure', async () => {
    await expect(vetHost('hooks.example.test', scriptedResolver([]))).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
  });
});

describe('createGuardedConnector', () => {
  test('blocked host never reaches the connector', async () => {
    const spy = spyConnector();
    const connect = createGuardedConnector({
      timeoutMs: 1000,
      resolve: scriptedResolver(['10.0.0.5']),
      connect: spy,
    });

    const error = await connectThrough(connect, httpsOptions('hooks.example.test'));

    expect(error).toBeInstanceOf(SsrfBlockedError);
    expect(spy.calls).toHaveLength(0);
  });

  test('vetted address is dialled with the original name', async () => {
    const spy = spyConnector();
    const connect = createGuardedConnector({
      timeoutMs: 1000,
      resolve: scriptedResolver(['93.184.215.14']),
      connect: spy,
    });

    await connectThrough(connect, httpsOptions('hooks.example.test'));

    expect(spy.calls).toHaveLength(1);
    expect(spy.calls[0]?.hostname).toBe('93.184.215.14');
    expect(spy.calls[0]?.servername).toBe('hooks.example.test');
  });

  test('rebinding on the second lookup is blocked', async () => {
    const spy = spyConnector();
    const resolve = scriptedResolver(['93.184.215.14'], ['169.254.169.254']);
    const connect = createGuardedConnector({ timeoutMs: 1000, resolve, connect: spy });

    await connectThrough(connect, httpsOptions('rebind.example.test'));
    const second = await connectThrough(connect, httpsOptions('rebind.example.test'));

    expect(resolve.calls).toHaveLength(2);
    expect(second).toBeInstanceOf(SsrfBlockedError);
    expect(spy.calls.map((call) => call.hostname)).toEqual(['93.184.215.14']);
  });
});

describe('sendRequest through the guard', () => {
  let agent: Agent;
  let spy: ReturnType<typeof spyConnector>;

  function guardedAgent(resolve: ResolveHost): Agent {
    spy = spyConnector();
    agent = new Agent({
      connect: createGuardedConnector({ timeoutMs: 1000, resolve, connect: spy }),
    });
    return agent;
  }

  afterEach(async () => {
    await agent.close();
  });

  test.each([
    ['http://metadata.example.test/latest', ['169.254.169.254']],
    ['http://internal.example.test/hook', ['10.0.0.5']],
    ['http://mapped.example.test/hook', ['::ffff:127.0.0.1']],
    ['http://10.0.0.5/hook', []],
    ['http://[::1]:8080/hook', []],
    ['http://2130706433/hook', []],
  ])('%s is ssrf_blocked', async (url, answers) => {
    const outcome = await sendRequest(
      { url, headers: { 'content-type': 'application/json' }, body: '{}' },
      { dispatcher: guardedAgent(scriptedResolver(answers)), timeoutMs: 2000, excerptBytes: 100 },
    );

    expect(outcome).toMatchObject({ kind: 'error', error: 'ssrf_blocked' });
    expect(spy.calls).toHaveLength(0);
  });
});
