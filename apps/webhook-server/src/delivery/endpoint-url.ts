import { ipLiteralOf, isForbiddenAddress } from './address-policy.js';

/**
 * Checks an endpoint URL when it is created or changed and returns why it is rejected, or undefined when it is
 * accepted. Always rejected: a scheme other than http or https, and credentials in the URL (they would be sent to
 * the receiver and shown in the API). Unless `allowPrivateUrls` is on, also rejected: an IP literal in a forbidden
 * range and `localhost` names. DNS names are checked again when each attempt connects (see ssrf-guard.ts), because
 * what a name resolves to can change after this check.
 */
export function rejectEndpointUrl(url: string, allowPrivateUrls: boolean): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a valid absolute URL';
  }

  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return `uses ${parsed.protocol.slice(0, -1)}; only http and https URLs can receive webhooks`;
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return 'contains credentials (user:password@); remove them and authenticate the webhook by its signature';
  }
  if (allowPrivateUrls) {
    return undefined;
  }

  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return `points at ${host}, which is this server; use a publicly reachable host`;
  }
  const literal = ipLiteralOf(parsed.hostname);
  if (literal !== undefined && isForbiddenAddress(literal)) {
    return `points at ${literal}, a private, loopback, link-local or reserved address; use a publicly reachable host`;
  }
  return undefined;
}
