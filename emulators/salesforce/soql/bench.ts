// Benchmark of the SOQL engine alone (no HTTP): `node --import tsx emulators/salesforce/soql/bench.ts [N]`.
// Prints records/s for select+format with parent fields and a subquery, and the time to sort N
// rows by (SystemModstamp, Id) as the connector's change cursor does.
import { syntheticOrg } from './bench-data.js';
import { executeSoql, formatRecord, prepareSoql } from './index.js';

const n = Number(process.argv[2] ?? 100_000);
const opts = { includeDeleted: false };
// CPU time is printed beside wall time: on a shared machine it is the steadier figure.
let t = performance.now();
let cpu = process.cpuUsage();
const ds = syntheticOrg(n);
const lap = (label: string, extra = '') => {
  const now = performance.now();
  const used = process.cpuUsage(cpu);
  console.log(
    `${label}: ${(now - t).toFixed(0)} ms (cpu ${((used.user + used.system) / 1000).toFixed(0)} ms)${extra}`,
  );
  t = now;
  cpu = process.cpuUsage();
};
lap(`build ${n} opportunities`);

function run(label: string, soql: string, format: boolean) {
  const q = prepareSoql(soql, ds);
  const r = executeSoql(q, ds, opts);
  lap(`${label} execute (${r.totalSize} rows)`);
  if (!format) return;
  let bytes = 0;
  for (const row of r.rows) bytes += JSON.stringify(formatRecord(q, row, ds, '62.0', opts)).length;
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const rate = (per: number) => Math.round((r.rows.length / per) * 1000);
  lap(
    `${label} format+stringify`,
    `, ${rate(ms)} records/s wall, ${rate(cpuMs)} records/s cpu, ${(bytes / 1e6).toFixed(1)} MB`,
  );
}

run(
  'plain',
  'SELECT Id, Name, StageName, Amount, CloseDate, CreatedDate, SystemModstamp, AccountId, OwnerId FROM Opportunity',
  true,
);
run(
  'parents+subquery',
  'SELECT Id, Name, Amount, CloseDate, SystemModstamp, Account.Name, Owner.Email, ' +
    '(SELECT ContactId, Role, IsPrimary FROM OpportunityContactRoles) FROM Opportunity',
  true,
);
run('sort SystemModstamp, Id', 'SELECT Id FROM Opportunity ORDER BY SystemModstamp, Id', false);
run(
  'cursor page',
  'SELECT Id FROM Opportunity WHERE SystemModstamp >= 2024-01-01T10:00:00Z ORDER BY SystemModstamp, Id LIMIT 2000',
  false,
);
run('count', "SELECT COUNT() FROM Opportunity WHERE StageName = 'Closed Won' AND Amount > 100", false);
console.log(`heap used: ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
