import { brand, type Account } from '@app/api-client';
import type { Authentication, Bundle, ZObject } from 'zapier-platform-core';

import { apiUrl, resolveBaseUrl } from './api-url.js';

/** Calls `GET /v1/account`, the cheapest request that proves the API key works; returns the account. */
export async function testAuthentication(z: ZObject, bundle: Bundle): Promise<Account> {
  const response = await z.request<Account>({ url: apiUrl(z, bundle, '/account'), method: 'GET' });
  return response.data;
}

/**
 * Labels a connection with the account name that the test returned (Zapier passes it as `bundle.inputData`), and
 * the API host when the connection does not use the default one, so staging and production connections differ.
 */
export async function connectionLabel(z: ZObject, bundle: Bundle): Promise<string> {
  const name = typeof bundle.inputData['name'] === 'string' ? bundle.inputData['name'] : '';
  const baseUrl = resolveBaseUrl(z, bundle.authData);
  if (baseUrl === brand.defaultBaseUrl) {
    return name;
  }
  return `${name} (${new URL(baseUrl).host})`;
}

/** API key authentication: the key and an optional base URL, sent by the `addApiKey` middleware. */
export const authentication = {
  type: 'custom',
  fields: [
    {
      key: 'api_key',
      label: 'API Key',
      type: 'password',
      required: true,
      helpText: `Create an API key in ${brand.name} under [Settings > API Keys](${brand.apiKeysUrl}). Keys start with \`${brand.apiKeyPrefix}_\`.`,
    },
    {
      key: 'base_url',
      label: 'API Base URL',
      type: 'string',
      required: false,
      default: brand.defaultBaseUrl,
      isNoSecret: true,
      helpText: `Leave the default unless your ${brand.name} administrator gave you another address, for example for a staging environment. It must start with https://.`,
    },
  ],
  test: testAuthentication,
  connectionLabel,
} satisfies Authentication;
