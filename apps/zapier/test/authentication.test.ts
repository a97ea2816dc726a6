import { brand, type Account } from '@app/api-client';
import nock from 'nock';
import type { ZObject } from 'zapier-platform-core';

import { authentication } from '../src/authentication';
import App from '../src/index';
import { appTester, rejectionOf, run } from './support/app-tester';
import { api, API_KEY, authData, useNock } from './support/nock-api';

useNock();

const account: Account = {
  id: 'acct_01JD3QA0B2C4D6E8F0G2H4J6K8',
  name: 'Analytical Engines Ltd',
  created_at: '2026-01-05T10:00:00.000Z',
};

describe('authentication', () => {
  test('is custom auth with the API key in a password field', () => {
    const fields = authentication.fields;

    expect(App.authentication).toBe(authentication);
    expect(authentication.type).toBe('custom');
    expect(fields.find((field) => field.key === 'api_key')).toMatchObject({
      type: 'password',
      required: true,
    });
    expect(fields.find((field) => field.key === 'base_url')).toMatchObject({
      default: brand.defaultBaseUrl,
    });
  });

  test('test returns the account of the key', async () => {
    api().get('/v1/account').reply(200, account);

    const result = await run(authentication.test, { authData });

    expect(result).toEqual(account);
  });

  test('test sends the key as a bearer token', async () => {
    nock(brand.defaultBaseUrl)
      .get('/v1/account')
      .reply(function reply() {
        return [200, { ...account, received: this.req.headers['authorization'] }];
      });

    const result = await run<{ received: string }>(authentication.test, { authData });

    expect(result.received).toBe(`Bearer ${API_KEY}`);
  });

  test('test asks to reconnect when the key is rejected', async () => {
    api().get('/v1/account').reply(
      401,
      {
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: 'Unknown API key.',
        code: 'unauthorized',
      },
      { 'content-type': 'application/problem+json' },
    );

    const error = await rejectionOf(run(authentication.test, { authData }));

    expect(error.name).toBe('ExpiredAuthError');
    expect(error.message).toContain('Reconnect');
    expect(error.message).toContain(brand.apiKeysUrl);
    expect(error.message).not.toContain(API_KEY);
  });

  test('test uses the base URL of the connection', async () => {
    nock('https://staging.acmecrm.example')
      .matchHeader('authorization', `Bearer ${API_KEY}`)
      .get('/v1/account')
      .reply(200, account);

    const result = await run(authentication.test, {
      authData: { api_key: API_KEY, base_url: 'https://staging.acmecrm.example/v1/' },
    });

    expect(result).toEqual(account);
  });

  test('test accepts plain HTTP on loopback', async () => {
    nock('http://127.0.0.1:8080').get('/v1/account').reply(200, account);

    const result = await run(authentication.test, {
      authData: { api_key: API_KEY, base_url: 'http://127.0.0.1:8080' },
    });

    expect(result).toEqual(account);
  });

  test('test rejects plain HTTP to another host', async () => {
    const error = await rejectionOf(
      run(authentication.test, {
        authData: { api_key: API_KEY, base_url: 'http://api.acmecrm.example' },
      }),
    );

    expect(error.message).toContain('must start with https://');
  });

  test('test rejects a base URL that is not a URL', async () => {
    const error = await rejectionOf(
      run(authentication.test, { authData: { api_key: API_KEY, base_url: 'api acmecrm' } }),
    );

    expect(error.message).toContain('is not a valid URL');
  });

  test('connection label is the account name', async () => {
    const label = await run(authentication.connectionLabel, { authData, inputData: account });

    expect(label).toBe(account.name);
  });

  test('connection label names a non-default host', async () => {
    const label = await run(authentication.connectionLabel, {
      authData: { api_key: API_KEY, base_url: 'https://staging.acmecrm.example' },
      inputData: account,
    });

    expect(label).toBe(`${account.name} (staging.acmecrm.example)`);
  });

  test('key is not sent to other hosts', async () => {
    nock('https://files.example.net', { badheaders: ['authorization'] })
      .get('/report.csv')
      .reply(200, 'id,name');

    const status = await appTester(
      async (z: ZObject) =>
        (await z.request({ url: 'https://files.example.net/report.csv' })).status,
      { authData },
    );

    expect(status).toBe(200);
  });
});
