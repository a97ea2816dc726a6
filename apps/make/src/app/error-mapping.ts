import type { JsonObject } from '../model.js';

/**
 * The problem's own explanation: `detail`, else `title`, else a generic sentence when the body is no problem
 * document (a proxy's error page, for example).
 */
const PROBLEM_DETAIL = "ifempty(body.detail, ifempty(body.title, 'The request failed.'))";

/**
 * `response.error` for the API's RFC 9457 problem documents: 401 deactivates the scenario as an invalid access
 * token, 400 and 422 are data errors that name the offending field, 409 is duplicate data, 429 a rate limit.
 * Every other status keeps the server's message under Make's default error type.
 */
export function problemErrorMapping(): JsonObject {
  const withStatus = `[{{statusCode}}] {{${PROBLEM_DETAIL}}}`;
  const withField = `${withStatus}{{if(body.field, ' (field: ' + body.field + ')', '')}}`;

  return {
    message: withStatus,
    '400': { type: 'DataError', message: withField },
    '401': {
      type: 'InvalidAccessTokenError',
      message: `${withStatus} Check the API key of the connection.`,
    },
    '409': { type: 'DuplicateDataError', message: withStatus },
    '422': { type: 'DataError', message: withField },
    '429': { type: 'RateLimitError', message: withStatus },
  };
}

/**
 * `response.type`: the API sends every 4xx as `application/problem+json`, which is parsed as JSON explicitly so
 * `body.detail` is readable. Other responses keep Make's content-type detection.
 */
export function responseTypes(): JsonObject {
  return { '*': 'automatic', '400-499': 'json' };
}

/** Header paths whose values Make masks in its logs and DevTool: the API key travels in `authorization`. */
export const SANITIZED_PATHS = ['request.headers.authorization'];
