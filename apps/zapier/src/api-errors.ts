import { brand, parseRetryAfter, type FieldError, type Problem } from '@app/api-client';
import type { HttpResponse, ZObject } from 'zapier-platform-core';

/** Returns the RFC 9457 problem document of an error response, or undefined when the body is not one. */
export function readProblem(response: HttpResponse): Problem | undefined {
  const body: unknown = response.data;
  if (body === null || typeof body !== 'object') {
    return undefined;
  }
  const candidate = body as Partial<Problem>;
  return typeof candidate.code === 'string' && typeof candidate.detail === 'string'
    ? (body as Problem)
    : undefined;
}

/**
 * Converts an error response (status >= 400) into a Zapier error whose message states what the user can do:
 * - 401: `ExpiredAuthError`, which asks the user to reconnect the account;
 * - 400 and 422 with field errors: `z.errors.Error` naming each invalid field and the reason the server gave;
 * - 429: `ThrottledError`, so Zapier retries after the server's `Retry-After` seconds;
 * - anything else: `z.errors.Error` with the server's `detail`, its `code` and the status.
 */
export function toZapierError(z: ZObject, response: HttpResponse): Error {
  const problem = readProblem(response);

  if (response.status === 401) {
    return new z.errors.ExpiredAuthError(
      `${brand.name} rejected the API key: it is invalid or was revoked. ` +
        `Reconnect your ${brand.name} account in Zapier with an API key from ${brand.apiKeysUrl}.`,
    );
  }

  if (response.status === 429) {
    const retryAfterSeconds = parseRetryAfter(response.getHeader('retry-after') ?? null);
    const message = problem?.detail ?? `${brand.name} rate limit reached.`;
    return new z.errors.ThrottledError(message, retryAfterSeconds);
  }

  if ((response.status === 400 || response.status === 422) && problem && hasFieldErrors(problem)) {
    return new z.errors.Error(describeFieldErrors(problem), problem.code, response.status);
  }

  const message =
    problem?.detail ?? `${brand.name} returned HTTP ${response.status}: ${excerpt(response)}`;
  return new z.errors.Error(message, problem?.code ?? `http_${response.status}`, response.status);
}

function hasFieldErrors(problem: Problem): boolean {
  return Boolean(problem.field) || (problem.errors?.length ?? 0) > 0;
}

// One sentence per invalid field, so the user sees every field to fix in one run.
function describeFieldErrors(problem: Problem): string {
  const errors: FieldError[] =
    problem.errors && problem.errors.length > 0
      ? problem.errors
      : [{ field: problem.field ?? '', code: problem.code, message: problem.detail }];

  const reasons = errors.map(
    (error) => `Invalid field "${error.field}": ${withPeriod(error.message)}`,
  );
  return reasons.join(' ');
}

function withPeriod(text: string): string {
  return /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}

function excerpt(response: HttpResponse): string {
  const text = typeof response.content === 'string' ? response.content.trim() : '';
  return text.slice(0, 200) || 'no response body';
}
