import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

/**
 * Parses an IMLJSON file the way VS Code's JSON language service (and so Make's VS Code extension) reads JSONC:
 * `//` and `/* *\/` comments are ignored, trailing commas are rejected. Throws an `Error` naming the file, line
 * and column of the first syntax error.
 */
export function parseJsonc(text: string, path: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, {
    disallowComments: false,
    allowTrailingComma: false,
  });

  const [first] = errors;
  if (first) {
    const { line, column } = lineAndColumn(text, first.offset);
    throw new Error(
      `${path}:${line}:${column}: invalid JSONC (${printParseErrorCode(first.error)})`,
    );
  }
  return value;
}

/**
 * Parses a file that must be plain JSON. The extension reads `makecomapp.json` and `groups.json` with
 * `JSON.parse` and deploys `groups.json` as `application/json`, so a comment there would break both.
 */
export function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${path}: invalid JSON (${(error as Error).message})`, { cause: error });
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}
