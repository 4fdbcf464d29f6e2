// Account change events end to end: applied from the event as the account feed applies a page
// (mirror, rollups, re-sync of the opportunities of accounts without a company), with no polling
// pass asked for. Polling runs every 10 minutes here: what happens within seconds came by CDC.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PENDING_ROLLUPS_SETTING } from '../rollups/owed-rollups.js';
import { writeSetting } from '../user-settings.js';
import { closeWorld, live, opportunity, SELECTED, until, world, type World } from '../testing/cdc-world.js';

describe('Account change events', () => {
  let w: World;
  before(async () => {
    w = await world();
    await w.sfEmu.admin.call('POST', 'cdc/selection', { entities: SELECTED });
    w.start();
    await live(w);
    // The first subscription (no stored replay id) asks for one cursor comparison.
    await until('the first pass', async () => w.passes >= 1);
  });
  after(() => closeWorld(w));

  test('a renamed account with a company: mirrored and its rollups written, no polling pass', async () => {
    const acc = await w.sfRest.create('Account', { Name: 'Umbrella', Website: 'https://umbrella.example' });
    const { oppId } = await opportunity(w, 'Umbrella renewal', { AccountId: acc });
    const deal = await until('the deal', () => w.hsRest.dealOf(oppId));
    const [companyId] = await until('the company', async () => {
      const ids = await w.hsRest.associated(deal.id, 'companies');
      return ids.length > 0 && ids;
    });
    assert.ok(companyId);
    // The opportunity's own batch owes the account's rollups too: wait until they are settled.
    await until('no rollups owed', async () => {
      const owed = await w.store.getSetting<{ accounts?: string[] }>(PENDING_ROLLUPS_SETTING);
      return !owed?.accounts?.includes(acc);
    });
    const passes = w.passes;
    const batches = w.batches.length;
    w.rollupAccounts.length = 0;
    await w.sfRest.update('Account', acc, { Name: 'Umbrella Corporation' });
    await until(
      'the mirror',
      async () => (await w.store.getAccounts([acc])).get(acc)?.Name === 'Umbrella Corporation',
    );
    const mirror = (await w.store.getAccounts([acc])).get(acc);
    assert.equal(mirror?.Website, 'https://umbrella.example', 'the website is kept from the mirror row');
    await until('the rollups', async () => w.rollupAccounts.some((ids) => ids.includes(acc)));
    assert.equal(w.passes, passes, 'no polling pass was asked for');
    const reads = w.batches.slice(batches).reduce((n, b) => n + b.accountsRead, 0);
    assert.equal(reads, 0, 'the event and the mirror row made the account whole');
    assert.deepEqual(await w.hsRest.associated(deal.id, 'companies'), [companyId]);
  });

  test('an account without a company: a website that now matches links the deal, no polling pass', async () => {
    await writeSetting(w.store, 'createCompanies', false);
    try {
      const acc = await w.sfRest.create('Account', { Name: 'Globex' });
      const { oppId } = await opportunity(w, 'Globex pilot', { AccountId: acc });
      const deal = await until('the deal', () => w.hsRest.dealOf(oppId));
      await until('the warning', async () => {
        const [e] = await w.store.listErrors({ recordKeys: [`opportunity:${oppId}`] });
        return e?.code === 'COMPANY_MATCH_FAILED';
      });
      assert.deepEqual(await w.hsRest.associated(deal.id, 'companies'), []);
      const created = (await w.hsRest.call('POST', '/crm/v3/objects/companies', {
        properties: { name: 'Globex Corporation', domain: 'globex.example' },
      })) as { id: string };
      const passes = w.passes;
      await w.sfRest.update('Account', acc, { Website: 'http://www.globex.example/about' });
      await until('the association', async () =>
        (await w.hsRest.associated(deal.id, 'companies')).includes(created.id),
      );
      assert.equal(w.passes, passes, 'no polling pass was asked for');
      assert.equal((await w.store.getAccounts([acc])).get(acc)?.Website, 'http://www.globex.example/about');
      await until(
        'the warning cleared',
        async () => (await w.store.listErrors({ recordKeys: [`opportunity:${oppId}`] })).length === 0,
      );
    } finally {
      await writeSetting(w.store, 'createCompanies', true);
    }
  });

  test('a deleted account archives the deals of its opportunities', async () => {
    const acc = await w.sfRest.create('Account', { Name: 'Initech', Website: 'initech.example' });
    const { oppId } = await opportunity(w, 'Initech TPS', { AccountId: acc });
    await until('the deal', () => w.hsRest.dealOf(oppId));
    const passes = w.passes;
    await w.sfRest.delete('Account', acc);
    await until('the archive', async () => (await w.hsRest.dealOf(oppId)) === undefined);
    assert.equal(w.passes, passes, 'no polling pass was asked for');
  });
});
