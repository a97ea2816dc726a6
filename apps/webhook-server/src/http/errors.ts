import { brand, type ErrorCode, type FieldError, type Problem } from '@app/api-client';

/** Options of `ApiProblem`. */
export interface ApiProblemOptions {
  status: number;
  code: ErrorCode;
  detail: string;
  field?: string;
  errors?: FieldError[];
  /** Extra response headers, such as `Retry-After`. */
  headers?: Record<string, string>;
  cause?: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * An error that becomes an RFC 9457 problem document: the HTTP status, a stable `code`, what failed and what to do
 * (`detail`), and the offending `field` where there is one. Route code throws it; the error handler renders it.
 */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  readonly status: number;
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(options: ApiProblemOptions) {
    super(options.detail, { cause: options.cause });
    this.status = options.status;
    this.code = options.code;
    this.field = options.field;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }

  /** Renders the problem document for the request path `instance`. */
  toProblem(instance: string): Problem {
    return {
      // A URN names the problem type without promising a page behind it.
      type: `urn:${brand.slug}:problem:${this.code}`,
      title: TITLES[this.status] ?? 'Error',
      status: this.status,
      detail: this.message,
      code: this.code,
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.errors === undefined ? {} : { errors: this.errors }),
      instance,
    };
  }
}

/** 404 for a resource id that does not exist in the caller's account. */
export function notFound(resource: string, id: string): ApiProblem {
  return new ApiProblem({
    status: 404,
    code: 'not_found',
    detail: `${resource} ${id} was not found in this account. Check the id; deleted ${resource}s are not returned.`,
  });
}
