import type { BrandInput } from '../input.js';
import type { ConnectionComponent, MakeParameter } from '../model.js';
import { problemErrorMapping, responseTypes, SANITIZED_PATHS } from './error-mapping.js';

/** Connection parameter that contains the API key. */
export const API_KEY_PARAMETER = 'apiKey';

/** Connection parameter that contains the API base URL, without `/v1`. */
export const BASE_URL_PARAMETER = 'baseUrl';

/**
 * Builds the API key connection. Its check is one `GET /v1/account`, which fails with 401 for an unknown key and names
 * the account, shown next to the connection so a user can tell several apart. The connection's own request does
 * not inherit the base, so it carries the URL, header and error mapping itself.
 */
export function buildConnection(brand: BrandInput): ConnectionComponent {
  const params: MakeParameter[] = [
    {
      name: API_KEY_PARAMETER,
      label: 'API Key',
      type: 'password',
      required: true,
      editable: true,
      help: `Create an API key in ${brand.name} under [Settings > API keys](${brand.apiKeysUrl}).`,
    },
    {
      name: BASE_URL_PARAMETER,
      label: 'API Base URL',
      type: 'url',
      required: true,
      editable: true,
      advanced: true,
      default: brand.defaultBaseUrl,
      help: `Change it only for a self-hosted or test server. Enter it without \`/v1\` and without a trailing slash, such as \`${brand.defaultBaseUrl}\`.`,
    },
  ];

  return {
    id: brand.slug,
    label: brand.name,
    connectionType: 'basic',
    sections: {
      communication: {
        url: `{{parameters.${BASE_URL_PARAMETER}}}/v1/account`,
        method: 'GET',
        headers: { authorization: `Bearer {{parameters.${API_KEY_PARAMETER}}}` },
        response: {
          type: responseTypes(),
          metadata: { type: 'text', value: '{{body.name}}' },
          error: problemErrorMapping(),
        },
        log: { sanitize: SANITIZED_PATHS },
      },
      params,
    },
  };
}
