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
  /** Timeout of one try in milliseconds. Default 30,000. */
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
  path: string;
  query?: Record<string, string | number | boolean | undefined | null>;
  body?: unknown;
  options?: RequestOptions | undefined;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/**
 * Sends requests to the `/v1` API and decodes responses.
 *
 * Contract: a 2xx response resolves with the parsed JSON body (undefined for 204). Any other status rejects with
 * `ApiError`; no response at all rejects with `ApiConnectionError`. Network errors, 429 and 5xx are retried up to
 * `maxRetries` times with exponential backoff and jitter, waiting at least what `Retry-After` asks (capped by
 * `maxBackoffMs`). Every POST carries an `Idempotency-Key`, the same on each retry, so a retried POST never
 * creates a second resource.
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

  constructor(options: ClientOptions) {
    if (!options.apiKey) {
      throw new TypeError('apiKey is required');
    }
    this.apiKey = options.apiKey;
    this.baseUrl = (options.baseUrl ?? brand.defaultBaseUrl).replace(/\/+$/, '').replace(/\/v1$/, '');
    this.maxRetries = options.maxRetries ?? 3;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.initialBackoffMs = options.initialBackoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.userAgent = [`${brand.slug}-api-client/0.1.0`, options.userAgent].filter(Boolean).join(' ');
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

    for (let attempt = 0; ; attempt += 1) {
      const signal = request.options?.signal;
      signal?.throwIfAborted();

      let response: Response;
      try {
        response = await this.fetchImpl(url, {
          method: request.method,
          headers,
          body,
          redirect: 'manual',
          signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]) : AbortSignal.timeout(this.timeoutMs),
        });
      } catch (error) {
        if (signal?.aborted) {
          throw error;
        }
        if (attempt < this.maxRetries) {
          await sleep(this.backoff(attempt, undefined), signal);
          continue;
        }
        throw new ApiConnectionError(`${request.method} ${url} failed: ${describeNetworkError(error)}`, {
          cause: error,
        });
      }

      if (response.ok) {
        return (await decodeBody(response)) as T;
      }

      const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
      if (RETRYABLE_STATUS.has(response.status) && attempt < this.maxRetries) {
        await response.body?.cancel();
        await sleep(this.backoff(attempt, retryAfterSeconds), signal);
        continue;
      }

      throw await toApiError(response, retryAfterSeconds);
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
    // Full jitter between half and all of the exponential delay keeps many clients from retrying in step.
    const jittered = exponential / 2 + Math.random() * (exponential / 2);
    const requested = retryAfterSeconds === undefined ? 0 : retryAfterSeconds * 1000;
    return Math.min(Math.max(jittered, requested), this.maxBackoffMs);
  }
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

async function decodeBody(response: Response): Promise<unknown> {
  if (response.status === 204) {
    return undefined;
  }
  const text = await response.text();
  if (text === '') {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError({
      status: response.status,
      code: 'invalid_response',
      message: `the API returned status ${response.status} with a body that is not JSON`,
      problem: undefined,
    });
  }
}

async function toApiError(response: Response, retryAfterSeconds: number | undefined): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let problem: Problem | undefined;
  try {
    const parsed = JSON.parse(text) as Partial<Problem>;
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
    message: problem?.detail ?? `the API returned status ${response.status}: ${fallback}`,
    field: problem?.field,
    errors: problem?.errors,
    retryAfterSeconds,
    problem,
  });
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') {
      return 'timed out';
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}
