#!/usr/bin/env node
import { parseArgs } from 'node:util';

import { ConfigError, loadConfig, redactUrl } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrations.js';
import { startServer } from '../server.js';
import { runReceiver } from './receive.js';
import {
  createAccount,
  createApiKey,
  findAccount,
  listAccounts,
  listApiKeys,
  revokeApiKey,
} from '../storage/accounts.js';

const USAGE = `Usage: webhook-server <command>

Commands:
  serve                              Start the server (configuration from environment variables).
  migrate                            Apply pending database migrations and exit.
  accounts list                      List accounts.
  accounts create --name NAME        Create an account.
  api-keys list [--account ID]       List API keys (prefix only; keys are never stored).
  api-keys create --account ID [--name NAME]
                                     Create an API key and print it once.
  api-keys revoke KEY_ID             Revoke an API key.
  receive [--port 4000] [--secret whsec_...] [--status 200]
                                     Run a local receiver that prints (and verifies) deliveries.

The database is DATABASE_URL (default sqlite:./data/webhooks.db).`;

async function main(argv: string[]): Promise<number> {
  const [command, subcommand, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve();
    case 'migrate':
      return withDatabase(async () => 0);
    case 'accounts':
      return accounts(subcommand, rest);
    case 'api-keys':
      return apiKeys(subcommand, rest);
    case 'receive':
      return receive(argv.slice(1));
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return command === undefined ? 1 : 0;
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 1;
  }
}

