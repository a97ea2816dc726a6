import fc from 'fast-check';

import { canonicalJson } from '../../src/http/canonical-json.js';

/**
 * Reference implementation: recursive, so only for shallow values. It builds the text itself because a JavaScript
 * object lists integer-like keys first whatever order they are inserted in.
 */
function sortedStringify(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(sortedStringify).join(',')}]`;
  }
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value);
  }
  const record = value as Record<string, unknown>;
  const fields = Object.keys(record)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${sortedStringify(record[key])}`);
  return `{${fields.join(',')}}`;
}

function shuffleKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(shuffleKeys);
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const entries = Object.entries(value as Record<string, unknown>).reverse();
  return Object.fromEntries(entries.map(([key, item]) => [key, shuffleKeys(item)]));
}

describe('canonicalJson', () => {
  test('matches recursive sorted serialiser', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(sortedStringify(value));
      }),
      { numRuns: 500 },
    );
  });

  test('ignores key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(shuffleKeys(value))).toBe(canonicalJson(value));
      }),
      { numRuns: 300 },
    );
  });

  test('output parses back to the value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // Through JSON.stringify, because JSON has no -0 and writes it as 0.
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });

  test('deep nesting does not overflow the stack', () => {
    const depth = 200_000;
    const value = JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown;

    const text = canonicalJson(value);

    expect(text).toHaveLength(2 * depth);
  });

  test('writes sorted keys and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined, d: { z: 1, y: 2 } })).toBe(
      '{"a":[true,null,"x"],"b":1,"d":{"y":2,"z":1}}',
    );
  });
});
