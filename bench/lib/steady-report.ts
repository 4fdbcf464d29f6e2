// bench:sync's steady run (the look-back cost, issue #11): its rows in the main table, and the
// table and JSON line of `--steady-only`.
import type { SteadyResult } from './steady.js';
import { f2, row, status } from './table.js';

export function steadyRows(s: SteadyResult, w: number[]): string[] {
  return [
    row(
      [
        `6. SF rows read per row changed (${s.ratePerSecond}/s)`,
        f2(s.rowsPerChange),
        '',
        '≤ 2',
        status(s.rowsPerChange <= 2),
      ],
      w,
    ),
    row(
      [
        '   rows read: opportunities / contact roles',
        `${s.rowsRead.opportunities} / ${s.rowsRead.contactRoles}`,
        '',
        `${s.changed} changed`,
        '',
      ],
      w,
    ),
    row(
      [
        '   windows: full / short (s), sweep every (s)',
        `${s.lookbackSeconds} / ${s.shortLookbackSeconds}, ${s.lateCommitSweepMs / 1000}`,
        '',
        '',
        '',
      ],
      w,
    ),
    row(
      [
        `   passes (every ${s.passSeconds} s) / SF requests`,
        `${s.passes} / ${s.salesforceRequests}`,
        f2(s.salesforceRequests / Math.max(1, s.passes)),
        `over ${s.measureSeconds} s`,
        '',
      ],
      w,
    ),
  ];
}

/** `--steady-only`: the steady run's table and JSON alone. */
export function reportSteady(s: SteadyResult, json: boolean): void {
  const w = [46, 14, 14, 22, 8];
  const out = ['', 'bench:sync — steady changes, the look-back cost (issue #11)'];
  out.push(row(['metric', 'value', 'per pass', 'goal', 'status'], w));
  out.push(...steadyRows(s, w));
  process.stdout.write(out.join('\n') + '\n');
  if (json)
    process.stdout.write(
      JSON.stringify({ bench: 'sync', steady: s, goals: { rowsPerChange: s.rowsPerChange <= 2 } }) + '\n',
    );
}
