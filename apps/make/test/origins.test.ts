import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { readOrigins, writeOrigins } from '../src/origins';

const origin = {
  label: 'Production',
  baseUrl: 'https://eu1.make.com/api',
  appId: 'acme-crm-1a2b3c',
  appVersion: 1,
  apikeyFile: '../.secrets/apikey',
  idMapping: {
    connection: [{ local: 'acmecrm', remote: 'acme-crm-1a2b3c' }],
    webhook: [],
    module: [{ local: 'getContact', remote: 'getContact' }],
    rpc: [],
    function: [],
  },
};

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'make-origins-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('origins file', () => {
  test('missing file means no origins', () => {
    expect(readOrigins(join(directory, 'make-origins.json'))).toEqual([]);
  });

  test('write then read round-trips', () => {
    const path = join(directory, 'make-origins.json');
    writeOrigins(path, [origin]);

    expect(readOrigins(path)).toEqual([origin]);
  });

  test('zone URL without /api is rejected', () => {
    const path = join(directory, 'make-origins.json');
    writeFileSync(path, JSON.stringify([{ ...origin, baseUrl: 'https://eu1.make.com' }]));

    expect(() => readOrigins(path)).toThrow(
      /make-origins\.json: 0\.baseUrl: expected the zone API URL/,
    );
  });

  test('invalid JSON names the file', () => {
    const path = join(directory, 'make-origins.json');
    writeFileSync(path, '[{');

    expect(() => readOrigins(path)).toThrow(/make-origins\.json: invalid JSON/);
  });
});
