// Connecting HubSpot with a private-app token against the emulator (issue #16): a refused token
// stores nothing; an accepted one shows the portal id and tier, is stored sealed and used by the
// runtime when HUBSPOT_ACCESS_TOKEN is not set; Disconnect forgets it. A token without some scopes
// has them named, and a CRM call they block is HUBSPOT_MISSING_SCOPES naming the scope.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createHubspotEmulator } from '../../emulators/hubspot/index.js';
import { fromAppConfig } from '../composition/runtime-config.js';
import { openRuntime, type Runtime } from '../composition/runtime.js';
import { DealbridgeError } from '../errors/index.js';
import { NEEDED_SCOPES } from '../hubspot/scopes.js';

const dir = mkdtempSync(join(tmpdir(), 'dealbridge-connect-hs-'));
let hs: Awaited<ReturnType<typeof createHubspotEmulator>>;
let rt: Runtime;
before(async () => {
  hs = await createHubspotEmulator({ seed: 'demo', host: '127.0.0.1', tier: 'professional' });
  rt = await openRuntime(
    fromAppConfig({
      databaseUrl: join(dir, 'state.db'),
      salesforce: { apiVersion: '62.0' },
      hubspot: { baseUrl: hs.url },
    }),
  );
});
after(async () => {
  await rt?.close();
  await hs?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a private-app token: refused ones store nothing; an accepted one is checked, sealed and used', async () => {
  const c = rt.hubspotConnect;
  assert.equal((await c.status()).source, 'none');
  await assert.rejects(c.connectToken('pat-na1-not-the-token-0000'), (err) => {
    assert.ok(err instanceof DealbridgeError && err.code === 'AUTH_FAILED', String(err));
    return true;
  });
  assert.equal((await c.status()).connected, false);

  const status = await c.connectToken(hs.accessToken);
  assert.equal(status.connected, true);
  assert.equal(status.source, 'stored');
  assert.equal(status.portalId, hs.portalId);
  assert.equal(status.tier, 'professional');
  assert.deepEqual(status.missingScopes, [], 'the emulated token has every needed scope');
  assert.ok(
    !readFileSync(join(dir, 'state.db')).toString('latin1').includes(hs.accessToken),
    'stored sealed',
  );

  rt.resetHubspot();
  assert.equal((await (await rt.hubspot()).accountInfo()).portalId, hs.portalId, 'the runtime uses it');

  const off = await c.disconnect();
  assert.equal(off.connected, false);
  assert.equal(await c.token(), undefined);
});

test('a token without some scopes: they are named at connect, and a call they block is coded', async () => {
  const c = rt.hubspotConnect;
  hs.admin.scopes = NEEDED_SCOPES.filter(
    (s) => s !== 'crm.objects.owners.read' && s !== 'crm.schemas.deals.write',
  );
  try {
    const status = await c.connectToken(hs.accessToken);
    assert.equal(status.connected, true);
    assert.deepEqual(status.missingScopes, ['crm.schemas.deals.write', 'crm.objects.owners.read']);
    assert.ok(status.scopes?.includes('crm.objects.deals.write'));

    rt.resetHubspot();
    await assert.rejects((await rt.hubspot()).owners(), (err) => {
      assert.ok(err instanceof DealbridgeError && err.code === 'HUBSPOT_MISSING_SCOPES', String(err));
      assert.match(err.message, /crm\.objects\.owners\.read/);
      assert.match(err.message, /Private apps/);
      return true;
    });
  } finally {
    hs.admin.scopes = [...NEEDED_SCOPES];
    await c.disconnect();
  }
});
