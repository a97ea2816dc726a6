import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { brand, type Problem } from './api-client';

/** A non-2xx API response: the status and whatever body came with it. */
export interface ErrorResponse {
  statusCode: number;
  body: unknown;
}

/**
 * Builds the `NodeApiError` for a non-2xx response. Its message is the server's `detail`. Its description names
 * the offending field and the error code and lists every invalid field, so the user sees what to change. The
 * problem's `code` and `field` are also stored in the error's `context`.
 */
export function problemToNodeApiError(
  node: INode,
  response: ErrorResponse,
  itemIndex?: number,
): NodeApiError {
  const httpCode = String(response.statusCode);
  const problem = readProblem(response.body);

  if (problem === undefined) {
    const excerpt = typeof response.body === 'string' ? response.body.slice(0, 200) : '';
    return new NodeApiError(
      node,
      { status: response.statusCode, body: excerpt },
      {
        message: `The ${brand.name} API returned status ${httpCode} without an error document`,
        description: excerpt === '' ? undefined : `Response body: ${excerpt}`,
        httpCode,
        itemIndex,
      },
    );
  }

  const error = new NodeApiError(node, problem as unknown as JsonObject, {
    message: problem.detail,
    description: describeProblem(problem),
    httpCode,
    itemIndex,
  });
  error.context['code'] = problem.code;
  if (problem.field !== undefined) {
    error.context['field'] = problem.field;
  }
  return error;
}

/** Returns the body as a problem document when it has the fields every problem carries, otherwise undefined. */
export function readProblem(body: unknown): Problem | undefined {
  if (body === null || typeof body !== 'object') {
    return undefined;
  }
  const candidate = body as Partial<Problem>;
  if (typeof candidate.code !== 'string' || typeof candidate.detail !== 'string') {
    return undefined;
  }
  return candidate as Problem;
}

function describeProblem(problem: Problem): string {
  const lines = [
    problem.field === undefined
      ? `Error code: ${problem.code}.`
      : `Field: ${problem.field}. Error code: ${problem.code}.`,
  ];
  for (const fieldError of problem.errors ?? []) {
    lines.push(`${fieldError.field}: ${fieldError.message}`);
  }
  return lines.join('\n');
}
