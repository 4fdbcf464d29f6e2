// `serve`'s POST /webhooks/hubspot with the HubSpot emulator's own signed deliveries: a HubSpot
// edit reaches the opportunity without any sync pass (the delivery is answered first, processed
// after), and the passes that follow find nothing to write on either side (no echo).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openRuntime, type Runtime } from '../composition/runtime.js';
import { CUSTOM_MAPPINGS_SETTING } from '../engine/mapping/sync-context.js';
import { withRule } from '../engine/mapping/rules.js';
import { connectEmulators, type EmulatorWorld } from '../engine/testing/emulator-world.js';
import { writeSetting } from '../engine/user-settings.js';
import { startServer, type RunningServer } from './serve.js';
import { TEST_SECRETS } from './testing.js';

const SECRET = 'emulated-app-client-secret';

let w: EmulatorWorld;
let rt: Runtime;
let server: RunningServer;

before(async () => {
  let world: EmulatorWorld | undefined;
  rt = await openRuntime({
    databaseUrl: ':memory:',
    salesforce: { apiVersion: '62.0', budgetPercent: 80 },
    hubspot: { baseUrl: 'http://127.0.0.1:1', accessToken: 'unused', clientSecret: SECRET },
    engine: { lookbackSeconds: 30, rescopeIntervalMs: 0 },
    createSalesforce: async () => world!.sf,
    createHubspot: async () => world!.hs,
  });
  w = world = await connectEmulators({ store: rt.store as Parameters<typeof connectEmulators>[0]['store'] });
  await writeSetting(rt.store, 'opportunitySync', true, { salesforce: w.sf });
  const amount = withRule([], 'amount', 'two_way');
  assert.ok(amount.ok);
  await rt.store.setSetting(CUSTOM_MAPPINGS_SETTING, amount.mappings);
  server = await startServer({
    runtime: rt,
    host: '127.0.0.1',
    port: 0,
    adminToken: TEST_SECRETS.adminToken,
    sync: false,
  });
  await w.hsRest.call('POST', '/__emulator/webhooks', {
    clientSecret: SECRET,
    targetUrl: `${server.url}/webhooks/hubspot`,
    batchDelayMs: 0,
    pollMs: 20,
  });
  for (const eventType of ['deal.creation', 'deal.deletion'])
    await w.hsRest.call('POST', '/__emulator/webhooks/subscriptions', { eventType });
  await w.hsRest.call('POST', '/__emulator/webhooks/subscriptions', {
    eventType: 'deal.propertyChange',
    propertyName: 'amount',
  });
});

after(async () => {
  await server?.close();
  w?.sf.close();
  await rt?.close();
  await w?.sfEmu.close();
  await w?.hsEmu.close();
});

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a signed delivery from HubSpot writes the change to Salesforce without a pass, and it settles', async () => {
  const engine = await rt.engine();
  const email = 'webhook@two-way.example';
  const contactId = await w.sfRest.create('Contact', { LastName: 'Hook', Email: email });
  await w.hsRest.createContact(email);
  const oppId = await w.sfRest.create('Opportunity', {
    Name: 'Webhook',
    StageName: 'Prospecting',
    CloseDate: '2026-06-30',
    Amount: 1000,
  });
  await w.sfRest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: contactId });
  w.later();
  await engine.runPass();
  w.later();
  await engine.runPass();
  const deal = await w.hsRest.dealOf(oppId);
  assert.ok(deal);

  await w.hsRest.call('PATCH', `/crm/v3/objects/deals/${deal.id}`, { properties: { amount: '4321.09' } });
  const amount = await until('the amount in Salesforce', async () => {
    const [row] = await w.sfRest.query<{ Amount: number }>(
      `SELECT Amount FROM Opportunity WHERE Id = '${oppId}'`,
    );
    return row && String(row.Amount) === '4321.09' ? row.Amount : undefined;
  });
  assert.equal(String(amount), '4321.09');
  const log = (await w.hsRest.call('GET', '/__emulator/webhooks/deliveries')) as {
    results: { outcome: { kind: string; status?: number } }[];
  };
  assert.ok(log.results.length > 0, 'HubSpot delivered');
  assert.ok(
    log.results.every((d) => d.outcome.kind === 'ok' && d.outcome.status === 200),
    `every delivery was answered 200: ${JSON.stringify(log.results)}`,
  );

  w.later();
  const first = await engine.runPass();
  assert.equal(first.twoWay?.written ?? 0, 0, 'the poll finds the change handled already');
  w.later();
  w.hsEmu.admin.stats.reset();
  w.sfEmu.admin.state.stats.reset();
  await engine.runPass();
  const writes = (routes: Record<string, Record<string, number>>, re: RegExp) =>
    Object.entries(routes).filter(([r]) => re.test(r)).length;
  assert.equal(writes(w.sfEmu.admin.state.stats.toJSON().routes, /\.(create|update|upsert|delete)$/), 0);
  assert.equal(
    writes(
      w.hsEmu.admin.stats.toJSON().routes as Record<string, Record<string, number>>,
      /^(POST|PATCH|PUT|DELETE) (?!.*(search|batch\/read))/,
    ),
    0,
  );
});
