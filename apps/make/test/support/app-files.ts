import { generateMakeApp } from '../../src/generate';
import { catalogInput } from '../../src/input';
import { JSONC_HEADER } from '../../src/layout';
import { parseJsonc } from '../../src/validation/jsonc';
import type { ParsedApp } from '../../src/validation/parsed-app';
import { validateAppFiles } from '../../src/validation/validate-app';

/** Generates the app and returns it as a map of path to contents. */
export function generatedFiles(): Map<string, string> {
  return new Map(generateMakeApp(catalogInput()).map((file) => [file.path, file.contents]));
}

/** Returns a copy of `files` where the JSON of `path` was changed by `mutate`, keeping the header if it had one. */
export function mutateJson(
  files: ReadonlyMap<string, string>,
  path: string,
  mutate: (value: Record<string, unknown> & unknown[]) => void,
): Map<string, string> {
  const text = files.get(path);
  if (text === undefined) {
    throw new Error(`no generated file ${path}`);
  }
  const value = parseJsonc(text, path) as Record<string, unknown> & unknown[];
  mutate(value);

  const json = `${JSON.stringify(value, null, 4)}\n`;
  const copy = new Map(files);
  copy.set(path, text.startsWith(JSONC_HEADER) ? `${JSONC_HEADER}\n${json}` : json);
  return copy;
}

/** Validates app files and returns the parsed app; throws listing every problem when they are invalid. */
export function parseApp(files: ReadonlyMap<string, string>): ParsedApp {
  const result = validateAppFiles(files);
  if (!result.app) {
    throw new Error(`invalid app:\n${result.errors.join('\n')}`);
  }
  return result.app;
}
