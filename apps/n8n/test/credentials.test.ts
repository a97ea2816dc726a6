import { once } from 'node:events';
import { createServer } from 'node:net';

import { brand } from '@app/api-client';
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { AcmeCrmApi } from '../credentials/AcmeCrmApi.credentials';
import { authenticate, resolveCredentialExpression, sendLikeN8n } from './support/n8n-http';
import { startReferenceServer, type ReferenceServer } from './support/reference-server';

let server: ReferenceServer;

beforeAll(async () => {
  server = await startReferenceServer();
});

afterAll(async () => {
  await server.close();
});

/**
 * Runs the credential's `test` request the way n8n's credentials tester does. The request is resolved and
 * authenticated with the credential. A response status that matches a `responseCode` rule reports that rule's
 * message, any other failed status reports the status text, and a request without a response reports the error
 * code.
 */
async function testCredential(
  credentials: ICredentialDataDecryptedObject,
): Promise<{ status: string; message: string }> {
  const credentialType = new AcmeCrmApi();
  const { request, rules } = credentialType.test;
  const options: IHttpRequestOptions = {
    method: request.method,
    baseURL: resolveCredentialExpression(String(request.baseURL), credentials),
    url: resolveCredentialExpression(String(request.url), credentials),
    json: true,
  };

  try {
    await sendLikeN8n(authenticate(credentialType, credentials, options));
  } catch (error) {
    const response = (error as { response?: { status: number; statusText: string } }).response;
    if (response !== undefined) {
      for (const rule of rules ?? []) {
        if (rule.type === 'responseCode' && rule.properties.value === response.status) {
          return { status: 'Error', message: rule.properties.message };
        }
      }
      return {
        status: 'Error',
        message: response.statusText || `Received HTTP status code: ${response.status}`,
      };
    }
    return {
      status: 'Error',
      message: String((error as { code?: string }).code ?? (error as Error).message),
    };
  }
  return { status: 'OK', message: 'Connection successful!' };
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('credential', () => {
  test('valid key passes the test', async () => {
    const result = await testCredential({ apiKey: server.apiKey, baseUrl: server.url });

    expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
  });

  test('base URL with trailing slash passes', async () => {
    const result = await testCredential({ apiKey: server.apiKey, baseUrl: `${server.url}/` });

    expect(result.status).toBe('OK');
  });

  test('wrong key reports an invalid key', async () => {
    const result = await testCredential({
      apiKey: 'acme_test_revoked_key_0000000000000000',
      baseUrl: server.url,
    });

    expect(result.status).toBe('Error');
    expect(result.message).toBe(
      `The API key is invalid or was revoked. Copy an active key from ${brand.apiKeysUrl}.`,
    );
  });

  test('base URL ending in /v1 reports a wrong URL', async () => {
    const result = await testCredential({ apiKey: server.apiKey, baseUrl: `${server.url}/v1` });

    expect(result.status).toBe('Error');
    expect(result.message).toContain('The Base URL does not point to a');
  });

  test('unreachable URL reports the network error', async () => {
    const port = await closedPort();

    const result = await testCredential({
      apiKey: server.apiKey,
      baseUrl: `http://127.0.0.1:${port}`,
    });

    expect(result).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
  });

  test('authenticate adds the bearer header', () => {
    const options = authenticate(
      new AcmeCrmApi(),
      { apiKey: 'acme_live_abc', baseUrl: server.url },
      { url: '/' },
    );

    expect(options.headers).toEqual({ Authorization: 'Bearer acme_live_abc' });
  });

  test('defaults come from the brand', () => {
    const credentialType = new AcmeCrmApi();
    const baseUrl = credentialType.properties.find((property) => property.name === 'baseUrl');
    const apiKey = credentialType.properties.find((property) => property.name === 'apiKey');

    expect(baseUrl?.default).toBe(brand.defaultBaseUrl);
    expect(apiKey?.typeOptions?.password).toBe(true);
    expect(credentialType.documentationUrl).toBe(brand.apiKeysUrl);
    expect(credentialType.displayName.startsWith(brand.name)).toBe(true);
  });
});
