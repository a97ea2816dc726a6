import { request, type Dispatcher } from 'undici';

import { SsrfBlockedError } from './ssrf-guard.js';

/** One signed HTTP request ready to go out. */
export interface OutboundRequest {
  url: string;
  headers: Record<string, string>;
  /** The stored payload text; sent byte for byte as it was signed. */
  body: string;
}

/** Reason an attempt ended without an HTTP response, stored in `attempts.error`. */
export type AttemptError =
  | 'timeout'
  | 'connection_refused'
  | 'connection_reset'
  | 'dns_failed'
  | 'ssrf_blocked'
  | 'tls_error'
  | 'network_error';

/** Outcome of one attempt: a response (any status) or an error before a response arrived. */
export type SendOutcome =
  | {
      kind: 'response';
      statusCode: number;
      /** The `Retry-After` header, when the response carried one. */
      retryAfter: string | undefined;
      /** Start of the body, at most `excerptBytes` bytes decoded as UTF-8. */
      excerpt: string;
      durationMs: number;
    }
  | { kind: 'error'; error: AttemptError; detail: string; durationMs: number };

/** Options of `sendRequest`. */
export interface SendOptions {
  dispatcher: Dispatcher;
  /** Limit for the whole attempt: connecting, sending, the response head and the excerpt. */
  timeoutMs: number;
  /** Bytes of the response body kept for the delivery log. */
  excerptBytes: number;
}

// A receiver that streams a large body does not hold the attempt: after this many bytes the connection is dropped.
const MAX_DRAIN_BYTES = 64 * 1024;

/**
 * Sends one POST with undici's `request`, which follows no redirects unless a redirect interceptor is added (undici 7),
 * so a 3xx is returned like any other status.
 * Never throws; every failure becomes an `error` outcome. The body beyond the excerpt is read and discarded up to
 * 64 KB so the connection can be reused, and the socket is closed past that.
 */
export async function sendRequest(
  outbound: OutboundRequest,
  options: SendOptions,
): Promise<SendOutcome> {
  const started = performance.now();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);

  try {
    const response = await request(outbound.url, {
      method: 'POST',
      headers: outbound.headers,
      body: outbound.body,
      dispatcher: options.dispatcher,
      signal: controller.signal,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });

    const excerpt = await readExcerpt(response.body, options.excerptBytes);
    const retryAfter = response.headers['retry-after'];
    return {
      kind: 'response',
      statusCode: response.statusCode,
      retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      excerpt,
      durationMs: elapsedSince(started),
    };
  } catch (error) {
    const kind: AttemptError = timedOut ? 'timeout' : classifyError(error);
    return {
      kind: 'error',
      error: kind,
      detail: describeError(error),
      durationMs: elapsedSince(started),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Reads up to `limit` bytes as text, drains a bounded amount more, then closes the body. */
async function readExcerpt(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let seen = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      seen += chunk.length;
      if (kept < limit) {
        const part = chunk.subarray(0, limit - kept);
        chunks.push(part);
        kept += part.length;
      }
      if (seen > limit + MAX_DRAIN_BYTES) {
        break;
      }
    }
  } catch {
    // The status line already decided the outcome; a body cut short by the timeout or the peer keeps what arrived.
  } finally {
    if (!body.destroyed) {
      body.destroy();
    }
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}

/** Maps a thrown network error to the attempt error stored in the log. */
export function classifyError(error: unknown): AttemptError {
  for (
    let current: unknown = error, depth = 0;
    current && depth < 5;
    current = (current as Error).cause, depth += 1
  ) {
    if (current instanceof SsrfBlockedError) {
      return 'ssrf_blocked';
    }
    const code = (current as { code?: unknown }).code;
    switch (code) {
      case 'ECONNREFUSED':
        return 'connection_refused';
      case 'ECONNRESET':
      case 'EPIPE':
      case 'UND_ERR_SOCKET':
      case 'UND_ERR_CLOSED':
        return 'connection_reset';
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
      case 'EAI_NONAME':
      case 'EAI_FAIL':
        return 'dns_failed';
      case 'ETIMEDOUT':
      case 'UND_ERR_CONNECT_TIMEOUT':
      case 'UND_ERR_HEADERS_TIMEOUT':
      case 'UND_ERR_BODY_TIMEOUT':
        return 'timeout';
      default:
        if (
          typeof code === 'string' &&
          (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code.includes('CERT'))
        ) {
          return 'tls_error';
        }
    }
  }
  return 'network_error';
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

function elapsedSince(started: number): number {
  return Math.max(0, Math.round(performance.now() - started));
}
