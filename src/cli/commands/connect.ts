// `dealbridge connect salesforce [--login-url URL] [--client-id ID] [--client-secret S] [--port N]`:
// the web UI's "Connect Salesforce" for a headless server. It listens on 127.0.0.1:PORT for the
// callback, prints the URL to open (in any browser that reaches that port: on another machine,
// through `ssh -L PORT:127.0.0.1:PORT`), waits up to 10 minutes for Salesforce's answer and stores
// the connection sealed, as the UI does. Exit 0 connected, 2 configuration, 3 refused.
import { missingScopesFix } from '../../hubspot/scopes.js';
import { createServer, type Server } from 'node:http';
import type { Command } from 'commander';
import { DealbridgeError, exitCodes } from '../../errors/index.js';
import { LOGIN_URLS, loginUrlOf } from '../../connect/login-url.js';
import { FLOW_TTL_MS, type SalesforceConnectionStatus } from '../../connect/salesforce.js';
import { salesforceConfigured, type Runtime } from '../../composition/runtime.js';
import { printJson } from '../output.js';
import { withRuntime } from './shared.js';

const CALLBACK = '/connect/salesforce/callback';

interface Options {
  loginUrl?: string;
  clientId?: string;
  clientSecret?: string;
  port: string;
  json?: boolean;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : port);
    });
  });
}

/** Waits for the callback of the sign-in just started; other requests get 404. */
function awaitCallback(rt: Runtime, server: Server): Promise<SalesforceConnectionStatus> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new DealbridgeError('OAUTH_STATE_MISMATCH', 'no answer from the sign-in within 10 minutes')),
      FLOW_TTL_MS,
    );
    server.on('request', (req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method !== 'GET' || url.pathname !== CALLBACK) {
        res.writeHead(404).end();
        return;
      }
      const q = Object.fromEntries(url.searchParams);
      rt.salesforceConnect.finish(q).then(
        (status) => {
          res
            .writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' })
            .end('Salesforce is connected. You can close this page.\n');
          clearTimeout(timer);
          resolve(status);
        },
        (err: unknown) => {
          const code = err instanceof DealbridgeError ? err.code : 'INTERNAL';
          res
            .writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' })
            .end(`Salesforce was not connected: ${code}\n`);
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  });
}

async function connectSalesforce(rt: Runtime, opts: Options): Promise<number> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('dealbridge connect: --port must be a port number\n');
    return exitCodes.config;
  }
  const sf = rt.config.salesforce;
  const before = await rt.salesforceConnect.status();
  const loginUrl = loginUrlOf(
    'mydomain',
    opts.loginUrl ?? before.loginUrl ?? sf.loginUrl ?? LOGIN_URLS.production,
  );
  const clientId = opts.clientId ?? sf.clientId ?? before.clientId ?? undefined;
  const clientSecret = opts.clientSecret ?? sf.clientSecret;
  const server = createServer();
  try {
    const actual = await listen(server, port);
    const redirectUri = `http://localhost:${actual}${CALLBACK}`;
    const waiting = awaitCallback(rt, server);
    const { authorizeUrl } = await rt.salesforceConnect.start(redirectUri, {
      loginUrl,
      ...(clientId !== undefined ? { clientId } : {}),
      ...(clientSecret !== undefined ? { clientSecret } : {}),
    });
    process.stderr.write(
      `The connected app's Callback URL must be ${redirectUri}\nOpen this URL in a browser and log in to Salesforce:\n`,
    );
    process.stdout.write(`${authorizeUrl}\n`);
    process.stderr.write('Waiting for Salesforce (10 minutes at most)…\n');
    const status = await waiting;
    if (opts.json) printJson(status);
    else
      process.stdout.write(
        `Connected as ${status.displayName ?? ''} (${status.username ?? ''}), org ${status.organizationId ?? ''}, ${status.instanceUrl ?? ''}\n`,
      );
    if (salesforceConfigured(rt.config))
      process.stderr.write(
        'Note: the configuration also gives Salesforce credentials (SALESFORCE_* or dealbridge.config.json), and those win over this connection; remove them to use it.\n',
      );
    return 0;
  } finally {
    server.close();
  }
}

export function registerConnect(program: Command): void {
  const connect = program
    .command('connect')
    .description(
      'Connect a Salesforce org through OAuth (the web UI\'s "Connect Salesforce", for headless servers)',
    );
  connect
    .command('salesforce')
    .description(
      "Print the URL of Salesforce's sign-in, wait for its answer on 127.0.0.1:PORT and store the connection (refresh token, instance URL, client secret: sealed)",
    )
    .option(
      '--login-url <url>',
      'https://login.salesforce.com (default), https://test.salesforce.com or the My Domain URL',
    )
    .option(
      '--client-id <id>',
      "the connected app's consumer key (default: SALESFORCE_CLIENT_ID, else the one stored)",
    )
    .option(
      '--client-secret <secret>',
      "the connected app's consumer secret (default: SALESFORCE_CLIENT_SECRET, else the one stored)",
    )
    .option(
      '--port <n>',
      'the callback port on 127.0.0.1; the Callback URL is http://localhost:PORT/connect/salesforce/callback',
      '1717',
    )
    .option('--json', 'print the connection as JSON')
    .addHelpText(
      'after',
      '\nOn a server without a browser: `ssh -L 1717:127.0.0.1:1717 server`, then open the printed URL on your machine.' +
        '\nExit codes: 0 connected, 2 configuration (a missing client id or secret, a bad URL, the secret key), 3 refused (OAUTH_* codes, AUTH_FAILED).',
    )
    .action(async (opts: Options) => {
      await withRuntime((rt) => connectSalesforce(rt, opts));
    });
  connect
    .command('hubspot')
    .description(
      'Check a HubSpot private-app token against the portal (portal id, tier, missing scopes) and store it, sealed',
    )
    .option('--token <token>', "the private app's access token (pat-…)")
    .option('--json', 'print the connection as JSON')
    .addHelpText(
      'after',
      "\nHubSpot's OAuth flow for public apps (without --token) is not built yet.\nExit codes: 0 connected, 2 no token given or the secret key, 3 the token refused (AUTH_FAILED).",
    )
    .action(async (opts: { token?: string; json?: boolean }) => {
      await withRuntime(async (rt) => {
        if (!opts.token) {
          process.stderr.write(
            "dealbridge connect hubspot: give --token (a private app's access token); HubSpot's OAuth flow is not built yet\n",
          );
          return exitCodes.config;
        }
        const status = await rt.hubspotConnect.connectToken(opts.token);
        if (opts.json) printJson(status);
        else
          process.stdout.write(
            `Connected to HubSpot portal ${status.portalId ?? ''} (${status.tier ?? 'tier unknown'})\n` +
              (status.missingScopes?.length
                ? `Missing scopes: ${status.missingScopes.join(', ')}\nFix: ${missingScopesFix(status.missingScopes)}\n`
                : 'Scopes: every scope dealbridge needs is granted\n'),
          );
        if (rt.config.hubspot.accessToken)
          process.stderr.write(
            'Note: HUBSPOT_ACCESS_TOKEN is set, and it wins over this connection; unset it to use it.\n',
          );
        return 0;
      });
    });
}
