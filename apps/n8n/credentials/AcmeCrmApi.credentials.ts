import type {
  IAuthenticateGeneric,
  Icon,
  ICredentialTestRequest,
  ICredentialType,
  INodeProperties,
} from 'n8n-workflow';

import { brand } from '../nodes/shared/api-client';

/**
 * API key and base URL of one Acme CRM account. n8n adds the key as a bearer token to every request the nodes
 * send through `httpRequestWithAuthentication`.
 */
export class AcmeCrmApi implements ICredentialType {
  name = 'acmeCrmApi';

  displayName = 'Acme CRM API';

  icon: Icon = { light: 'file:../icons/acmecrm.svg', dark: 'file:../icons/acmecrm.dark.svg' };

  // A literal, because n8n's lint rules check the value; a test keeps it equal to `brand.apiKeysUrl`.
  documentationUrl = 'https://app.acmecrm.example/settings/api-keys';

  properties: INodeProperties[] = [
    {
      displayName: 'API Key',
      name: 'apiKey',
      type: 'string',
      typeOptions: { password: true },
      required: true,
      default: '',
      description: `API key of your account, starting with "${brand.apiKeyPrefix}_". Create one at ${brand.apiKeysUrl}.`,
    },
    {
      displayName: 'Base URL',
      name: 'baseUrl',
      type: 'string',
      required: true,
      default: brand.defaultBaseUrl,
      description:
        'Address of the API without the /v1 suffix. Change it only for a self-hosted or staging server.',
    },
  ];

  authenticate: IAuthenticateGeneric = {
    type: 'generic',
    properties: {
      headers: {
        Authorization: '=Bearer {{$credentials.apiKey}}',
      },
    },
  };

  // `GET /v1/account` is the cheapest authenticated route. n8n reports a response whose status matches a rule
  // with that rule's message, and a request that got no response with the network error code (ECONNREFUSED,
  // ENOTFOUND).
  test: ICredentialTestRequest = {
    request: {
      baseURL: '={{$credentials.baseUrl}}',
      url: '/v1/account',
      method: 'GET',
    },
    rules: [
      {
        type: 'responseCode',
        properties: {
          value: 401,
          message: `The API key is invalid or was revoked. Copy an active key from ${brand.apiKeysUrl}.`,
        },
      },
      {
        type: 'responseCode',
        properties: {
          value: 404,
          message: `The Base URL does not point to a ${brand.name} API (404 Not Found). Check the address and leave out the /v1 suffix.`,
        },
      },
    ],
  };
}
