import { signatureHeaders, type EventEnvelope } from '@app/api-client';

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
