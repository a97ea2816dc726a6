import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  diffAppDirectory,
  isUpToDate,
  readAppDirectory,
  writeAppDirectory,
} from '../src/app-directory';
import { uncommittedChanges } from '../src/committed-copy';
import type { GeneratedFile } from '../src/layout';

const files: GeneratedFile[] = [
  { path: 'makecomapp.json', contents: '{}\n' },
  { path: 'modules/a/a.samples.iml.json', contents: '// notice\n{}\n' },
  { path: 'webhooks/b/b.attach.iml.json', contents: '// notice\n{"url": "/x"}\n' },
];

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'make-app-directory-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('app directory', () => {
  test('write then diff is up to date', () => {
    writeAppDirectory(directory, files);

    expect(isUpToDate(diffAppDirectory(directory, files))).toBe(true);
    expect(readAppDirectory(directory)).toEqual(
      new Map(files.map((file) => [file.path, file.contents])),
    );
  });

  test('diff lists missing, changed and extra files', () => {
    writeAppDirectory(directory, files);
    rmSync(join(directory, 'makecomapp.json'));
    writeFileSync(join(directory, 'modules/a/a.samples.iml.json'), '{}\n');
    mkdirSync(join(directory, 'modules/old'));
    writeFileSync(join(directory, 'modules/old/old.samples.iml.json'), '{}\n');

    expect(diffAppDirectory(directory, files)).toEqual({
      missing: ['makecomapp.json'],
      changed: ['modules/a/a.samples.iml.json'],
      extra: ['modules/old/old.samples.iml.json'],
    });
  });

  test('write repairs and prunes', () => {
    writeAppDirectory(directory, files);
    writeFileSync(join(directory, 'modules/a/a.samples.iml.json'), '{}\n');
    mkdirSync(join(directory, 'modules/old'));
    writeFileSync(join(directory, 'modules/old/old.samples.iml.json'), '{}\n');

    writeAppDirectory(directory, files);

    expect(readFileSync(join(directory, 'modules/a/a.samples.iml.json'), 'utf8')).toBe(
      '// notice\n{}\n',
    );
    expect(existsSync(join(directory, 'modules/old'))).toBe(false);
    expect(existsSync(join(directory, 'modules'))).toBe(true);
  });

  test('dot entries are left alone', () => {
    writeAppDirectory(directory, files);
    mkdirSync(join(directory, '.secrets'));
    writeFileSync(join(directory, '.secrets/apikey'), 'key\n');

    writeAppDirectory(directory, files);

    expect(isUpToDate(diffAppDirectory(directory, files))).toBe(true);
    expect(readFileSync(join(directory, '.secrets/apikey'), 'utf8')).toBe('key\n');
  });

  test('uncommitted changes come from git', () => {
    const git = (...args: string[]): void => {
      execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], {
        cwd: directory,
        stdio: 'ignore',
      });
    };
    git('init', '-q');
    writeAppDirectory(directory, files);
    git('add', '.');
    git('commit', '-q', '-m', 'generated');

    const clean = uncommittedChanges(directory);
    writeFileSync(join(directory, 'makecomapp.json'), '{"edited": true}\n');
    writeFileSync(join(directory, 'stray.json'), '{}\n');
    const dirty = uncommittedChanges(directory);

    expect(clean).toEqual([]);
    expect(dirty?.sort()).toEqual(['makecomapp.json', 'stray.json']);
  });

  test('no git work tree gives undefined', () => {
    expect(uncommittedChanges(directory)).toBeUndefined();
  });
});
