import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

import { eventTypes } from '@app/api-client';

const packageDir = resolve(__dirname, '..');

interface Manifest {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  n8n: { credentials: string[]; nodes: string[] };
}

/** What the child process found after loading every shipped file. */
interface LoadReport {
  classes: Record<string, { name: string; icon: unknown; eventTypes: string[] }>;
  resolvable: Record<string, boolean>;
}

// Runs in a separate Node process whose only resolvable package is n8n-workflow.
const loader = `
const manifest = require('./package.json');
const report = { classes: {}, resolvable: {} };
for (const file of [...manifest.n8n.credentials, ...manifest.n8n.nodes]) {
  const exported = require('./' + file);
  const className = file.split('/').pop().split('.')[0];
  const instance = new exported[className]();
  const description = instance.description ?? instance;
  const events = (description.properties ?? []).find((p) => p.name === 'events' || p.name === 'eventType');
  report.classes[file] = {
    name: description.name,
    icon: description.icon ?? null,
    eventTypes: events ? events.options.map((o) => o.value).filter((v) => v !== '*') : [],
  };
}
for (const name of ['n8n-workflow', 'zod', '@app/api-client']) {
  try { require.resolve(name); report.resolvable[name] = true; } catch { report.resolvable[name] = false; }
}
process.stdout.write(JSON.stringify(report));
`;

let workDir: string;
let installDir: string;
let manifest: Manifest;
let report: LoadReport;

// Builds the package into a directory outside the workspace, installs it there next to n8n-workflow alone, as n8n
// installs a community package, and loads every file of the n8n block with plain require.
beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'n8n-dist-'));
  installDir = join(workDir, 'package');
  mkdirSync(join(installDir, 'node_modules'), { recursive: true });

  execFileSync(
    process.execPath,
    [join(packageDir, 'scripts', 'build.mjs'), '--outdir', join(installDir, 'dist')],
    {
      cwd: packageDir,
      stdio: 'pipe',
    },
  );
  copyFileSync(join(packageDir, 'package.json'), join(installDir, 'package.json'));
  const n8nWorkflowDir = realpathSync(dirname(require.resolve('n8n-workflow/package.json')));
  symlinkSync(n8nWorkflowDir, join(installDir, 'node_modules', 'n8n-workflow'), 'dir');

  manifest = JSON.parse(readFileSync(join(installDir, 'package.json'), 'utf8')) as Manifest;
  const env = { ...process.env };
  delete env['NODE_PATH'];
  const output = execFileSync(process.execPath, ['-e', loader], {
    cwd: installDir,
    env,
    encoding: 'utf8',
  });
  report = JSON.parse(output) as LoadReport;
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

describe('built package', () => {
  test('only n8n-workflow is resolvable', () => {
    expect(report.resolvable).toEqual({
      'n8n-workflow': true,
      zod: false,
      '@app/api-client': false,
    });
  });

  test('every listed file loads its class', () => {
    expect(Object.values(report.classes).map((entry) => entry.name)).toEqual([
      'acmeCrmApi',
      'acmeCrm',
      'acmeCrmTrigger',
    ]);
  });

  test('dist nodes offer the catalog event types', () => {
    const [action, trigger] = manifest.n8n.nodes.map((file) => report.classes[file]);

    expect([...(trigger?.eventTypes ?? [])].sort()).toEqual([...eventTypes].sort());
    expect([...(action?.eventTypes ?? [])].sort()).toEqual([...eventTypes].sort());
  });

  test('icons and codex files ship next to the nodes', () => {
    for (const file of [...manifest.n8n.credentials, ...manifest.n8n.nodes]) {
      const icon = report.classes[file]?.icon as { light: string; dark: string };
      for (const path of [icon.light, icon.dark]) {
        expect(existsSync(join(installDir, dirname(file), path.replace(/^file:/, '')))).toBe(true);
      }
    }
    for (const file of manifest.n8n.nodes) {
      expect(existsSync(join(installDir, file.replace(/\.js$/, '.json')))).toBe(true);
    }
  });

  test('shipped code requires only allowed modules', () => {
    for (const file of [...manifest.n8n.credentials, ...manifest.n8n.nodes]) {
      const code = readFileSync(join(installDir, file), 'utf8');
      const required = new Set(
        [...code.matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((match) => match[1]),
      );
      expect(
        [...required].filter((name) => !['n8n-workflow', 'crypto', 'node:crypto'].includes(name!)),
      ).toEqual([]);
    }
  });

  test('manifest has no runtime dependencies', () => {
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
  });
});
