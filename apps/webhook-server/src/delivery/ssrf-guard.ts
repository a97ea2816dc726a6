import { lookup as dnsLookup } from 'node:dns/promises';

import { buildConnector } from 'undici';

import { ipLiteralOf, isForbiddenAddress } from './address-policy.js';

/** One DNS answer, as `dns.promises.lookup(host, { all: true })` returns it. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address it has; tests inject DNS results here. */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

/** Raised by the guarded connector when a host is or resolves to a forbidden address. The attempt records `ssrf_blocked`. */
export class SsrfBlockedError extends Error {
  override readonly name = 'SsrfBlockedError';
  readonly code = 'ERR_SSRF_BLOCKED';

  constructor(
    readonly hostname: string,
    readonly address: string,
  ) {
    super(
      `refused to connect to ${hostname}: it resolves to ${address}, a private or reserved address`,
    );
  }
}

/** Options of `createGuardedConnector`. */
export interface GuardedConnectorOptions {
  /** Connect timeout in milliseconds. */
  timeoutMs: number;
  /** Resolves host names; defaults to `dns.promises.lookup` with every address in resolver order. */
  resolve?: ResolveHost;
  /** Opens the socket once the address is vetted; defaults to undici's own connector. Tests pass a spy. */
  connect?: buildConnector.connector;
}

const defaultResolve: ResolveHost = (hostname) =>
  dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Builds an undici `connect` function that resolves the host once, rejects the connection when ANY address is
 * forbidden (see `isForbiddenAddress`), and dials the first vetted address while TLS still checks the certificate
 * against the original host name. Dialling the vetted address, instead of letting the socket resolve again, is what
 * defeats DNS rebinding between the check and the connection.
 */
export function createGuardedConnector(options: GuardedConnectorOptions): buildConnector.connector {
  const resolve = options.resolve ?? defaultResolve;
  const connect = options.connect ?? buildConnector({ timeout: options.timeoutMs });

  return (connectOptions, callback) => {
    const { hostname } = connectOptions;
    vetHost(hostname, resolve).then(
      (address) => {
        const literal = ipLiteralOf(hostname);
        connect(
          {
            ...connectOptions,
            hostname: address,
            // TLS needs the name for SNI and certificate checks; an IP literal URL has no name to send.
            servername:
              literal === undefined
                ? (connectOptions.servername ?? hostname)
                : connectOptions.servername,
          },
          callback,
        );
      },
      (error: unknown) => callback(error as Error, null),
    );
  };
}

/** Resolves `hostname` and returns the address to dial; rejects with `SsrfBlockedError` when any resolved address is forbidden. */
export async function vetHost(hostname: string, resolve: ResolveHost): Promise<string> {
  const literal = ipLiteralOf(hostname);
  const answers =
    literal === undefined ? await resolve(hostname) : [{ address: literal, family: 0 }];
  if (answers.length === 0) {
    throw Object.assign(new Error(`DNS lookup of ${hostname} returned no address`), {
      code: 'ENOTFOUND',
    });
  }

  const forbidden = answers.find((answer) => isForbiddenAddress(answer.address));
  if (forbidden) {
    throw new SsrfBlockedError(hostname, forbidden.address);
  }
  return (answers[0] as ResolvedAddress).address;
}
