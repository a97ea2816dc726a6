/** Response headers a recording keeps; the others (date, content-length, keep-alive) carry nothing to test. */
export const RECORDED_HEADERS = ['content-type', 'retry-after', 'idempotent-replayed'] as const;

/** One request and its response, as written to `test-fixtures/responses/<name>.json`. */
export interface RecordedExchange {
  request: {
    method: string;
    /** Path with the `/v1` prefix and any query string. */
    path: string;
    /** Request headers worth recording: only `idempotency-key`, when the request sent one. */
    headers?: Record<string, string>;
    body?: unknown;
  };
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON body; null when the response had none (204). */
  body: unknown;
}

/** One scripted request. */
export interface ScriptedRequest {
  /** File name of the recording, without `.json`. */
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path below `/v1`, starting with a slash. */
  path: string;
  body?: unknown;
  /** The status the API must return; any other aborts the recording. */
  expectedStatus: number;
  /** False to leave out the `Authorization` header. Default true. */
  withApiKey?: boolean;
  idempotencyKey?: string;
}

/**
 * Sends requests to a running server over real HTTP and keeps each one with its raw response. The API key goes into
 * the `Authorization` header only and is never part of a recorded exchange.
 */
export class RecordingClient {
  /** Every recorded exchange, in request order, before placeholders replace volatile values. */
  readonly exchanges: Array<{ name: string; exchange: RecordedExchange }> = [];

  constructor(private readonly options: { baseUrl: string; apiKey: string }) {}

  /**
   * Sends `request`, records it and returns the parsed body. Throws when the status differs from `expectedStatus`,
   * so a changed API stops the recording, and when the name is already used, because its file would be overwritten.
   */
  async record<T = unknown>(request: ScriptedRequest): Promise<T> {
    if (this.exchanges.some((entry) => entry.name === request.name)) {
      throw new Error(`recording name "${request.name}" is used twice; give each request its own`);
    }

    const response = await this.send(request);
    const text = await response.text();
    const body: unknown = text === '' ? null : JSON.parse(text);
    if (response.status !== request.expectedStatus) {
      throw new Error(
        `${request.name}: ${request.method} /v1${request.path} returned ${response.status}, expected ` +
          `${request.expectedStatus}: ${text.slice(0, 500)}`,
      );
    }

    const headers: Record<string, string> = {};
    for (const name of RECORDED_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) {
        headers[name] = value;
      }
    }
    this.exchanges.push({
      name: request.name,
      exchange: {
        request: {
          method: request.method,
          path: `/v1${request.path}`,
          ...(request.idempotencyKey === undefined
            ? {}
            : { headers: { 'idempotency-key': request.idempotencyKey } }),
          ...(request.body === undefined ? {} : { body: request.body }),
        },
        status: response.status,
        headers,
        body,
      },
    });
    return body as T;
  }

  /** Sends a GET without recording it, for polling; throws on a non-2xx status. */
  async get<T = unknown>(path: string): Promise<T> {
    const response = await this.send({ name: '', method: 'GET', path, expectedStatus: 200 });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`GET /v1${path} returned ${response.status}: ${text.slice(0, 500)}`);
    }
    return JSON.parse(text) as T;
  }

  private send(request: ScriptedRequest): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (request.withApiKey !== false) {
      headers['authorization'] = `Bearer ${this.options.apiKey}`;
    }
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
    }
    if (request.idempotencyKey !== undefined) {
      headers['idempotency-key'] = request.idempotencyKey;
    }

    return fetch(`${this.options.baseUrl}/v1${request.path}`, {
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    });
  }
}
