/** Text emitted as it is, as opposed to the values still to serialise. */
class Token {
  constructor(readonly text: string) {}
}

/**
 * Serialises a JSON value with the keys of every object sorted, so two documents that differ only in key order or
 * whitespace give the same text. It walks the value with an explicit stack instead of recursion, so a body nested
 * thousands of levels deep (which fits in a small request) cannot overflow the call stack. Values other than plain
 * JSON ones are written as `JSON.stringify` writes them, and `undefined` object fields are left out.
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  const pending: unknown[] = [value];

  while (pending.length > 0) {
    const item = pending.pop();
    if (item instanceof Token) {
      parts.push(item.text);
      continue;
    }

    if (Array.isArray(item)) {
      parts.push('[');
      pending.push(new Token(']'));
      // Pushed last to first so they pop first to last; JSON.stringify writes a missing element as null.
      for (let index = item.length - 1; index >= 0; index -= 1) {
        pending.push(item[index] === undefined ? null : item[index]);
        if (index > 0) {
          pending.push(new Token(','));
        }
      }
      continue;
    }

    if (item !== null && typeof item === 'object') {
      const record = item as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort();
      parts.push('{');
      pending.push(new Token('}'));
      for (let index = keys.length - 1; index >= 0; index -= 1) {
        const key = keys[index] as string;
        pending.push(record[key]);
        pending.push(new Token(`${JSON.stringify(key)}:`));
        if (index > 0) {
          pending.push(new Token(','));
        }
      }
      continue;
    }

    parts.push(JSON.stringify(item) ?? 'null');
  }

  return parts.join('');
}
