// Test helpers that load nock. The end-to-end test must not import this module: importing nock installs its request
// interceptor, which the unit tests remove again in `useNock`'s afterAll.
import { brand } from '@app/api-client';
import nock from 'nock';

export const API_KEY = `${brand.apiKeyPrefix}_test_0123456789abcdef0123456789abcdef`;

/** A connection to the brand's default API URL, which nock intercepts in unit tests. */
export const authData = { api_key: API_KEY, base_url: brand.defaultBaseUrl };

/** Intercepts requests to the default API URL that carry the connection's API key. */
export function api(): nock.Scope {
  return nock(brand.defaultBaseUrl).matchHeader('authorization', `Bearer ${API_KEY}`);
}

/** Registers hooks that block real network access, fail a test that leaves an expected request unsent, and restore nock. */
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
