import type { FastifyInstance } from 'fastify';

import { loadConfig, redactUrl, type Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/connect.js';
import { migrateToLatest } from './db/migrations.js';
import { Dispatcher } from './delivery/dispatcher.js';
import { buildApp } from './http/app.js';
import { createLogger, type Logger } from './logger.js';
import { SecretBox } from './security/secret-box.js';
import { seedDemoAccount, type SeedResult } from './seed.js';

/** Options of `startServer`. */
export interface StartServerOptions {
  /** Environment variables to read the configuration from; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** Logger to use instead of one built from `LOG_LEVEL`. */
  logger?: Logger;
}

/** A started server. */
export interface RunningServer {
  /** Base URL such as `http://127.0.0.1:3000`, with the port actually bound. */
  url: string;
  config: Config;
  app: FastifyInstance;
  database: DatabaseHandle;
  dispatcher: Dispatcher;
  logger: Logger;
  seed: SeedResult;
  /** Stops accepting requests, lets in-flight deliveries finish, then closes the database. */
  close(): Promise<void>;
}

/**
 * Starts the whole server: validates the configuration, migrates the database, seeds the demo account, starts the
 * dispatcher and listens. Throws `ConfigError` for invalid configuration.
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const config = loadConfig(options.env ?? process.env);
  const logger = options.logger ?? createLogger(config.logLevel);

  const database = openDatabase(config.databaseUrl, {
    onIdleConnectionError: (error) =>
      logger.warn({ err: error }, 'idle database connection failed'),
  });
  try {
    const applied = await migrateToLatest(database.db as never, database.dialect);
    logger.info(
      { dialect: database.dialect, database: redactUrl(config.databaseUrl), applied },
      'database ready',
    );
  } catch (error) {
    await database.close();
    throw error;
  }

  const secretBox = new SecretBox(config.secretEncryptionKey);
  if (secretBox.usesDevelopmentKey) {
    logger.warn(
      'SECRET_ENCRYPTION_KEY is not set: signing secrets are encrypted with a public development key',
    );
  }
  if (config.allowPrivateUrls) {
    logger.warn(
      'ALLOW_PRIVATE_URLS is on: endpoints may point at loopback and private network addresses',
    );
  }

  let seed: SeedResult;
  let dispatcher: Dispatcher;
  let app: FastifyInstance;
  try {
    seed = await seedDemoAccount(database.db, config.seedApiKey);
    dispatcher = new Dispatcher({ config, database, logger, secretBox });
    app = await buildApp({ config, database, logger, secretBox, dispatcher });
  } catch (error) {
    // Closing the database lets the process exit instead of hanging on an open handle.
    await database.close();
    throw error;
  }

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close();
    await database.close();
    throw error;
  }
  dispatcher.start();

  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  logger.info({ url }, 'server listening');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      logger.info('server stopping');
      await app.close();
      await dispatcher.stop();
      await database.close();
      logger.info('server stopped');
    })();
    return closing;
  };

  return { url, config, app, database, dispatcher, logger, seed, close };
}
