// Entry point of the `dealbridge` binary: one module per command under ./commands, each adding
// itself to the program. Exit codes (README, "The CLI"; `exitCodes` in the error catalogue): 0 ok,
// 1 the command ran and found a problem (verify mismatches, failed records), 2 bad usage or
// configuration, 3 authentication, 4 setup, 5 Salesforce budget, 6 unavailable, 7 the store unusable.
import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.js';
import { reportFatal } from './output.js';

const program = new Command();
program
  .name('dealbridge')
  .description('Keeps Salesforce Opportunities and HubSpot Deals in sync.')
  .showHelpAfterError()
  .exitOverride()
  .option(
    '--connection <name>',
    'the connection a command acts on (default: `default`, the one the environment variables describe; also DEALBRIDGE_CONNECTION)',
  )
  .hook('preAction', () => {
    const { connection } = program.opts<{ connection?: string }>();
    if (connection !== undefined) process.env.DEALBRIDGE_CONNECTION = connection;
  });

for (const register of commands) register(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else {
    process.exitCode = reportFatal(err);
  }
}
