import { brand } from '@app/api-client';
import type { Bundle, ZObject } from 'zapier-platform-core';

// Plain HTTP would send the API key in clear text, so it is accepted only for a server on this machine.
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Returns the connection's API base URL without a trailing slash or `/v1`, defaulting to the brand's production URL.
 * Throws a Zapier error when the URL is invalid, or is not HTTPS and not a loopback address.
 */
export function resolveBaseUrl(z: ZObject, authData: Bundle['authData']): string {
  const configured = (authData['base_url'] ?? '').trim() || brand.defaultBaseUrl;
  const baseUrl = configured.replace(/\/+$/, '').replace(/\/v1$/, '');

  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new z.errors.Error(
      `The API Base URL "${configured}" is not a valid URL. Enter a URL such as ${brand.defaultBaseUrl}.`,
      'invalid_base_url',
      400,
    );
  }

  const secure =
    parsed.protocol === 'https:' ||
    (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname));
  if (!secure) {
    throw new z.errors.Error(
      `The API Base URL "${configured}" must start with https://, such as ${brand.defaultBaseUrl}.`,
      'invalid_base_url',
      400,
    );
  }
  return baseUrl;
}

/** Returns the absolute URL of a `/v1` route, such as `apiUrl(z, bundle, '/contacts')`. */
export function apiUrl(z: ZObject, bundle: Pick<Bundle, 'authData'>, path: string): string {
  return `${resolveBaseUrl(z, bundle.authData)}/v1${path}`;
}
