#!/usr/bin/env node
// npm's `prepare` (runs after `npm install` / `npm ci` in a checkout): builds the web UI, so that
// every documented way to start the server (`npx dealbridge serve`, `sandbox`) serves it after a
// plain install. An install without dev dependencies has no vite: then it says so and skips.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
try {
  require.resolve('vite/package.json');
} catch {
  console.warn('dealbridge: vite is not installed (production install?); the web UI was not built.');
  process.exit(0);
}
const r = spawnSync(
  process.execPath,
  [
    join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js'),
    'build',
    '--config',
    'web/vite.config.ts',
    '--logLevel',
    'warn',
  ],
  {
    stdio: 'inherit',
    cwd: new URL('..', import.meta.url).pathname,
  },
);
process.exit(r.status ?? 1);
