// `dealbridge doctor [--json]`: checks the configuration, the store, both sides and setup, and
// says what to fix. Exit codes: 0 all good, 2 configuration, 3 authentication, 4 setup not current,
// 6 a remote API (or the store) unavailable.
import type { Command } from 'commander';
import { runDoctor, type DoctorReport } from '../../composition/doctor.js';
import { printJson, reportFatal } from '../output.js';

function formatDoctor(report: DoctorReport): string {
  const lines: string[] = [];
  for (const c of report.checks) {
    lines.push(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}`);
    for (const [k, v] of Object.entries(c.detail)) {
      if (k === 'values' || k === 'problems') continue;
      lines.push(`       ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
    }
    if (c.name === 'config' && c.ok) {
      const values = c.detail.values as Record<string, unknown>;
      for (const [k, v] of Object.entries(values)) lines.push(`       ${k}: ${JSON.stringify(v)}`);
    }
    if (c.problem) lines.push(`       problem: ${c.problem}`);
    if (c.fix) lines.push(`       fix: ${c.fix}`);
  }
  lines.push(report.ok ? 'All checks passed.' : `Exit ${report.exitCode}: see the first FAIL above.`);
  return lines.join('\n');
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description(
      'Check the configuration (and where it came from), the store and its migrations, one cheap call to Salesforce and to HubSpot, and whether setup is current; changes nothing',
    )
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 all good, 2 configuration, 3 authentication, 4 setup not current, 6 a remote API unavailable, 7 the state store unusable.',
    )
    .action(async (opts: { json?: boolean }) => {
      try {
        const { openStore } = await import('../../store/index.js');
        const report = await runDoctor({ openStore: (url) => openStore(url, { migrate: false }) });
        if (opts.json) printJson(report);
        else process.stdout.write(formatDoctor(report) + '\n');
        process.exitCode = report.exitCode;
      } catch (err) {
        process.exitCode = reportFatal(err);
      }
    });
}
