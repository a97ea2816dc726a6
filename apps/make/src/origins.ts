import { existsSync, readFileSync, writeFileSync } from 'node:fs';

import { z } from 'zod';

import type { Origin } from './model.js';
import { originSchema } from './validation/manifest-schema.js';

const originsFileSchema = z.array(originSchema);

/**
 * Reads the Make apps to deploy to from `make-origins.json` (a JSON array of `makecomapp.json` origins), or returns
 * an empty list when the file does not exist. Throws an `Error` naming the file and field when it is invalid.
 */
export function readOrigins(path: string): Origin[] {
  if (!existsSync(path)) {
    return [];
  }

  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new Error(`${path}: invalid JSON (${(error as Error).message})`, { cause: error });
  }

  const result = originsFileSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(
      `${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid origins'}`,
    );
  }
  return result.data as Origin[];
}

/** Writes origins to `make-origins.json`, indented by two spaces so the repository's Prettier check accepts it. */
export function writeOrigins(path: string, origins: Origin[]): void {
  writeFileSync(path, `${JSON.stringify(origins, null, 2)}\n`);
}
