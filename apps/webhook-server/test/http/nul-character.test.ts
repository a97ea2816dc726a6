import { findNulCharacter } from '../../src/http/nul-character.js';

describe('findNulCharacter', () => {
  test('returns path of first NUL string', () => {
    expect(findNulCharacter({ a: 'ok', b: [1, 'x\u0000y'], c: '\u0000' })).toEqual(['b', 1]);
  });

  test('returns empty path for a NUL root string', () => {
    expect(findNulCharacter('\u0000')).toEqual([]);
  });

  test('returns undefined without NUL', () => {
    expect(findNulCharacter({ a: ['b', { c: 'd\u0001' }], e: null, f: 1 })).toBeUndefined();
  });

  test('ignores NUL in keys', () => {
    expect(findNulCharacter({ 'a\u0000': 'b' })).toBeUndefined();
  });

  test('handles deep nesting', () => {
    const depth = 100_000;
    const value = JSON.parse(`${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}`) as unknown;

    const path = findNulCharacter(value);

    expect(path).toHaveLength(depth);
    expect(path?.every((key) => key === 0)).toBe(true);
  });
});
