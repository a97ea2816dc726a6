import { execFileSync } from 'node:child_process';

/**
 * Lists the files under `directory` that differ from the committed copy in git: modified, deleted or untracked,
 * whether staged or not (`git status --porcelain`). Returns undefined when `directory` is not inside a git work
 * tree or git is not installed, so the check can report that instead of passing silently.
 */
export function uncommittedChanges(directory: string): string[] | undefined {
  let output: string;
  try {
    output = execFileSync('git', ['status', '--porcelain', '--untracked-files=all', '--', '.'], {
      cwd: directory,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return undefined;
  }
  return output
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => line.slice(3));
}
