import type { BaseSpec, RequestSpec, ResponseSpec } from '../../src/validation/request-schema';
import type { WebhookCommunicationSpec } from '../../src/validation/webhook-schema';
import { evaluateValue, type ImlContext } from './iml-evaluator';

/**
 * Runs the requests of a generated app the way Make's engine does for the directives this generator emits:
 * inherits the base, renders IML, sends the request with `fetch`, maps errors through `response.error`, iterates,
 * applies `limit` and follows `pagination`. Used only by tests, against the real reference server.
 */

/** An error as Make would raise it: the type from `response.error` and the rendered message. */
export class MakeError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
    this.name = 'MakeError';
  }
}

/** One HTTP request the runner sent. */
export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** What a request produced: the bundles it output, what it stored (`data`, `metadata`) and what it sent. */
export interface RunResult {
  bundles: unknown[];
  data?: unknown;
  metadata?: unknown;
  requests: SentRequest[];
}

/** Options of `runRequest`. */
export interface RunOptions {
  /** The app's base, for module, RPC and webhook requests; the connection's own request runs without it. */
  base?: BaseSpec;
  /** `parameters`, `connection` and `webhook` as Make would provide them. */
  context: ImlContext;
}

/** Most pages one search may request in a test, so a wrong stop condition fails instead of looping. */
const MAX_PAGES = 50;

/** Runs one request specification. Throws `MakeError` for an HTTP error status. */
export async function runRequest(spec: RequestSpec, options: RunOptions): Promise<RunResult> {
  const request = inheritBase(spec, options.base);
  const requests: SentRequest[] = [];

  if (request.condition !== undefined && !evaluateValue(request.condition, options.context)) {
    return { bundles: [], requests };
  }

  const first = renderRequest(request, options.context, options.base);
  let response = await send(first, requests);
  let responseContext = checkResponse(request.response, response, options.context);

  const bundles = bundlesOf(request.response, responseContext);
  const limit = limitOf(request.response, responseContext);
  const result: RunResult = { bundles, requests };
  if (request.response?.data !== undefined) {
    result.data = evaluateValue(request.response.data, responseContext);
  }
  if (request.response?.metadata !== undefined) {
    result.metadata = evaluateValue(request.response.metadata, responseContext);
  }

  const pagination = request.pagination;
  let pages = 1;
  while (
    pagination &&
    bundles.length < limit &&
    evaluateValue(pagination.condition, responseContext)
  ) {
    if (pages >= MAX_PAGES) {
      throw new Error(
        `pagination requested more than ${MAX_PAGES} pages; the stop condition never became false`,
      );
    }
    const merge = pagination.mergeWithParent ?? true;
    const next: SentRequest = {
      method: pagination.method
        ? String(evaluateValue(pagination.method, responseContext))
        : first.method,
      url: pagination.url
        ? resolveUrl(String(evaluateValue(pagination.url, responseContext)), request, options)
        : first.url,
      headers: {
        ...(merge ? first.headers : {}),
        ...stringRecord(evaluateValue(pagination.headers ?? {}, responseContext)),
      },
    };
    const query = {
      ...(merge ? queryOf(first.url) : {}),
      ...stringRecord(evaluateValue(pagination.qs ?? {}, responseContext)),
    };
    next.url = withQuery(next.url.split('?')[0] ?? next.url, query);
    if (pagination.body !== undefined) {
      next.body = evaluateValue(pagination.body, responseContext);
    }

    response = await send(next, requests);
    responseContext = checkResponse(request.response, response, options.context);
    bundles.push(...bundlesOf(request.response, responseContext));
    pages += 1;
  }

  result.bundles = bundles.slice(0, limit);
  return result;
}

/** Turns one incoming webhook request into bundles, as a webhook's communication describes. */
export function runWebhookCommunication(
  spec: WebhookCommunicationSpec,
  incoming: { body: unknown; headers: Record<string, string>; query?: Record<string, string> },
): unknown[] {
  const context: ImlContext = {
    body: incoming.body,
    headers: incoming.headers,
    query: incoming.query ?? {},
  };
  if (spec.condition !== undefined && !evaluateValue(spec.condition, context)) {
    return [];
  }
  if (spec.iterate === undefined) {
    return [spec.output === undefined ? incoming.body : evaluateValue(spec.output, context)];
  }
  const container = typeof spec.iterate === 'string' ? spec.iterate : spec.iterate.container;
  const items = evaluateValue(container, context);
  return (Array.isArray(items) ? items : []).map((item) =>
    spec.output === undefined ? item : evaluateValue(spec.output, { ...context, item }),
  );
}

function inheritBase(spec: RequestSpec, base: BaseSpec | undefined): RequestSpec {
  if (!base) {
    return spec;
  }
  return {
    ...spec,
    headers: { ...base.headers, ...spec.headers },
    qs: base.qs || spec.qs ? { ...base.qs, ...spec.qs } : undefined,
    response: mergeResponse(base.response, spec.response),
  };
}

