import type { BeforeRequestMiddleware } from 'zapier-platform-core';

import { resolveBaseUrl } from '../api-url.js';

/**
 * Sends the connection's API key as `Authorization: Bearer <key>` on requests to the connection's API base URL, and
 * on no other request, so the key never reaches another host.
 */
export const addApiKey: BeforeRequestMiddleware = (request, z, bundle) => {
  const apiKey = bundle.authData['api_key'];
  if (!apiKey) {
    return request;
  }

  const baseUrl = resolveBaseUrl(z, bundle.authData);
  if (request.url !== baseUrl && !request.url.startsWith(`${baseUrl}/`)) {
    return request;
  }

  request.headers = {
    ...request.headers,
    Accept: 'application/json',
    Authorization: `Bearer ${apiKey}`,
  };
  return request;
};
