// `dealbridge secrets rotate [--json]`: every stored secret sealed again under a new key (see
// src/secrets/rotate.ts for the order of the steps). A key that does not open the stored secrets
// stops it before anything is written: SECRET_KEY_WRONG, exit 2.
import type { Command } from 'commander';
import { rotateSecrets } from '../../secrets/rotate.js';
import { defaultKeyFile } from '../../composition/runtime-config.js';
import { printJson } from '../output.js';
import { withRuntime } from './shared.js';

export function registerSecrets(program: Command): void {
  const secrets = program
    .command('secrets')
    .description('Manage the key that seals stored tokens and client secrets (AES-256-GCM)');
  secrets
    .command('rotate')
    .description(
      'Seal every stored secret again under a new key: a new key file (the old one replaced), or the key in DEALBRIDGE_NEW_SECRET_KEY when DEALBRIDGE_SECRET_KEY is set',
    )
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nBack up the new key file (or the new DEALBRIDGE_SECRET_KEY) at once: without it the stored connections cannot be opened (docs/security.md).' +
        '\nExit codes: 0 rotated, 2 the current key does not open the stored secrets (nothing changed) or DEALBRIDGE_NEW_SECRET_KEY is missing or malformed, 7 the state store unusable.',
    )
    .action(async (opts: { json?: boolean }) => {
      await withRuntime(async (rt) => {
        const keys = rt.config.secrets ?? { key: undefined, keyFile: defaultKeyFile(rt.config.databaseUrl) };
        const newKey = process.env.DEALBRIDGE_NEW_SECRET_KEY?.trim() || undefined;
        const result = await rotateSecrets(rt.connections, keys, newKey);
        if (opts.json) printJson(result);
        else {
          process.stdout.write(
            `Rotated: ${result.rows} stored connection(s) sealed under key ${result.newKeyId}` +
              `${result.oldKeyId ? ` (was ${result.oldKeyId})` : ''}.\n`,
          );
          process.stdout.write(
            keys.key !== undefined
              ? 'Now set DEALBRIDGE_SECRET_KEY to the value of DEALBRIDGE_NEW_SECRET_KEY and restart every dealbridge process.\n'
              : `The new key is in ${result.newKeyAt}: back it up now, and restart every dealbridge process.\n`,
          );
        }
        return 0;
      });
    });
}
