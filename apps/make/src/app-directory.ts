import {
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

import type { GeneratedFile } from './layout.js';

/** Difference between a folder and the generated files. */
export interface AppDifference {
  /** Generated files absent from the folder. */
  missing: string[];
  /** Files whose contents differ from the generated ones. */
  changed: string[];
  /** Files in the folder that the generator does not produce. */
  extra: string[];
}

/**
 * Reads every file under `directory` into a map keyed by POSIX path relative to it. Entries whose name starts with
 * a dot (`.secrets`, `.vscode`) are skipped: they belong to the developer, not to the generated app.
 */
export function readAppDirectory(directory: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (folder: string): void => {
    for (const name of readdirSync(folder).sort()) {
      if (name.startsWith('.')) {
        continue;
      }
      const path = join(folder, name);
      if (statSync(path).isDirectory()) {
        visit(path);
      } else {
        files.set(relative(directory, path).split(sep).join('/'), readFileSync(path, 'utf8'));
      }
    }
  };

  try {
    visit(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
  }
  return files;
}

/** Compares a folder with the generated files, byte for byte. */
export function diffAppDirectory(directory: string, files: GeneratedFile[]): AppDifference {
  const present = readAppDirectory(directory);
  const generated = new Set(files.map((file) => file.path));

  return {
    missing: files.filter((file) => !present.has(file.path)).map((file) => file.path),
    changed: files
      .filter((file) => present.has(file.path) && present.get(file.path) !== file.contents)
      .map((file) => file.path),
    extra: [...present.keys()].filter((path) => !generated.has(path)),
  };
}

/** Returns true when the folder contains exactly the generated files. */
export function isUpToDate(difference: AppDifference): boolean {
  return (
    difference.missing.length === 0 &&
    difference.changed.length === 0 &&
    difference.extra.length === 0
  );
}

/**
 * Writes the generated files into `directory` and deletes files the generator no longer produces (such as the
 * webhook of an event type removed from the catalog), then removes folders left empty. Returns what changed.
 */
export function writeAppDirectory(directory: string, files: GeneratedFile[]): AppDifference {
  const difference = diffAppDirectory(directory, files);

  for (const file of files) {
    if (difference.missing.includes(file.path) || difference.changed.includes(file.path)) {
      const target = join(directory, file.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.contents);
    }
  }
  for (const path of difference.extra) {
    rmSync(join(directory, path));
    removeEmptyParents(directory, dirname(join(directory, path)));
  }
  return difference;
}

function removeEmptyParents(root: string, folder: string): void {
  let current = folder;
  while (current !== root && current.startsWith(root) && readdirSync(current).length === 0) {
    rmdirSync(current);
    current = dirname(current);
  }
}
