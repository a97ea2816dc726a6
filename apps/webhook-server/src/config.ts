import { isIP } from 'node:net';

import { z } from 'zod';

import { parseDuration } from './duration.js';

/** Environment variables the server reads, with their defaults; the README's configuration table mirrors this. */
export const configVariables = {
  PORT: 'TCP port to listen on; 0 picks a free one. Default 3000.',
  HOST: 'Interface to bind. Default 127.0.0.1; use 0.0.0.0 to accept remote connections.',
  DATABASE_URL: 'sqlite:<path> (default sqlite:./data/webhooks.db) or a postgres:// URL.',
  SEED_API_KEY:
    'When set, the demo account is created with exactly this API key (at least 24 characters).',
  RETRY_SCHEDULE:
    'Delays between delivery attempts after the first, comma separated, each at most 30d. Default 5m,30m,2h,6h.',
  DELIVERY_TIMEOUT: 'Timeout of one delivery attempt, at most 24h. Default 15s.',
  DELIVERY_CONCURRENCY: 'Attempts in flight at once across all endpoints. Default 64.',
  ENDPOINT_CONCURRENCY: 'Attempts in flight at once to one endpoint. Default 8.',
  BODY_LIMIT: 'Largest accepted request body in bytes. Default 262144 (256 KB).',
  REQUEST_TIMEOUT: 'Time a client has to send a whole request, at most 24h. Default 30s.',
  ALLOW_PRIVATE_URLS:
    'true lets endpoints point at loopback and private addresses. Default true, false in production.',
  SECRET_ENCRYPTION_KEY:
    'Base64 of 32 bytes that encrypts signing secrets at rest. Required in production.',
  NODE_ENV: 'production turns on the production checks above.',
  LOG_LEVEL: 'pino level: fatal, error, warn, info, debug, trace or silent. Default info.',
} as const;