function mergeResponse(
  base: ResponseSpec | undefined,
  own: ResponseSpec | undefined,
): ResponseSpec | undefined {
  if (!base || !own) {
    return own ?? base;
  }
  const error =
    typeof base.error === 'object' && typeof own.error === 'object'
      ? { ...base.error, ...own.error }
      : (own.error ?? base.error);
  return { ...base, ...own, ...(error === undefined ? {} : { error }) } as ResponseSpec;
}

function renderRequest(
  request: RequestSpec,
  context: ImlContext,
  base: BaseSpec | undefined,
): SentRequest {
  const method = request.method ? String(evaluateValue(request.method, context)) : 'GET';
  const url = resolveUrl(String(evaluateValue(request.url, context)), request, { base, context });
  const rendered: SentRequest = {
    method,
    url: withQuery(url, stringRecord(evaluateValue(request.qs ?? {}, context))),
    headers: stringRecord(evaluateValue(request.headers ?? {}, context)),
  };
  if (method !== 'GET' && request.body !== undefined) {
    rendered.body = evaluateValue(request.body, context);
  }
  return rendered;
}

/** Resolves a request URL: one starting with `/` is appended to the base URL, then encoded unless `encodeUrl` is false. */
function resolveUrl(url: string, request: RequestSpec, options: RunOptions): string {
  if (!url.startsWith('/')) {
    return new URL(url).toString();
  }
  if (!options.base) {
    throw new Error(`relative URL "${url}" without a base`);
  }
  const baseUrl = String(evaluateValue(options.base.baseUrl, options.context));
  return request.encodeUrl === false ? baseUrl + url : new URL(baseUrl + url).toString();
}

interface ReceivedResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

async function send(request: SentRequest, log: SentRequest[]): Promise<ReceivedResponse> {
  log.push(request);
  const headers: Record<string, string> = { ...request.headers };
  let body: string | undefined;
  if (request.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.body);
  }

  const response = await fetch(request.url, {
    method: request.method,
    headers,
    ...(body === undefined ? {} : { body }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  const received: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    received[key] = value;
  });
  return { status: response.status, headers: received, body: parseBody(text) };
}

function parseBody(text: string): unknown {
  if (text.length === 0) {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Adds `body`, `headers` and `statusCode` to the context, or throws the mapped `MakeError` for a 4xx or 5xx. */
function checkResponse(
  spec: ResponseSpec | undefined,
  response: ReceivedResponse,
  context: ImlContext,
): ImlContext {
  const responseContext = {
    ...context,
    body: response.body,
    headers: response.headers,
    statusCode: response.status,
  };
  if (response.status < 400) {
    return responseContext;
  }

  const error = spec?.error;
  if (error === undefined) {
    throw new MakeError('RuntimeError', `Status Code Error: ${response.status}`, response.status);
  }
  if (typeof error === 'string') {
    throw new MakeError(
      'RuntimeError',
      String(evaluateValue(error, responseContext)),
      response.status,
    );
  }
  const byStatus = (error as Record<string, { message: string; type?: string } | undefined>)[
    String(response.status)
  ];
  const chosen = byStatus ?? { message: error.message, type: error.type };
  throw new MakeError(
    chosen.type ?? 'RuntimeError',
    String(evaluateValue(chosen.message, responseContext)),
    response.status,
  );
}

function bundlesOf(spec: ResponseSpec | undefined, context: ImlContext): unknown[] {
  if (spec?.iterate === undefined) {
    return [spec?.output === undefined ? context['body'] : evaluateValue(spec.output, context)];
  }
  const container = typeof spec.iterate === 'string' ? spec.iterate : spec.iterate.container;
  const items = evaluateValue(container, context);
  if (!Array.isArray(items)) {
    throw new Error(`response.iterate ${container} did not evaluate to an array`);
  }
  return items.map((item) =>
    spec.output === undefined ? item : evaluateValue(spec.output, { ...context, item }),
  );
}

function limitOf(spec: ResponseSpec | undefined, context: ImlContext): number {
  if (spec?.limit === undefined) {
    return Number.POSITIVE_INFINITY;
  }
  const limit = Number(evaluateValue(spec.limit, context));
  return Number.isFinite(limit) && limit > 0 ? limit : Number.POSITIVE_INFINITY;
}

/** Drops undefined and null entries and turns the rest into strings, as a query string or headers carry them. */
function stringRecord(value: unknown): Record<string, string> {
  const record: Record<string, string> = {};
  if (value === null || typeof value !== 'object') {
    return record;
  }
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined && item !== null) {
      record[key] = String(item);
    }
  }
  return record;
}

function queryOf(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams);
}

function withQuery(url: string, query: Record<string, string>): string {
  const parsed = new URL(url);
  for (const [key, value] of Object.entries(query)) {
    parsed.searchParams.set(key, value);
  }
  return parsed.toString();
}
