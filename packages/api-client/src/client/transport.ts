import { randomUUID } from 'node:crypto';

import { brand } from '../brand.js';
import type { Problem } from '../resources/problem.js';
import { ApiConnectionError, ApiError } from './errors.js';

/** Options of `ApiClient`. */
export interface ClientOptions {
  /** API key sent as `Authorization: Bearer <key>`. */
  apiKey: string;
  /** API base URL without `/v1`; defaults to the brand's production URL. */
  baseUrl?: string;
  /** Retries after the first try, for network errors, 429 and 5xx. Default 3. */
  maxRetries?: number;
  /** Timeout of one try, from sending the request to the end of the response body, in milliseconds. Default 30,000. */
  timeoutMs?: number;
  /** First backoff delay in milliseconds, doubled on every retry. Default 500. */
  initialBackoffMs?: number;
  /** Upper bound on any delay between tries, including one asked for by `Retry-After`, in ms. Default 60,000. */
  maxBackoffMs?: number;
  /** `fetch` implementation; defaults to the global one (Node 20 ships it). */
  fetch?: typeof fetch;
  /** Extra `User-Agent` text, such as the connector name. */
  userAgent?: string;
}

/** Per-call options. */
export interface RequestOptions {
  /** `Idempotency-Key` of a POST; one is generated when absent and reused across retries. */
  idempotencyKey?: string;
  /** Aborts the call, including pending retries. */
  signal?: AbortSignal;
}

/** One request to the API. */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path below `/v1`, starting with a slash, with ids already URL-encoded. */
  path: string;
  /** Query parameters; undefined, null and empty-string values are left out. */
  query?: Record<string, string | number | boolean | undefined | null>;
  /** Value sent as the JSON body. */
  body?: unknown;
  options?: RequestOptions | undefined;
}

/**
 * Sends requests to the `/v1` API and decodes responses.
 *
 * Contract: a 2xx response resolves with the parsed JSON body (undefined for 204 or an empty body). Any other
 * status rejects with `ApiError`. When no complete response arrives (refused or reset connection, DNS failure,
 * `timeoutMs` elapsed before the end of the body), the call rejects with `ApiConnectionError`.
 *
 * Network errors, 429 and every 5xx are retried up to `maxRetries` times with exponential backoff and jitter,
 * waiting at least the delay `Retry-After` requests (capped by `maxBackoffMs`). Other statuses are never retried.
 * Every POST carries an `Idempotency-Key`, the same on each retry, so a retried POST never creates a second
 * resource. Aborting `signal` rejects with its reason at once, also during a backoff delay.
 */
export class Transport {
  private readonly apiKey: string;
  private readonly baseUrl: string;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly userAgent: string;

  /** Throws a `TypeError` when `apiKey` is empty and a `RangeError` when a number option is out of range. */
  constructor(options: ClientOptions) {
    if (!options.apiKey) {
      throw new TypeError('apiKey is required');
    }

    this.apiKey = options.apiKey;
    this.baseUrl = (options.baseUrl ?? brand.defaultBaseUrl)
      .replace(/\/+$/, '')
      .replace(/\/v1$/, '');
    this.maxRetries = checkInteger('maxRetries', options.maxRetries ?? 3, 0);
    this.timeoutMs = checkInteger('timeoutMs', options.timeoutMs ?? 30_000, 1);
    this.initialBackoffMs = checkInteger('initialBackoffMs', options.initialBackoffMs ?? 500, 0);
    this.maxBackoffMs = checkInteger('maxBackoffMs', options.maxBackoffMs ?? 60_000, 0);
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.userAgent = [`${brand.slug}-api-client/0.1.0`, options.userAgent]
      .filter(Boolean)
      .join(' ');
  }

