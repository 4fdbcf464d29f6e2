#!/usr/bin/env node
// Finds the test files and hands them to node's own test runner (Node 20 takes no globs).
// Tiers by file name: *.test.ts fast unit tests; *.integration.test.ts start servers;
// *.e2e.test.ts drive a real browser. `--unit` runs the first tier only; `--only PATTERN` filters paths.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const onlyIdx = args.indexOf('--only');
const only = onlyIdx >= 0 ? args[onlyIdx + 1] : undefined;
const skipDirs = new Set(['node_modules', '.git', 'dist', 'test-results', '.dealbridge', 'web/dist']);

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const rel = relative(root, full);
    if (skipDirs.has(name) || skipDirs.has(rel)) continue;
    if (statSync(full).isDirectory()) walk(full, out);
    else if (/\.test\.tsx?$/.test(name)) out.push(rel);
  }
  return out;
}

let files = ['src', 'emulators', 'test', 'web', 'bench'].flatMap((d) => {
  try {
    return walk(join(root, d), []);
  } catch {
    return [];
  }
});
if (unitOnly) files = files.filter((f) => !/\.(integration|e2e)\.test\.tsx?$/.test(f));
if (only) files = files.filter((f) => f.includes(only));
files.sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// --test-timeout: 12 minutes, for the 2-minute soak (bench/soak.integration.test.ts), which with its
// setup and convergence under the suite's load takes longer than 5.
// The store's suites share one PostgreSQL server; run side by side with each other they have
// flaked on schema creation, so they run first, one file at a time; everything else two at a time.
const serial = files.filter((f) => f.startsWith('src/store/'));
const parallel = files.filter((f) => !f.startsWith('src/store/'));

function run(list, concurrency) {
  if (list.length === 0) return Promise.resolve(0);
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=720000', ...list],
      { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
    );
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const first = await run(serial, 1);
const second = await run(parallel, 2);
process.exit(first || second);