async function serve(): Promise<number> {
  const server = await startServer();
  const { url, seed } = server;

  const lines = [`Webhook server listening on ${url}`, `OpenAPI document: ${url}/v1/openapi.json`];
  if (seed.createdApiKey) {
    lines.push(`Demo API key (shown once, store it now): ${seed.createdApiKey}`);
  } else if (server.config.seedApiKey) {
    lines.push('Demo API key: the value of SEED_API_KEY');
  } else {
    lines.push('API keys: pnpm api-keys list / pnpm api-keys create --account <id>');
  }
  // The banner shows a key only when this start created it; a SEED_API_KEY value is the user's own and stays out.
  const keyLine = seed.createdApiKey
    ? `KEY=${seed.createdApiKey}`
    : 'KEY=<your API key, e.g. the SEED_API_KEY value>';
  lines.push(
    '',
    'Next steps, in a second terminal:',
    `  ${keyLine}`,
    '  # 1. run a receiver that prints every delivery:',
    '  pnpm receive --port 4000',
    '  # 2. subscribe it; the response carries the signing secret (restart the receiver with --secret to verify):',
    `  curl -s ${url}/v1/endpoints -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" \\`,
    `       -d '{"url":"http://127.0.0.1:4000/webhooks"}'`,
    '  # 3. change something; the receiver prints the signed contact.created event:',
    `  curl -s ${url}/v1/contacts -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" \\`,
    `       -d '{"email":"ada@example.com","first_name":"Ada"}'`,
  );
  process.stdout.write(`\n${lines.join('\n')}\n\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    server.logger.info({ signal }, 'shutdown requested');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  return new Promise<number>(() => {
    // Runs until a signal stops it.
  });
}

async function withDatabase(
  work: (db: ReturnType<typeof openDatabase>) => Promise<number>,
): Promise<number> {
  const config = loadConfig();
  const database = openDatabase(config.databaseUrl);
  try {
    const applied = await migrateToLatest(database.db as never, database.dialect);
    if (applied.length > 0) {
      console.error(
        `Applied migrations to ${redactUrl(config.databaseUrl)}: ${applied.join(', ')}`,
      );
    }
    return await work(database);
  } finally {
    await database.close();
  }
}

async function receive(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '4000' },
      host: { type: 'string', default: '127.0.0.1' },
      secret: { type: 'string' },
      status: { type: 'string', default: '200' },
    },
    allowPositionals: false,
  });
  const port = Number(values.port);
  const status = Number(values.status);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`--port must be a whole number from 0 to 65535, got "${values.port}".`);
    return 1;
  }
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    console.error(`--status must be an HTTP status from 200 to 599, got "${values.status}".`);
    return 1;
  }
  await runReceiver({ port, host: values.host, secret: values.secret, status });
  return 0;
}

function isHelp(subcommand: string | undefined): boolean {
  return (
    subcommand === undefined ||
    subcommand === 'help' ||
    subcommand === '--help' ||
    subcommand === '-h'
  );
}

async function accounts(subcommand: string | undefined, args: string[]): Promise<number> {
  if (isHelp(subcommand)) {
    console.log(USAGE);
    return subcommand === undefined ? 1 : 0;
  }
  const { values } = parseArgs({
    args,
    options: { name: { type: 'string' } },
    allowPositionals: false,
  });
  return withDatabase(async ({ db }) => {
    switch (subcommand) {
      case 'list':
        for (const account of await listAccounts(db)) {
          console.log(`${account.id}\t${account.name}\tcreated ${account.created_at}`);
        }
        return 0;
      case 'create': {
        if (!values.name) {
          console.error('accounts create needs --name NAME.');
          return 1;
        }
        const account = await createAccount(db, values.name);
        console.log(account.id);
        return 0;
      }
      default:
        console.error(`Unknown accounts command "${subcommand ?? ''}".\n\n${USAGE}`);
        return 1;
    }
  });
}

async function apiKeys(subcommand: string | undefined, args: string[]): Promise<number> {
  if (isHelp(subcommand)) {
    console.log(USAGE);
    return subcommand === undefined ? 1 : 0;
  }
  const { values, positionals } = parseArgs({
    args,
    options: { account: { type: 'string' }, name: { type: 'string' } },
    allowPositionals: true,
  });
  return withDatabase(async ({ db }) => {
    switch (subcommand) {
      case 'list': {
        const keys = await listApiKeys(db, values.account);
        console.log('ID\tACCOUNT\tPREFIX\tNAME\tSTATE');
        for (const key of keys) {
          const state = key.revokedAt ? `revoked ${key.revokedAt}` : 'active';
          console.log(
            `${key.id}\t${key.accountId}\t${key.displayPrefix}...\t${key.name}\t${state}`,
          );
        }
        return 0;
      }
      case 'create': {
        if (!values.account) {
          console.error('api-keys create needs --account ID (see "accounts list").');
          return 1;
        }
        if (!(await findAccount(db, values.account))) {
          console.error(`Account ${values.account} was not found (see "accounts list").`);
          return 1;
        }
        const { key, summary } = await createApiKey(db, {
          accountId: values.account,
          name: values.name ?? 'cli',
        });
        console.error(`Created API key ${summary.id}. It is shown once; store it now:`);
        console.log(key);
        return 0;
      }
      case 'revoke': {
        const keyId = positionals[0];
        if (!keyId) {
          console.error('api-keys revoke needs the key id (see "api-keys list").');
          return 1;
        }
        if (!(await revokeApiKey(db, keyId))) {
          console.error(`No active API key has id ${keyId}.`);
          return 1;
        }
        console.error(`Revoked API key ${keyId}.`);
        return 0;
      }
      default:
        console.error(`Unknown api-keys command "${subcommand ?? ''}".\n\n${USAGE}`);
        return 1;
    }
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(describeStartupError(error));
    process.exitCode = 1;
  },
);

/** Turns the failures a person can fix (configuration, a busy port, a bad host, a database) into one line. */
function describeStartupError(error: unknown): string {
  if (error instanceof ConfigError) {
    return `Invalid configuration: ${error.message}`;
  }
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'EADDRINUSE') {
    return `Cannot listen: ${message}. Another process uses that port; stop it or set PORT.`;
  }
  if (code === 'ENOTFOUND' || code === 'EADDRNOTAVAIL') {
    return `Cannot listen: ${message}. Set HOST to an address of this machine, such as 127.0.0.1 or 0.0.0.0.`;
  }
  if (
    error instanceof Error &&
    /migration|database|ECONNREFUSED|does not exist/i.test(message + String(error.cause ?? ''))
  ) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `Database error: ${message}${cause}. Check DATABASE_URL and that the database is reachable.`;
  }
  return error instanceof Error ? (error.stack ?? message) : message;
}
