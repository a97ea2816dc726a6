/** A value still to visit, linked to its parent so a path is only built for the string that is reported. */
interface Visit {
  item: unknown;
  key: string | number | undefined;
  parent: Visit | undefined;
}

/**
 * Returns the path of the first string in `value` that contains a NUL character (U+0000), or undefined when there is
 * none. PostgreSQL text cannot hold NUL, so such a string would fail at the database instead of at validation. The
 * walk uses an explicit stack and takes time linear in the size of `value`, so deeply nested input can neither
 * overflow the call stack nor take quadratic time.
 */
export function findNulCharacter(value: unknown): (string | number)[] | undefined {
  const pending: Visit[] = [{ item: value, key: undefined, parent: undefined }];

  while (pending.length > 0) {
    const visit = pending.pop() as Visit;
    const { item } = visit;
    if (typeof item === 'string') {
      if (item.includes('\u0000')) {
        return pathOf(visit);
      }
      continue;
    }
    if (Array.isArray(item)) {
      for (let index = item.length - 1; index >= 0; index -= 1) {
        pending.push({ item: item[index], key: index, parent: visit });
      }
      continue;
    }
    if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item as Record<string, unknown>);
      for (let index = entries.length - 1; index >= 0; index -= 1) {
        const [key, child] = entries[index] as [string, unknown];
        pending.push({ item: child, key, parent: visit });
      }
    }
  }
  return undefined;
}

function pathOf(visit: Visit): (string | number)[] {
  const path: (string | number)[] = [];
  for (
    let current: Visit | undefined = visit;
    current?.key !== undefined;
    current = current.parent
  ) {
    path.push(current.key);
  }
  return path.reverse();
}
