import type { Account } from '@app/api-client';

import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/connect.js';
import type { Logger } from '../logger.js';
import type { SecretBox } from '../security/secret-box.js';

/** Dispatcher methods that request handlers may call. */
export interface DispatcherSignal {
  /** Asks the dispatcher to look for due deliveries now instead of at its next poll. */
  wake(): void;
  /**
   * Tells the dispatcher that an endpoint's URL, secret or state changed, so deliveries it claimed ahead with the
   * old settings are not sent with them. Optional so that test doubles need only `wake`.
   */
  endpointChanged?(endpointId: string): void;
}

/** Everything route handlers need, built once at start and shared. */
export interface AppServices {
  config: Config;
  database: DatabaseHandle;
  logger: Logger;
  secretBox: SecretBox;
  dispatcher: DispatcherSignal;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: AppServices;
  }
  interface FastifyRequest {
    /** The account of the API key; set by the auth hook on every `/v1` route that needs one. */
    account: Account;
    apiKeyId: string;
  }
}
