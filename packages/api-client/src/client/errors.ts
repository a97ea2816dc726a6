import type { FieldError, Problem } from '../resources/problem.js';

/**
 * Error for every non-2xx response and for a 2xx response whose body is not JSON (code `invalid_response`). It
 * carries the status and the problem document the server returned.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** HTTP status code. */
  readonly status: number;
  /** Stable error code from the problem document, or `http_<status>` when the body was not one. */
  readonly code: string;
  /** The first offending field, when the server named one. */
  readonly field: string | undefined;
  /** Every invalid field, for validation errors. */
  readonly errors: FieldError[];
  /** Seconds from a `Retry-After` header, when the server sent one. */
  readonly retryAfterSeconds: number | undefined;
  /** The parsed problem document, when the body was one. */
  readonly problem: Problem | undefined;

  constructor(options: {
    status: number;
    message: string;
    code: string;
    field?: string | undefined;
    errors?: FieldError[] | undefined;
    retryAfterSeconds?: number | undefined;
    problem?: Problem | undefined;
    cause?: unknown;
  }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.code = options.code;
    this.field = options.field;
    this.errors = options.errors ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.problem = options.problem;
  }
}

/**
 * Thrown when no complete response arrived after every retry: DNS failure, refused or reset connection, or
 * `timeoutMs` elapsed before the end of the response body. `cause` is the last network error.
 */
export class ApiConnectionError extends Error {
  override readonly name = 'ApiConnectionError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
