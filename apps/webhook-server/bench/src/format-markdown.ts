import { createRequire } from 'node:module';
import { join } from 'node:path';

interface Prettier {
  resolveConfig(filePath: string): Promise<Record<string, unknown> | null>;
  format(source: string, options: Record<string, unknown>): Promise<string>;
}

/**
 * Formats the report with the workspace's Prettier (a devDependency of the repository root) and its settings, so
 * that `prettier --check .` accepts the written file. Returns the text unchanged when Prettier is not installed.
 */
export async function formatMarkdown(
  markdown: string,
  options: { repositoryRoot: string; filePath: string },
) {
  let prettier: Prettier;
  try {
    prettier = createRequire(join(options.repositoryRoot, 'package.json'))('prettier') as Prettier;
  } catch {
    return markdown;
  }
  const config = (await prettier.resolveConfig(options.filePath)) ?? {};
  return prettier.format(markdown, { ...config, filepath: options.filePath });
}
