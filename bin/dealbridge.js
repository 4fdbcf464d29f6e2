#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so that `npm install && npx dealbridge` needs no build step.
import { setFlagsFromString } from 'node:v8';
import { register } from 'tsx/esm/api';

// A guard on heap headroom, on top of bounded work (the import holds one page of opportunities and
// reads its rollup ids back from the store in pages). On a host with a lot of RAM, V8 lets the old
// generation grow to up to 4× what is live before a full collection: ~45 MB live became 200+ MB of
// heap, most of it garbage, while the connector shares its host (issue 5: ≤ 300 MB for the
// Professional import, ≤ 500 MB for a million opportunities). Growth is held to 2× live instead;
// this costs more frequent full collections, not throughput (measured). `--max-old-space-size`
// cannot be set from inside a running process; this factor can, and it caps no live data: a
// larger live set still fits. A `node --heap-growing-percent=…` given by the user wins.
if (!process.execArgv.some((a) => a.includes('heap-growing-percent'))) {
  setFlagsFromString('--heap-growing-percent=100');
}

register();
await import('../src/cli/main.ts');