/** Validated server configuration. Durations are in milliseconds. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  seedApiKey: string | undefined;
  retryScheduleMs: number[];
  deliveryTimeoutMs: number;
  deliveryConcurrency: number;
  endpointConcurrency: number;
  bodyLimitBytes: number;
  requestTimeoutMs: number;
  allowPrivateUrls: boolean;
  secretEncryptionKey: Buffer | undefined;
  production: boolean;
  logLevel: string;
}

/** Raised when an environment variable is invalid; the message names the variable and what it expects. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly variable: keyof typeof configVariables,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

const DEFAULT_RETRY_SCHEDULE = '5m,30m,2h,6h';
// Timeouts become Node timers, which fire at once above 2^31 - 1 ms (about 24.8 days); no request needs a day.
const MAX_TIMEOUT_MS = 24 * 60 * 60 * 1000;
// A retry delay becomes a due time that the API shows as a date; 30 days keeps it far inside the range of a Date.
const MAX_RETRY_DELAY_MS = 30 * 24 * 60 * 60 * 1000;
// Dot-separated labels of letters, digits and inner hyphens (RFC 1123), at most 253 characters.
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Reads and validates the configuration from environment variables. Throws `ConfigError` naming the bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const production = env['NODE_ENV'] === 'production';

  const port = readInteger(env, 'PORT', 3000, 0, 65_535);
  const host = readString(env, 'HOST', '127.0.0.1');
  if (isIP(host) === 0 && !HOST_NAME.test(host)) {
    throw new ConfigError(
      'HOST',
      `expected an IP address or a host name such as 127.0.0.1, 0.0.0.0 or ::, got "${host}"`,
    );
  }
  const databaseUrl = readString(env, 'DATABASE_URL', 'sqlite:./data/webhooks.db');
  if (!/^(sqlite:|postgres:\/\/|postgresql:\/\/)/.test(databaseUrl)) {
    throw new ConfigError(
      'DATABASE_URL',
      `expected sqlite:<path> or postgres://..., got "${redactUrl(databaseUrl)}"`,
    );
  }

  const seedApiKey = env['SEED_API_KEY'] || undefined;
  if (seedApiKey !== undefined && !/^[A-Za-z0-9_-]{24,200}$/.test(seedApiKey)) {
    throw new ConfigError('SEED_API_KEY', 'expected 24 to 200 letters, digits, "_" or "-"');
  }

  const retryScheduleMs = readRetrySchedule(env['RETRY_SCHEDULE'] || DEFAULT_RETRY_SCHEDULE);

  const encodedKey = env['SECRET_ENCRYPTION_KEY'] || undefined;
  let secretEncryptionKey: Buffer | undefined;
  if (encodedKey !== undefined) {
    secretEncryptionKey = Buffer.from(encodedKey, 'base64');
    if (secretEncryptionKey.length !== 32) {
      throw new ConfigError(
        'SECRET_ENCRYPTION_KEY',
        'expected base64 of exactly 32 bytes (openssl rand -base64 32)',
      );
    }
  } else if (production) {
    throw new ConfigError(
      'SECRET_ENCRYPTION_KEY',
      'is required when NODE_ENV=production (openssl rand -base64 32)',
    );
  }

  const allowPrivateUrls = readBoolean(env, 'ALLOW_PRIVATE_URLS', !production);

  const logLevel = readString(env, 'LOG_LEVEL', 'info');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(
      'LOG_LEVEL',
      `expected fatal, error, warn, info, debug, trace or silent, got "${logLevel}"`,
    );
  }

  return {
    port,
    host,
    databaseUrl,
    seedApiKey,
    retryScheduleMs,
    deliveryTimeoutMs: readDuration(env, 'DELIVERY_TIMEOUT', 15_000),
    deliveryConcurrency: readInteger(env, 'DELIVERY_CONCURRENCY', 64, 1, 10_000),
    endpointConcurrency: readInteger(env, 'ENDPOINT_CONCURRENCY', 8, 1, 1_000),
    bodyLimitBytes: readInteger(env, 'BODY_LIMIT', 262_144, 1_024, 50 * 1024 * 1024),
    requestTimeoutMs: readDuration(env, 'REQUEST_TIMEOUT', 30_000),
    allowPrivateUrls,
    secretEncryptionKey,
    production,
    logLevel,
  };
}

function readString(
  env: Record<string, string | undefined>,
  name: keyof typeof configVariables,
  fallback: string,
) {
  const value = env[name];
  return value === undefined || value === '' ? fallback : value;
}

function readInteger(
  env: Record<string, string | undefined>,
  name: keyof typeof configVariables,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = env[name];
  if (text === undefined || text === '') {
    return fallback;
  }
  const value = z.coerce.number().int().min(min).max(max).safeParse(text);
  if (!value.success || !/^\d+$/.test(text)) {
    throw new ConfigError(name, `expected a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value.data;
}

function readBoolean(
  env: Record<string, string | undefined>,
  name: keyof typeof configVariables,
  fallback: boolean,
) {
  const text = env[name];
  if (text === undefined || text === '') {
    return fallback;
  }
  if (text === 'true' || text === '1') {
    return true;
  }
  if (text === 'false' || text === '0') {
    return false;
  }
  throw new ConfigError(name, `expected true or false, got "${text}"`);
}

function readDuration(
  env: Record<string, string | undefined>,
  name: keyof typeof configVariables,
  fallback: number,
) {
  const text = env[name];
  if (text === undefined || text === '') {
    return fallback;
  }
  const value = parseDuration(text);
  if (value === undefined || value <= 0 || value > MAX_TIMEOUT_MS) {
    throw new ConfigError(
      name,
      `expected a duration from 1ms to 24h, such as 500ms, 15s or 2m, got "${text}"`,
    );
  }
  return value;
}

function readRetrySchedule(text: string): number[] {
  const parts = text.split(',').map((part) => part.trim());
  const delays = parts.map((part) => parseDuration(part));
  if (
    parts.length > 20 ||
    delays.some((delay) => delay === undefined || delay > MAX_RETRY_DELAY_MS)
  ) {
    throw new ConfigError(
      'RETRY_SCHEDULE',
      `expected up to 20 comma-separated durations of at most 30d, such as 5m,30m,2h,6h, got "${text}"`,
    );
  }
  return delays as number[];
}

/** Removes the password from a database URL so it can be logged or shown in an error. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