  /** Sends `request`, retrying as described on the class; resolves with the decoded body. */
  async request<T>(request: ApiRequest): Promise<T> {
    const url = this.buildUrl(request.path, request.query);
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${this.apiKey}`,
      'user-agent': this.userAgent,
    };
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
    }
    if (request.method === 'POST') {
      headers['idempotency-key'] = request.options?.idempotencyKey ?? randomUUID();
    }
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const signal = request.options?.signal;

    for (let attempt = 0; ; attempt += 1) {
      signal?.throwIfAborted();

      let response: Response;
      let text: string;
      try {
        const timeout = AbortSignal.timeout(this.timeoutMs);
        response = await this.fetchImpl(url, {
          method: request.method,
          headers,
          body,
          redirect: 'manual',
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
        // The body is read inside the same timeout and error handling: a connection that drops or stalls after
        // the headers is a network error like any other.
        text = await response.text();
      } catch (error) {
        if (signal?.aborted) {
          throw signal.reason;
        }
        if (attempt < this.maxRetries) {
          await sleep(this.backoff(attempt, undefined), signal);
          continue;
        }
        const reason = describeNetworkError(error, this.timeoutMs);
        throw new ApiConnectionError(`${request.method} ${url} failed: ${reason}`, {
          cause: error,
        });
      }

      if (response.ok) {
        return decodeBody(response.status, text) as T;
      }

      const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
      if (isRetryableStatus(response.status) && attempt < this.maxRetries) {
        await sleep(this.backoff(attempt, retryAfterSeconds), signal);
        continue;
      }

      throw toApiError(response, text, retryAfterSeconds);
    }
  }

  private buildUrl(path: string, query: ApiRequest['query']): string {
    const url = new URL(`${this.baseUrl}/v1${path}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null && value !== '') {
        url.searchParams.set(key, String(value));
      }
    }
    return url.toString();
  }

  private backoff(attempt: number, retryAfterSeconds: number | undefined): number {
    const exponential = this.initialBackoffMs * 2 ** attempt;
    // A random delay between half and all of the exponential one keeps many clients from retrying in step.
    const jittered = exponential / 2 + Math.random() * (exponential / 2);
    const requested = retryAfterSeconds === undefined ? 0 : retryAfterSeconds * 1000;
    return Math.min(Math.max(jittered, requested), this.maxBackoffMs);
  }
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

function checkInteger(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer of at least ${min}, got ${value}`);
  }
  return value;
}

/** Parses `Retry-After` as seconds or an HTTP date; returns undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') {
    return undefined;
  }
  if (/^\d+$/.test(value.trim())) {
    return Number(value.trim());
  }
  const date = Date.parse(value);
  if (Number.isNaN(date)) {
    return undefined;
  }
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function decodeBody(status: number, text: string): unknown {
  if (status === 204 || text === '') {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError({
      status,
      code: 'invalid_response',
      message: `the API returned status ${status} with a body that is not JSON`,
      cause: error,
    });
  }
}

function toApiError(
  response: Response,
  text: string,
  retryAfterSeconds: number | undefined,
): ApiError {
  let problem: Problem | undefined;
  try {
    const parsed = JSON.parse(text) as Partial<Problem> | null;
    if (parsed && typeof parsed === 'object' && typeof parsed.code === 'string') {
      problem = parsed as Problem;
    }
  } catch {
    problem = undefined;
  }

  const fallback = text.trim().slice(0, 200) || response.statusText || 'no response body';
  return new ApiError({
    status: response.status,
    code: problem?.code ?? `http_${response.status}`,
    message:
      problem?.detail ??
      problem?.title ??
      `the API returned status ${response.status}: ${fallback}`,
    // A body that claims to be a problem document may carry malformed extensions, so only well-typed ones are kept.
    field: typeof problem?.field === 'string' ? problem.field : undefined,
    errors: Array.isArray(problem?.errors) ? problem.errors : undefined,
    retryAfterSeconds,
    problem,
  });
}

// Duck-typed rather than `instanceof Error`: undici creates its errors in Node's main realm, which differs from the
// caller's realm under Jest or a vm context.
function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (typeof error !== 'object' || error === null) {
    return String(error);
  }

  const { name, message, cause } = error as { name?: unknown; message?: unknown; cause?: unknown };
  if (name === 'TimeoutError') {
    return `timed out after ${timeoutMs} ms`;
  }
  // undici reports the system error (`ECONNREFUSED`, `UND_ERR_SOCKET`) as the cause of a generic "fetch failed".
  const causeFields = (typeof cause === 'object' && cause !== null ? cause : {}) as {
    code?: unknown;
    message?: unknown;
  };
  for (const candidate of [causeFields.code, causeFields.message, message]) {
    if (typeof candidate === 'string' && candidate !== '') {
      return candidate;
    }
  }
  return String(error);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }

    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
