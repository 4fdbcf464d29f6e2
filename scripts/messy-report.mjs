#!/usr/bin/env node
// The messy org's closing-note counts and case table (issue #11): runs the end-to-end scenario of
// src/engine/messy-org.integration.test.ts in-process (both emulators with --seed messy, setup,
// import, the incremental changes on both sides, sync passes, verify) and prints records, deals,
// errors by code, codes on synced records (warnings), lost, and every MESSY_CASES case with its
// outcome. No network and no configuration: everything runs against in-process emulators.
//
//   node scripts/messy-report.mjs                 Markdown, after the incremental changes
//   node scripts/messy-report.mjs --import-only   Markdown, right after the import
//   node scripts/messy-report.mjs --json          the same as JSON (with every opportunity's outcome)
import { register } from 'tsx/esm/api';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log('usage: node scripts/messy-report.mjs [--import-only] [--json]');
  process.exit(0);
}
const unknown = args.filter((a) => !['--import-only', '--json'].includes(a));
if (unknown.length > 0) {
  console.error(`unknown option ${unknown[0]} (see --help)`);
  process.exit(2);
}
register();
const org = await import('../src/engine/testing/messy-org.ts');
const { formatMessyReport, messyReport } = await import('../src/engine/testing/messy-report.ts');

const w = await org.openMessyWorld();
try {
  const imported = await org.importMessyOrg(w);
  let changes;
  let passes = [];
  if (!args.includes('--import-only')) {
    changes = await org.makeIncrementalChanges(w);
    passes = await org.syncPasses(w);
  }
  const report = await messyReport(w, changes);
  const verify = await org.verifyMessy(w);
  if (args.includes('--json')) {
    console.log(
      JSON.stringify(
        {
          import: imported.run,
          passes: passes.length,
          verify: { ok: verify.ok, counts: verify.counts, differences: verify.differences },
          ...report,
        },
        null,
        2,
      ),
    );
  } else {
    console.log(formatMessyReport(report));
    console.log('');
    console.log(
      `Verify: ${verify.ok ? 'clean' : `${verify.differences.length + verify.truncated} differences`}` +
        (verify.ok
          ? '.'
          : ` (${Object.entries(verify.counts)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}).`),
    );
  }
} finally {
  await org.closeMessyWorld(w);
}
