import pino, { type Logger } from 'pino';

/**
 * Paths pino removes from every log line. Code never passes secrets or API keys to the logger, and these paths are a
 * second line of defence in case it does.
 */
const REDACTED_PATHS = [
  'secret',
  '*.secret',
  'apiKey',
  '*.apiKey',
  'req.headers.authorization',
  'req.headers["idempotency-key"]',
  'headers.authorization',
  'headers["webhook-signature"]',
];

/** Creates the server's pino logger, writing to `destination` (standard output by default). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'webhook-server' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

export type { Logger };
