import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { writeAppDirectory } from '../app-directory.js';
import { generateMakeApp } from '../generate.js';
import { catalogInput } from '../input.js';
import { MANIFEST_FILE } from '../make-format.js';
import type { Origin } from '../model.js';
import { writeOrigins } from '../origins.js';
import { APP_DIR, ORIGINS_FILE } from '../paths.js';
import { parseJson } from '../validation/jsonc.js';
import { manifestSchema } from '../validation/manifest-schema.js';

/**
 * Copies the `origins` that Make's VS Code extension wrote into `make-app/makecomapp.json` (app id, and the
 * `idMapping` it adds on the first deploy) into `make-origins.json`, then regenerates, so the next generation keeps
 * them instead of overwriting them.
 */
function main(): void {
  const path = join(APP_DIR, MANIFEST_FILE);
  const manifest = manifestSchema.parse(parseJson(readFileSync(path, 'utf8'), path));
  const origins = manifest.origins as Origin[];

  writeOrigins(ORIGINS_FILE, origins);
  writeAppDirectory(APP_DIR, generateMakeApp(catalogInput(origins)));
  const noun = origins.length === 1 ? 'origin' : 'origins';
  console.log(
    `${relative(process.cwd(), ORIGINS_FILE)}: ${origins.length} ${noun} adopted from ${MANIFEST_FILE}`,
  );
}

try {
  main();
} catch (error) {
  console.error(`adopting origins failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
