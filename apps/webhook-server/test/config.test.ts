import { ConfigError, configVariables, loadConfig, redactUrl } from '../src/config.js';

const KEY_32_BYTES = Buffer.alloc(32, 7).toString('base64');

function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      return error;
    }
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  test('defaults without variables', () => {
    const config = loadConfig({});

    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: 'sqlite:./data/webhooks.db',
      seedApiKey: undefined,
      retryScheduleMs: [300_000, 1_800_000, 7_200_000, 21_600_000],
      deliveryTimeoutMs: 15_000,
      deliveryConcurrency: 64,
      endpointConcurrency: 8,
      bodyLimitBytes: 262_144,
      requestTimeoutMs: 30_000,
      allowPrivateUrls: true,
      secretEncryptionKey: undefined,
      production: false,
      logLevel: 'info',
    });
  });

  test('reads every variable', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '::',
      DATABASE_URL: 'postgres://app:secret@127.0.0.1:5432/app',
      SEED_API_KEY: 'seed_key_0123456789abcdefghij',
      RETRY_SCHEDULE: '200ms, 1s,2m',
      DELIVERY_TIMEOUT: '2s',
      DELIVERY_CONCURRENCY: '4',
      ENDPOINT_CONCURRENCY: '2',
      BODY_LIMIT: '1024',
      REQUEST_TIMEOUT: '1m',
      ALLOW_PRIVATE_URLS: 'false',
      SECRET_ENCRYPTION_KEY: KEY_32_BYTES,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
    });

    expect(config).toMatchObject({
      port: 0,
      host: '::',
      databaseUrl: 'postgres://app:secret@127.0.0.1:5432/app',
      seedApiKey: 'seed_key_0123456789abcdefghij',
      retryScheduleMs: [200, 1000, 120_000],
      deliveryTimeoutMs: 2000,
      deliveryConcurrency: 4,
      endpointConcurrency: 2,
      bodyLimitBytes: 1024,
      requestTimeoutMs: 60_000,
      allowPrivateUrls: false,
      production: true,
      logLevel: 'warn',
    });
    expect(config.secretEncryptionKey?.equals(Buffer.alloc(32, 7))).toBe(true);
  });

  test('production turns private URLs off by default', () => {
    expect(
      loadConfig({ NODE_ENV: 'production', SECRET_ENCRYPTION_KEY: KEY_32_BYTES }).allowPrivateUrls,
    ).toBe(false);
  });

  test.each([
    ['PORT', 'http'],
    ['PORT', '-1'],
    ['PORT', '65536'],
    ['PORT', '80.5'],
    ['PORT', '1e3'],
    ['HOST', 'not a host'],
    ['HOST', 'http://127.0.0.1'],
    ['HOST', '-leading-hyphen'],
    ['DATABASE_URL', 'mysql://127.0.0.1/app'],
    ['DATABASE_URL', './data/webhooks.db'],
    ['SEED_API_KEY', 'too-short'],
    ['SEED_API_KEY', 'contains spaces and is long enough'],
    ['RETRY_SCHEDULE', 'soon'],
    ['RETRY_SCHEDULE', '5m,,2h'],
    ['RETRY_SCHEDULE', '-5m'],
    ['RETRY_SCHEDULE', '31d'],
    ['RETRY_SCHEDULE', Array.from({ length: 21 }, () => '1s').join(',')],
    ['DELIVERY_TIMEOUT', '0'],
    ['DELIVERY_TIMEOUT', 'fast'],
    ['DELIVERY_TIMEOUT', '25h'],
    ['DELIVERY_CONCURRENCY', '0'],
    ['DELIVERY_CONCURRENCY', '10001'],
    ['ENDPOINT_CONCURRENCY', '0'],
    ['ENDPOINT_CONCURRENCY', 'eight'],
    ['BODY_LIMIT', '1023'],
    ['BODY_LIMIT', '1mb'],
    ['REQUEST_TIMEOUT', '0s'],
    ['REQUEST_TIMEOUT', '30 seconds'],
    ['ALLOW_PRIVATE_URLS', 'yes'],
    ['SECRET_ENCRYPTION_KEY', Buffer.alloc(16).toString('base64')],
    ['SECRET_ENCRYPTION_KEY', 'not base64 at all'],
    ['LOG_LEVEL', 'verbose'],
  ] as const)('%s=%s is a ConfigError naming it', (variable, value) => {
    const error = configErrorOf({ [variable]: value });

    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(error.name).toBe('ConfigError');
  });

  test('production without SECRET_ENCRYPTION_KEY names it', () => {
    const error = configErrorOf({ NODE_ENV: 'production' });

    expect(error.variable).toBe('SECRET_ENCRYPTION_KEY');
    expect(error.message).toContain('NODE_ENV=production');
  });

  test('invalid SEED_API_KEY is not echoed', () => {
    const error = configErrorOf({ SEED_API_KEY: 'secret value with spaces 123' });

    expect(error.message).not.toContain('secret value');
  });

  test('invalid DATABASE_URL hides its password', () => {
    const error = configErrorOf({ DATABASE_URL: 'mysql://app:hunter2@db/app' });

    expect(error.message).not.toContain('hunter2');
    expect(error.message).toContain('mysql://app:***@db/app');
  });

  test('every variable is documented', () => {
    expect(Object.keys(configVariables).sort()).toEqual(
      [
        'ALLOW_PRIVATE_URLS',
        'BODY_LIMIT',
        'DATABASE_URL',
        'DELIVERY_CONCURRENCY',
        'DELIVERY_TIMEOUT',
        'ENDPOINT_CONCURRENCY',
        'HOST',
        'LOG_LEVEL',
        'NODE_ENV',
        'PORT',
        'REQUEST_TIMEOUT',
        'RETRY_SCHEDULE',
        'SECRET_ENCRYPTION_KEY',
        'SEED_API_KEY',
      ].sort(),
    );
  });
});

describe('redactUrl', () => {
  test('replaces the password', () => {
    expect(redactUrl('postgres://user:p%40ss@127.0.0.1:5432/db')).toBe(
      'postgres://user:***@127.0.0.1:5432/db',
    );
  });

  test('leaves URLs without password alone', () => {
    expect(redactUrl('postgres://user@127.0.0.1/db')).toBe('postgres://user@127.0.0.1/db');
    expect(redactUrl('sqlite:./data/webhooks.db')).toBe('sqlite:./data/webhooks.db');
  });
});
