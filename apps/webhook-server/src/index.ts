export { ConfigError, configVariables, loadConfig, type Config } from './config.js';
export { openDatabase, type DatabaseHandle, type Dialect } from './db/connect.js';
export { migrateToLatest } from './db/migrations.js';
export type { Database } from './db/schema.js';
export { buildApp } from './http/app.js';
export { createLogger } from './logger.js';
export { startServer, type RunningServer, type StartServerOptions } from './server.js';
