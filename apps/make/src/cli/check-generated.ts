import { relative } from 'node:path';

import { diffAppDirectory, isUpToDate } from '../app-directory.js';
import { uncommittedChanges } from '../committed-copy.js';
import { generateMakeApp } from '../generate.js';
import { catalogInput } from '../input.js';
import { readOrigins } from '../origins.js';
import { APP_DIR, ORIGINS_FILE } from '../paths.js';

/**
 * Regenerates the Make app in memory and compares it byte for byte with `make-app/`, then runs `git status` on
 * `make-app/` to find files that differ from the committed copy (the build regenerates in place, so a stale commit
 * shows up there). Exits 1 and lists every differing file, so CI fails when the catalog or generator changed
 * without a committed regeneration, or when someone edited a generated file.
 */
function main(): void {
  const files = generateMakeApp(catalogInput(readOrigins(ORIGINS_FILE)));
  const difference = diffAppDirectory(APP_DIR, files);
  const uncommitted = uncommittedChanges(APP_DIR);
  const where = relative(process.cwd(), APP_DIR) || '.';

  const lines = [
    ...difference.missing.map((path) => `  missing:        ${path}`),
    ...difference.changed.map((path) => `  changed:        ${path}`),
    ...difference.extra.map((path) => `  not generated:  ${path}`),
    ...(uncommitted ?? []).map((path) => `  not committed:  ${path}`),
  ];

  if (isUpToDate(difference) && uncommitted?.length === 0) {
    console.log(`${where}: all ${files.length} generated files match the committed copy`);
    return;
  }
  if (lines.length === 0) {
    console.error(
      `${where}: the ${files.length} files match the generator, but git is unavailable, so the committed copy was not compared`,
    );
    process.exitCode = 1;
    return;
  }

  console.error(
    [
      `${where} differs from what the generator produces:`,
      ...lines,
      'Run `pnpm --filter @app/make generate` and commit make-app/ (change the generator, never the generated files).',
    ].join('\n'),
  );
  process.exitCode = 1;
}

try {
  main();
} catch (error) {
  console.error(`make app check failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
