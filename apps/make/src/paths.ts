import { resolve } from 'node:path';

/** Root of the `@app/make` package (this file compiles to `dist/paths.js`). */
export const PACKAGE_DIR = resolve(__dirname, '..');

/** Folder of the generated Make app, committed to the repository. */
export const APP_DIR = resolve(PACKAGE_DIR, 'make-app');

/** Optional list of Make apps to deploy to, copied into the `origins` of `makecomapp.json`. */
export const ORIGINS_FILE = resolve(PACKAGE_DIR, 'make-origins.json');
