import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { buildOpenApiDocument } from './document.js';

/** Path of the committed copy of the document: `openapi.json` at the package root. */
export const DOCUMENT_PATH = join(__dirname, '..', '..', 'openapi.json');

/** Serialises the document exactly as the committed file stores it. */
export function serializeOpenApiDocument(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}

/**
 * Writes openapi.json, or with `--check` only compares it and exits 1 when the committed file is out of date, so CI
 * can fail on a stale copy.
 */
function main(argv: string[]): number {
  const expected = serializeOpenApiDocument();

  if (argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(DOCUMENT_PATH, 'utf8');
    } catch {
      // A missing file is out of date like any other.
    }
    if (current !== expected) {
      console.error(
        `${DOCUMENT_PATH} is out of date; run pnpm --filter @app/webhook-server openapi and commit it.`,
      );
      return 1;
    }
    console.log(`${DOCUMENT_PATH} is up to date.`);
    return 0;
  }

  writeFileSync(DOCUMENT_PATH, expected);
  console.log(`Wrote ${DOCUMENT_PATH}.`);
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
