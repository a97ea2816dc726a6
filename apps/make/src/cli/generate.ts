import { relative } from 'node:path';

import { writeAppDirectory } from '../app-directory.js';
import { generateMakeApp } from '../generate.js';
import { catalogInput } from '../input.js';
import { readOrigins } from '../origins.js';
import { APP_DIR, ORIGINS_FILE } from '../paths.js';

/** Writes the Make app into `make-app/` from the catalog and `make-origins.json`; prints what changed. */
function main(): void {
  const files = generateMakeApp(catalogInput(readOrigins(ORIGINS_FILE)));
  const difference = writeAppDirectory(APP_DIR, files);

  const where = relative(process.cwd(), APP_DIR) || '.';
  const changes = difference.missing.length + difference.changed.length + difference.extra.length;
  console.log(
    changes === 0
      ? `${where}: ${files.length} files, already up to date`
      : `${where}: ${files.length} files; ${difference.missing.length} added, ${difference.changed.length} updated, ${difference.extra.length} removed`,
  );
}

try {
  main();
} catch (error) {
  console.error(`make app generation failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
