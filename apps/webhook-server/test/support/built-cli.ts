import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const PACKAGE_ROOT = join(__dirname, '..', '..');
/** The built CLI, as `pnpm api-keys` and the `webhook-server` bin run it. */
export const CLI_PATH = join(PACKAGE_ROOT, 'dist', 'cli', 'main.js');

/** Output of one CLI run. */
export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Builds dist/ with tsc when any source file is newer than its compiled file, so the tests run the CLI as shipped
 * without running stale code. The build takes several seconds; an up-to-date dist/ is used as it is.
 */
export function ensureCliBuilt(): void {
  if (!isStale()) {
    return;
  }
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: PACKAGE_ROOT,
      stdio: 'pipe',
    },
  );
}

function isStale(): boolean {
  const sources = listFiles(join(PACKAGE_ROOT, 'src')).filter((file) => file.endsWith('.ts'));
  return sources.some((source) => {
    const compiled = join(
      PACKAGE_ROOT,
      'dist',
      relative(join(PACKAGE_ROOT, 'src'), source),
    ).replace(/\.ts$/, '.js');
    try {
      return statSync(compiled).mtimeMs < statSync(source).mtimeMs;
    } catch {
      return true;
    }
  });
}

function listFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(folder, entry.name)) : [join(folder, entry.name)],
  );
}

/** Runs `node dist/cli/main.js ...args` with `env` added to a minimal environment, and waits for it to exit. */
export function runCli(args: string[], env: Record<string, string>): CliResult {
  const result = spawnSync(process.execPath, [CLI_PATH, ...args], {
    cwd: PACKAGE_ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
