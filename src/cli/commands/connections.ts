// `dealbridge connections add NAME | list | show NAME | remove NAME [--json]`: the org ↔ portal
// pairs of this deployment (src/composition/connections.ts). `add` takes the SALESFORCE_* and
// HUBSPOT_* environment variables as they are now; `--connection NAME` on any other command then
// acts on it.
import type { Command } from 'commander';
import { loadRuntimeConfig } from '../../composition/runtime-config.js';
import {
  addConnection,
  listConnections,
  removeConnection,
  type ConnectionInfo,
} from '../../composition/connections.js';
import { DealbridgeError } from '../../errors/index.js';
import { printJson, reportFatal } from '../output.js';

async function run(fn: () => Promise<number | void>): Promise<void> {
  try {
    const code = await fn();
    if (typeof code === 'number') process.exitCode = code;
  } catch (err) {
    process.exitCode = reportFatal(err);
  }
}

function text(c: ConnectionInfo): string {
  const lines = [
    `${c.name}${c.createdAt ? `  (added ${c.createdAt})` : '  (the environment variables)'}`,
    `  store      ${c.store}`,
  ];
  for (const [k, v] of Object.entries(c.salesforce))
    if (v !== undefined) lines.push(`  salesforce ${k} ${v}`);
  for (const [k, v] of Object.entries(c.hubspot)) if (v !== undefined) lines.push(`  hubspot    ${k} ${v}`);
  return lines.join('\n');
}

export function registerConnections(program: Command): void {
  const cmd = program
    .command('connections')
    .description('The connections (one Salesforce org and one HubSpot portal each): add, list, show, remove');

  cmd
    .command('add <name>')
    .description(
      'Add a connection with the SALESFORCE_* and HUBSPOT_* environment variables as they are now, and create its state store',
    )
    .option('--json', 'print as JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      await run(async () => {
        const info = await addConnection(loadRuntimeConfig(), name);
        if (opts.json) printJson(info);
        else
          process.stdout.write(
            `Added connection ${name}; run \`dealbridge --connection ${name} setup\`, then any command with --connection ${name}.\n${text(info)}\n`,
          );
      });
    });

  cmd
    .command('list')
    .description('Every connection, `default` first (secrets masked)')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      await run(async () => {
        const all = await listConnections(loadRuntimeConfig());
        if (opts.json) printJson({ connections: all });
        else process.stdout.write(all.map((c) => `${c.name.padEnd(20)} ${c.store}`).join('\n') + '\n');
      });
    });

  cmd
    .command('show <name>')
    .description("A connection's store and credentials (secrets masked)")
    .option('--json', 'print as JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      await run(async () => {
        const c = (await listConnections(loadRuntimeConfig())).find((x) => x.name === name);
        if (!c)
          throw new DealbridgeError(
            'CONFIG_INVALID',
            `no connection "${name}" (dealbridge connections list)`,
          );
        if (opts.json) printJson(c);
        else process.stdout.write(text(c) + '\n');
      });
    });

  cmd
    .command('remove <name>')
    .description(
      'Remove a connection and delete its state store (its schema or file); `default` cannot be removed',
    )
    .option('--json', 'print as JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      await run(async () => {
        const c = await removeConnection(loadRuntimeConfig(), name);
        if (opts.json) printJson({ removed: c.name, store: c.store });
        else process.stdout.write(`Removed connection ${c.name} and its store ${c.store}.\n`);
      });
    });
}
