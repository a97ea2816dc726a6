#!/usr/bin/env node
// The workspace test command (`pnpm test`): builds, type-checks, lints and runs every package's tests, then prints
// one summary line and every suite that was skipped. With REQUIRE_POSTGRES=1 (set by .ci/run) a skipped suite fails
// the run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const workDir = mkdtempSync(join(tmpdir(), 'workspace-tests-'));
const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: '1',
  TEST_SKIP_LOG: join(workDir, 'skipped.log'),
  TEST_SUMMARY_FILE: join(workDir, 'summary.jsonl'),
};

const steps = [
  ['build', ['pnpm', 'exec', 'turbo', 'run', 'build']],
  ['typecheck', ['pnpm', 'exec', 'turbo', 'run', 'typecheck']],
  ['lint', ['pnpm', 'run', 'lint']],
  ['package lint', ['pnpm', 'exec', 'turbo', 'run', 'lint']],
  // One package at a time: the end-to-end suites start servers and receivers, and the machine may have 2 cores.
  ['test', ['pnpm', 'exec', 'turbo', 'run', 'test', '--concurrency=1', '--continue']],
];

const failures = [];
for (const [name, [command, ...args]] of steps) {
  process.stdout.write(`\n=== ${name}: ${[command, ...args].join(' ')}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.status !== 0) {
    failures.push(name);
    if (name === 'build' || name === 'typecheck') {
      break;
    }
  }
}

const totals = { passed: 0, failed: 0, skipped: 0 };
if (existsSync(env.TEST_SUMMARY_FILE)) {
  for (const line of readFileSync(env.TEST_SUMMARY_FILE, 'utf8').split('\n').filter(Boolean)) {
    const run = JSON.parse(line);
    totals.passed += run.passed;
    totals.failed += run.failed;
    totals.skipped += run.skipped;
  }
}

const skipped = existsSync(env.TEST_SKIP_LOG)
  ? [...new Set(readFileSync(env.TEST_SKIP_LOG, 'utf8').split('\n').filter(Boolean))]
  : [];
if (skipped.length > 0) {
  const banner = '!'.repeat(100);
  process.stdout.write(`\n${banner}\nSKIPPED SUITES (${skipped.length}):\n`);
  for (const line of skipped) {
    process.stdout.write(`  - ${line}\n`);
  }
  process.stdout.write(
    'Start PostgreSQL on 127.0.0.1:5432 (or set TEST_POSTGRES_URL) to run them; .ci/run runs them all.\n' +
      `${banner}\n`,
  );
  if (process.env.REQUIRE_POSTGRES === '1') {
    failures.push('skipped suites with REQUIRE_POSTGRES=1');
  }
}

if (failures.length > 0) {
  process.stdout.write(`\nFailed steps: ${failures.join(', ')}\n`);
}
process.stdout.write(
  `\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`,
);
process.exit(failures.length > 0 || totals.failed > 0 ? 1 : 0);
