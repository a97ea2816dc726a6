import { brand, signatureHeaders, type EventEnvelope } from '@app/api-client';
import nock from 'nock';
import {
  createAppTester,
  type BasicHookOperation,
  type Bundle,
  type Trigger,
  type ZObject,
} from 'zapier-platform-core';

import App from '../../src/index';

/** The app under test, run through Zapier's handler with its middleware and checks. */
export const appTester = createAppTester(App);

export const API_KEY = `${brand.apiKeyPrefix}_test_0123456789abcdef0123456789abcdef`;

/** A connection to the brand's default API URL, which nock intercepts in unit tests. */
export const authData = { api_key: API_KEY, base_url: brand.defaultBaseUrl };

/** Intercepts requests to the default API URL that carry the connection's API key. */
export function api(): nock.Scope {
  return nock(brand.defaultBaseUrl).matchHeader('authorization', `Bearer ${API_KEY}`);
}

/** A Zapier hook request: `rawRequest` and `cleanedRequest` as Zapier passes them to `perform`. */
export interface HookRequest {
  rawRequest: {
    method: 'POST';
    querystring: string;
    headers: Record<string, string>;
    content: string;
  };
  cleanedRequest: unknown;
}

/**
 * Renames a request header the way Zapier does before passing it to `perform`: CGI style, so `webhook-id` becomes
 * `Http-Webhook-Id`. Content-Type and Content-Length keep their names, as in CGI.
 */
export function zapierHeaderName(name: string): string {
  const titleCase = name
    .toLowerCase()
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('-');
  return ['content-type', 'content-length'].includes(name.toLowerCase())
    ? titleCase
    : `Http-${titleCase}`;
}

/** Builds the hook request Zapier would pass to `perform` for a request with these raw headers and body. */
export function toHookRequest(headers: Record<string, string>, body: string): HookRequest {
  const renamed: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    renamed[zapierHeaderName(name)] = value;
  }
  return {
    rawRequest: { method: 'POST', querystring: '', headers: renamed, content: body },
    cleanedRequest: JSON.parse(body) as unknown,
  };
}

/** Signs `envelope` with `secret` like the server's delivery worker and returns the hook request Zapier forwards. */
export function signedHookRequest(
  envelope: EventEnvelope,
  secret: string,
  options: { timestamp?: number } = {},
): HookRequest {
  const body = JSON.stringify(envelope);
  const headers = signatureHeaders(secret, {
    id: envelope.event_id,
    body,
    timestamp: options.timestamp,
  });
  return toHookRequest({ ...headers, 'content-type': 'application/json' }, body);
}

/** Registers hooks that block real network access, fail a test that leaves an expected request unsent, and restore. */
export function useNock(): void {
  beforeAll(() => {
    if (!nock.isActive()) {
      nock.activate();
    }
    nock.disableNetConnect();
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });
}

/** Runs one of the app's functions through `appTester` with a partial bundle, as Zapier would call it. */
export function run<T>(operation: unknown, bundle: Record<string, unknown>): Promise<T> {
  if (typeof operation !== 'function') {
    throw new TypeError('run expects a function of the app definition');
  }
  return appTester(
    operation as (z: ZObject, bundle: Bundle) => Promise<T>,
    bundle as Partial<Bundle>,
  );
}

/** Returns the hook operation of an event trigger; throws when the key is not a REST-hook trigger. */
export function hookOperation(key: string): BasicHookOperation {
  const operation = (App.triggers as Record<string, Trigger>)[key]?.operation;
  if (!operation || operation.type !== 'hook') {
    throw new Error(`${key} is not a REST-hook trigger of the app`);
  }
  return operation;
}

/** Returns the `perform` of a polling trigger; throws when the key is not a polling trigger of the app. */
export function pollingPerform(key: string): unknown {
  const operation = (App.triggers as Record<string, Trigger>)[key]?.operation;
  if (!operation || operation.type !== 'polling') {
    throw new Error(`${key} is not a polling trigger of the app`);
  }
  return operation.perform;
}

/** Parses the message of a `z.errors.Error`, which Zapier serialises as JSON `{message, code, status}`. */
export function appErrorOf(error: unknown): { message: string; code: string; status: number } {
  return JSON.parse((error as Error).message) as { message: string; code: string; status: number };
}

/** Returns the error a promise rejects with; fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}
