import type { JsonObject } from '../model.js';
import { problemErrorMapping, responseTypes, SANITIZED_PATHS } from './error-mapping.js';
import { API_KEY_PARAMETER, BASE_URL_PARAMETER } from './connection.js';

/**
 * Builds the base that every module, RPC and webhook request inherits: the API's `/v1` URL under the base URL of the
 * connection, the API key as a bearer token, error mapping for problem documents, and the key masked in logs.
 */
export function buildBase(): JsonObject {
  return {
    baseUrl: `{{connection.${BASE_URL_PARAMETER}}}/v1`,
    headers: { authorization: `Bearer {{connection.${API_KEY_PARAMETER}}}` },
    response: { type: responseTypes(), error: problemErrorMapping() },
    log: { sanitize: SANITIZED_PATHS },
  };
}
