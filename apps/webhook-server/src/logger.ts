import pino, { type Logger } from 'pino';

/**
 * Paths pino removes from every log line. Secrets and API keys must never reach a log; these paths are a second
 * line of defence behind the rule that code never passes them to the logger.
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
