import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/connect.js';
import type { DispatcherSignal } from '../http/services.js';
import type { Logger } from '../logger.js';
import type { SecretBox } from '../security/secret-box.js';

/** Options of `Dispatcher`. */
export interface DispatcherOptions {
  config: Config;
  database: DatabaseHandle;
  logger: Logger;
  secretBox: SecretBox;
}

/** Delivers due deliveries to endpoints. */
export class Dispatcher implements DispatcherSignal {
  constructor(private readonly options: DispatcherOptions) {}

  /** Starts polling for due deliveries. */
  start(): void {
    // TODO: not implemented yet.
  }

  wake(): void {
    // TODO: not implemented yet.
  }

  /** Stops claiming new deliveries and resolves once in-flight attempts have finished. */
  async stop(): Promise<void> {
    // TODO: not implemented yet.
  }
}
