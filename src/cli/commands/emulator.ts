// `dealbridge emulator salesforce|hubspot`: starts one stand-alone API emulator and prints one JSON
// line with its URL and credentials once it listens. This command (and `sandbox`) are the only
// places in src/ allowed to load emulators/: the connector itself never talks to them directly.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { printJson } from '../output.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be a port number 0-65535');
  return n;
}

function oneOf<T extends string>(...allowed: T[]) {
  return (value: string): T => {
    if (!(allowed as string[]).includes(value))
      throw new InvalidArgumentError(`must be one of ${allowed.join(', ')}`);
    return value as T;
  };
}

function waitForSignal(close: () => Promise<void>): void {
  const stop = () => {
    void close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export function registerEmulator(program: Command): void {
  const emulator = program
    .command('emulator')
    .description('Run a stand-alone Salesforce or HubSpot API emulator');

  emulator
    .command('salesforce')
    .description(
      'Emulate the Salesforce REST API (OAuth, SOQL, sObjects) with an admin API under /__emulator/',
    )
    .option('--port <n>', 'port to listen on (0 picks a free one)', port, 0)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option(
      '--seed <kind>',
      'initial data: demo, empty, or messy (an old org and portal, docs/real-orgs.md)',
      oneOf('demo', 'empty', 'messy'),
      'demo',
    )
    .option('--data <file>', 'load the org from a JSON file instead of a seed')
    .option('--client-id <id>', 'OAuth client id the emulator accepts', 'dealbridge-sandbox')
    .option('--client-secret <secret>', 'OAuth client secret the emulator accepts', 'sandbox-secret')
    .action(
      async (opts: {
        port: number;
        host: string;
        seed: 'demo' | 'empty' | 'messy';
        data?: string;
        clientId: string;
        clientSecret: string;
      }) => {
        const { createSalesforceEmulator } = await import('../../../emulators/salesforce/index.js');
        const emu = await createSalesforceEmulator({
          port: opts.port,
          host: opts.host,
          seed: opts.seed,
          dataFile: opts.data,
          clientId: opts.clientId,
          clientSecret: opts.clientSecret,
        });
        printJson({ url: emu.url, clientId: emu.clientId, clientSecret: emu.clientSecret });
        waitForSignal(() => emu.close());
      },
    );

  emulator
    .command('hubspot')
    .description(
      'Emulate the HubSpot CRM API (objects, properties, pipelines, owners, associations, webhooks)',
    )
    .option('--port <n>', 'port to listen on (0 picks a free one)', port, 0)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option(
      '--seed <kind>',
      'initial data: demo, empty, or messy (an old org and portal, docs/real-orgs.md)',
      oneOf('demo', 'empty', 'messy'),
      'demo',
    )
    .option(
      '--tier <tier>',
      'rate-limit tier',
      oneOf('starter', 'professional', 'enterprise'),
      'professional',
    )
    .option('--burst <n>', 'override the 10-second request limit (250 = API limit increase pack)', (v) =>
      port(v),
    )
    .option('--data <file>', 'load the portal from a JSON file instead of a seed')
    .option('--access-token <token>', 'private-app token the emulator accepts', 'sandbox-token')
    .action(
      async (opts: {
        port: number;
        host: string;
        seed: 'demo' | 'empty' | 'messy';
        tier: 'starter' | 'professional' | 'enterprise';
        burst?: number;
        data?: string;
        accessToken: string;
      }) => {
        const { createHubspotEmulator } = await import('../../../emulators/hubspot/index.js');
        const emu = await createHubspotEmulator({
          port: opts.port,
          host: opts.host,
          seed: opts.seed,
          tier: opts.tier,
          burst: opts.burst,
          dataFile: opts.data,
          accessToken: opts.accessToken,
        });
        printJson({ url: emu.url, accessToken: emu.accessToken, portalId: emu.portalId });
        waitForSignal(() => emu.close());
      },
    );
}
