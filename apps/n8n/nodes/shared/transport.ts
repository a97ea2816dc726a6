import { randomUUID } from 'crypto';

import type {
  IDataObject,
  IExecuteFunctions,
  IHookFunctions,
  IHttpRequestMethods,
  IHttpRequestOptions,
  ILoadOptionsFunctions,
  IWebhookFunctions,
  JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { brand } from './api-client';
import { problemToNodeApiError } from './errors';

/** Name of the credential type both nodes authenticate with. */
export const CREDENTIAL_TYPE = 'acmeCrmApi';

/** The stored fields of an `acmeCrmApi` credential. */
export interface AcmeCrmCredentials {
  apiKey: string;
  baseUrl: string;
}

/** Node contexts that can send API requests. */
export type ApiContext =
  IExecuteFunctions | IHookFunctions | IWebhookFunctions | ILoadOptionsFunctions;

/** One request to the `/v1` API. */
export interface ApiRequest {
  method: IHttpRequestMethods;
  /** Path below `/v1`, such as `/contacts`; ids in it must already be URL-encoded. */
  path: string;
  /** Query parameters; undefined, null and empty values are left out. */
  query?: IDataObject;
  body?: IDataObject;
  /** `Idempotency-Key` of a POST; a random one is sent when absent. */
  idempotencyKey?: string;
  /** Index of the input item the request belongs to, attached to errors. */
  itemIndex?: number;
}

/** Status and decoded body of one API response. */
export interface ApiResponse<T> {
  statusCode: number;
  body: T;
}

// Time to wait for a response before n8n aborts the request, in milliseconds.
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Sends one request to the `/v1` API with the node's credential and returns the status and body of the response,
 * whatever its status. Throws `NodeApiError` only when no response arrived (refused connection, unknown host,
 * timeout), and `NodeOperationError` when the credential's Base URL is not an HTTP(S) URL.
 */
export async function sendApiRequest<T>(
  context: ApiContext,
  request: ApiRequest,
): Promise<ApiResponse<T>> {
  const credentials = await context.getCredentials<AcmeCrmCredentials>(CREDENTIAL_TYPE);
  const url = `${apiBaseUrl(context, credentials.baseUrl)}${request.path}`;

  const headers: IDataObject = { accept: 'application/json' };
  if (request.method === 'POST') {
    headers['idempotency-key'] = request.idempotencyKey ?? randomUUID();
  }

  const options: IHttpRequestOptions = {
    method: request.method,
    url,
    headers,
    qs: compactQuery(request.query),
    json: true,
    timeout: REQUEST_TIMEOUT_MS,
    returnFullResponse: true,
    ignoreHttpStatusErrors: true,
  };
  if (request.body !== undefined) {
    options.body = request.body;
  }

  let response: { statusCode: number; body: unknown };
  try {
    response = await context.helpers.httpRequestWithAuthentication.call(
      context,
      CREDENTIAL_TYPE,
      options,
    );
  } catch (error) {
    throw connectionError(context, error, url, request.itemIndex);
  }

  return { statusCode: response.statusCode, body: decodeBody(response.body) as T };
}

/**
 * Sends one request to the `/v1` API and returns the body of its 2xx response (undefined for 204). Throws
 * `NodeApiError` carrying the server's message, field and code for any other status; see `sendApiRequest` for
 * requests that get no response.
 */
export async function apiRequest<T>(context: ApiContext, request: ApiRequest): Promise<T> {
  const response = await sendApiRequest<T>(context, request);
  if (isSuccess(response.statusCode)) {
    return response.body;
  }
  throw problemToNodeApiError(context.getNode(), response, request.itemIndex);
}

/** Returns `true` for a 2xx status. */
export function isSuccess(statusCode: number): boolean {
  return statusCode >= 200 && statusCode < 300;
}

/** Encodes one path segment, such as a contact id typed by a user. */
export function pathSegment(value: string): string {
  return encodeURIComponent(value);
}

// Accepts the base URL with or without a trailing slash or `/v1`, as users paste it in both forms.
function apiBaseUrl(context: ApiContext, baseUrl: string): string {
  const trimmed = baseUrl.trim().replace(/\/+$/, '').replace(/\/v1$/, '');

  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch (error) {
    throw new NodeOperationError(context.getNode(), error as Error, {
      message: `The Base URL "${baseUrl}" in the ${brand.name} credential is not a valid URL`,
      description: `Enter an address such as ${brand.defaultBaseUrl}.`,
    });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new NodeOperationError(
      context.getNode(),
      `The Base URL "${baseUrl}" in the ${brand.name} credential must start with https:// or http://`,
    );
  }

  return `${trimmed}/v1`;
}

function compactQuery(query: IDataObject | undefined): IDataObject {
  const result: IDataObject = {};
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') {
      result[key] = value;
    }
  }
  return result;
}

// n8n decodes JSON bodies, but a problem document sent as text (or an empty 204 body) arrives as a string.
function decodeBody(body: unknown): unknown {
  if (typeof body !== 'string') {
    return body;
  }
  if (body === '') {
    return undefined;
  }
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

// Turns a request that got no response into an error that names the URL and the network error code.
function connectionError(
  context: ApiContext,
  error: unknown,
  url: string,
  itemIndex: number | undefined,
): NodeApiError {
  const code = findNetworkErrorCode(error);
  if (code === undefined) {
    return new NodeApiError(context.getNode(), error as JsonObject, { itemIndex });
  }

  return new NodeApiError(
    context.getNode(),
    { message: error instanceof Error ? error.message : String(error) },
    {
      message: `Could not reach the ${brand.name} API at ${url}`,
      description: `The request failed with ${code} before any response arrived. Check the Base URL in the ${brand.name} credential and that n8n can reach that server.`,
      itemIndex,
    },
  );
}

// Node's network errors carry a code such as ECONNREFUSED; n8n wraps them once or twice, so look through causes.
function findNetworkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) {
      return code;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
