import type {
  ICredentialDataDecryptedObject,
  ICredentialType,
  IDataObject,
  IHttpRequestOptions,
  INode,
  JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/** The response shape of n8n's `httpRequest` with `returnFullResponse: true`. */
export interface FullResponse {
  body: unknown;
  headers: Record<string, string>;
  statusCode: number;
  statusMessage: string;
}

/** Every request the helpers sent, for assertions about what went over the wire. */
export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/**
 * Sends a request the way n8n-core's `httpRequest` helper does with axios, over a real connection. It joins
 * `baseURL` and `url`, sends `qs` as query string without undefined or null values, adds `Accept:
 * application/json` for `json: true`, and sends a non-empty object body as JSON but no body on GET. The response
 * body is parsed as JSON when it is JSON and kept as text otherwise. Without `ignoreHttpStatusErrors` a non-2xx
 * status throws. A request without a response throws an error carrying the network code (ECONNREFUSED, ...), as
 * axios does.
 */
export async function sendLikeN8n(
  options: IHttpRequestOptions,
  sent?: SentRequest[],
): Promise<unknown> {
  const url = new URL(joinUrl(options.baseURL, options.url));
  for (const [key, value] of Object.entries(options.qs ?? {})) {
    if (value !== undefined && value !== null) {
      url.searchParams.set(key, String(value));
    }
  }

  const method = (options.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.headers ?? {})) {
    headers[key.toLowerCase()] = String(value);
  }
  if (options.json && headers['accept'] === undefined) {
    headers['accept'] = 'application/json';
  }

  let body: string | undefined;
  const rawBody = options.body;
  if (method !== 'GET' && typeof rawBody === 'string' && rawBody !== '') {
    body = rawBody;
  } else if (method !== 'GET' && isNonEmptyObject(rawBody)) {
    body = JSON.stringify(rawBody);
    headers['content-type'] ??= 'application/json';
  }
  sent?.push({ method, url: url.toString(), headers, body });

  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body,
      signal: AbortSignal.timeout(options.timeout ?? 300_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    const code = cause?.code ?? 'ECONNABORTED';
    throw Object.assign(new Error(`${method} ${url.toString()} failed: ${code}`), {
      code,
      cause: error,
    });
  }

  const text = await response.text();
  const data = parseLikeAxios(text);
  if (!options.ignoreHttpStatusErrors && (response.status < 200 || response.status >= 300)) {
    throw Object.assign(new Error(`Request failed with status code ${response.status}`), {
      response: { status: response.status, statusText: response.statusText, data },
    });
  }

  if (options.returnFullResponse) {
    const full: FullResponse = {
      body: data,
      headers: Object.fromEntries(response.headers.entries()),
      statusCode: response.status,
      statusMessage: response.statusText,
    };
    return full;
  }
  return data;
}

/**
 * Applies a credential type's generic `authenticate` definition to the request, resolving `{{$credentials.name}}`
 * placeholders, as n8n's credentials helper does for `httpRequestWithAuthentication`.
 */
export function authenticate(
  credentialType: ICredentialType,
  credentials: ICredentialDataDecryptedObject,
  options: IHttpRequestOptions,
): IHttpRequestOptions {
  const definition = credentialType.authenticate;
  if (
    definition === undefined ||
    typeof definition === 'function' ||
    definition.type !== 'generic'
  ) {
    throw new Error(
      `credential type ${credentialType.name} has no generic authenticate definition`,
    );
  }

  const headers: IDataObject = { ...(options.headers ?? {}) };
  for (const [name, template] of Object.entries(definition.properties.headers ?? {})) {
    headers[name] = resolveCredentialExpression(String(template), credentials);
  }
  const qs: IDataObject = { ...(options.qs ?? {}) };
  for (const [name, template] of Object.entries(definition.properties.qs ?? {})) {
    qs[name] = resolveCredentialExpression(String(template), credentials);
  }
  return { ...options, headers, qs };
}

/**
 * Resolves the one expression form credential definitions use here: `={{$credentials.name}}` placeholders inside
 * a string that starts with `=`. Throws on any other expression, so a test cannot pass with an unresolved one.
 */
export function resolveCredentialExpression(
  template: string,
  credentials: ICredentialDataDecryptedObject,
): string {
  if (!template.startsWith('=')) {
    return template;
  }
  const resolved = template
    .slice(1)
    .replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_match, name: string) => {
      const value = credentials[name];
      if (value === undefined) {
        throw new Error(`credential has no field ${name}`);
      }
      return String(value);
    });
  if (resolved.includes('{{')) {
    throw new Error(`unsupported expression in ${template}`);
  }
  return resolved;
}

/**
 * Builds the `httpRequestWithAuthentication` helper of a node context: authenticates with the credential type,
 * sends the request over the network and wraps failures in `NodeApiError`, as n8n-core does.
 */
export function httpRequestWithAuthentication(options: {
  node: INode;
  credentialType: ICredentialType;
  credentials: ICredentialDataDecryptedObject;
  sent?: SentRequest[];
}) {
  return async (credentialsType: string, requestOptions: IHttpRequestOptions): Promise<unknown> => {
    if (credentialsType !== options.credentialType.name) {
      throw new Error(`the node requested credential type ${credentialsType}`);
    }
    try {
      return await sendLikeN8n(
        authenticate(options.credentialType, options.credentials, requestOptions),
        options.sent,
      );
    } catch (error) {
      throw new NodeApiError(options.node, error as JsonObject);
    }
  };
}

function joinUrl(baseUrl: string | undefined, url: string): string {
  if (baseUrl === undefined || /^https?:\/\//.test(url)) {
    return url;
  }
  return `${baseUrl.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

function isNonEmptyObject(value: unknown): value is object {
  return value !== null && typeof value === 'object' && Object.keys(value).length > 0;
}

function parseLikeAxios(text: string): unknown {
  if (text === '') {
    return '';
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
