// Issue #11 §2: HubSpot contacts and companies deleted or merged in HubSpot by a user. Before, the
// next rollup write of such a record failed with HUBSPOT_NOT_FOUND and was retried forever, the
// link was never dropped, the survivor of a merge got no rollups, and a new opportunity of that
// contact created a deal without its contact (ASSOCIATION_FAILED). Now dealbridge forgets the link,
// matches again (a read by a merged id redirects to the merge's new record; else by
// salesforce_contact_id / salesforce_account_id, then email / domain), re-associates the deals and
// rewrites the rollups in the same pass.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { HubspotEmulator } from '../../../emulators/hubspot/index.js';
import type { SalesforceEmulator } from '../../../emulators/salesforce/index.js';
import type { HubspotAdapter } from '../../hubspot/index.js';
import type { SalesforceAdapter } from '../../salesforce/index.js';
import { openStore, type Store } from '../../store/index.js';
import { listerFor, runVerify } from '../../verify/index.js';
import { createRollupHook } from '../rollups/hook.js';
import { defaultRollupPropertyNames } from '../rollups/index.js';
import { connectEmulators, type EmulatorWorld } from '../testing/emulator-world.js';
import type { HubspotRest } from '../testing/hubspot-rest.js';
import type { SalesforceRest } from '../testing/salesforce-rest.js';
import { writeSetting } from '../user-settings.js';
import { SyncEngine } from './pass.js';

const COUNT = defaultRollupPropertyNames.numAssociatedDeals;
const REVENUE = defaultRollupPropertyNames.totalRevenue;

describe('HubSpot contacts and companies deleted or merged by a user', { timeout: 180_000 }, () => {
  let sfEmu: SalesforceEmulator;
  let hsEmu: HubspotEmulator;
  let sf: SalesforceAdapter;
  let hs: HubspotAdapter;
  let store: Store;
  let sfRest: SalesforceRest;
  let hsRest: HubspotRest;
  let engine: SyncEngine;
  let later: EmulatorWorld['later'];
  let n = 0;

  before(async () => {
    store = await openStore(':memory:');
    ({ sfEmu, hsEmu, sf, hs, sfRest, hsRest, later } = await connectEmulators({ store }));
    await writeSetting(store, 'opportunitySync', true, { salesforce: sf });
    engine = new SyncEngine({
      salesforce: sf,
      hubspot: hs,
      store,
      options: { lookbackSeconds: 30, rescopeIntervalMs: 0 },
      onTouched: createRollupHook({ salesforce: sf, hubspot: hs, store }),
    });
  });
  after(async () => {
    sf?.close();
    await store?.close();
    await sfEmu?.close();
    await hsEmu?.close();
  });
  beforeEach(() => {
    n++;
  });

  /** A Salesforce contact (fewest fields: LastName, Email) and its HubSpot contact (email only). */
  async function contactPair(name: string): Promise<{ sfId: string; hsId: string; email: string }> {
    const email = `${name.toLowerCase()}.${n}@relink.example`;
    const sfId = await sfRest.create('Contact', { LastName: name, Email: email });
    const hsId = await hsRest.createContact(email);
    return { sfId, hsId, email };
  }

  /** An opportunity with the fields the API requires, one contact role, optionally an account. */
  async function opportunity(
    name: string,
    contactId: string,
    more: Record<string, unknown> = {},
  ): Promise<string> {
    const id = await sfRest.create('Opportunity', {
      Name: name,
      StageName: 'Closed Won',
      CloseDate: '2026-03-31',
      Amount: 100,
      ...more,
    });
    await sfRest.create('OpportunityContactRole', { OpportunityId: id, ContactId: contactId });
    return id;
  }

  /** A pass, after which the user's next edits land in a later second (EmulatorWorld.later). */
  async function pass(): Promise<void> {
    const r = await engine.runPass();
    assert.equal(r.failed, 0, JSON.stringify(await store.listErrors()));
    later();
  }

  async function errorsOf(...keys: string[]): Promise<string[]> {
    return (await store.listErrors()).filter((e) => keys.includes(e.recordKey)).map((e) => e.code);
  }

  async function verifyClean(): Promise<void> {
    const list = listerFor(hs);
    const report = await runVerify(
      { salesforce: sf, hubspot: hs, list },
      { rule: 'created', lifecycle: true, names: defaultRollupPropertyNames },
    );
    assert.equal(report.ok, true, JSON.stringify(report.differences.slice(0, 5)));
  }

  test('a deleted contact: the link is dropped, the contact matched again by email, deals re-associated', async () => {
    const c = await contactPair('Deleted');
    const first = await opportunity('Deleted contact first', c.sfId);
    await pass();
    const deal = await hsRest.dealOf(first);
    assert.ok(deal);
    assert.deepEqual(await hsRest.associated(deal.id, 'contacts'), [c.hsId]);

    // A user deletes the contact in HubSpot, and it comes back later (a form, an import).
    await hsRest.call('DELETE', `/crm/v3/objects/contacts/${c.hsId}`);
    const again = await hsRest.createContact(c.email);
    // The opportunity changes: its contact's rollups change and must be written.
    await sfRest.update('Opportunity', first, { Amount: 250 });
    const second = await opportunity('Deleted contact second', c.sfId);
    await pass();

    assert.deepEqual(
      await errorsOf(`contact:${c.sfId}`, `opportunity:${first}`, `opportunity:${second}`),
      [],
    );
    assert.equal((await store.getContactLinks([c.sfId])).get(c.sfId)?.hubspotId, again);
    const newDeal = await hsRest.dealOf(second);
    assert.ok(newDeal);
    assert.deepEqual(await hsRest.associated(deal.id, 'contacts'), [again]);
    assert.deepEqual(await hsRest.associated(newDeal.id, 'contacts'), [again]);
    const props = (await hsRest.get('contacts', again, [COUNT, REVENUE, 'lifecyclestage']))?.properties;
    assert.equal(props?.[COUNT], '2');
    assert.equal(Number(props?.[REVENUE]), 350);
    assert.equal(props?.lifecyclestage, 'customer');
    await verifyClean();
  });

  test('a deleted contact that does not come back: the link is dropped, nothing is retried forever', async () => {
    const c = await contactPair('Gone');
    const opp = await opportunity('Gone contact', c.sfId);
    await pass();
    await hsRest.call('DELETE', `/crm/v3/objects/contacts/${c.hsId}`);
    await sfRest.update('Opportunity', opp, { Amount: 300 });
    await pass();
    assert.deepEqual(await errorsOf(`contact:${c.sfId}`, `opportunity:${opp}`), []);
    assert.equal((await store.getContactLinks([c.sfId])).has(c.sfId), false);
  });

  test('two contacts merged in HubSpot: both follow the new record, which gets the rollups of both', async () => {
    const a = await contactPair('Primary');
    const b = await contactPair('Merged');
    const oppA = await opportunity('Merge primary', a.sfId, { StageName: 'Prospecting' });
    const oppB = await opportunity('Merge other', b.sfId, { Amount: 40 });
    await pass();
    const merged = (await hsRest.call('POST', '/crm/v3/objects/contacts/merge', {
      primaryObjectId: a.hsId,
      objectIdToMerge: b.hsId,
    })) as { id: string };
    assert.notEqual(merged.id, a.hsId, 'HubSpot merges into a new record');

    await sfRest.update('Opportunity', oppA, { Amount: 70 });
    const third = await opportunity('Merge third', b.sfId, { Amount: 5 });
    await pass();

    assert.deepEqual(
      await errorsOf(`contact:${a.sfId}`, `contact:${b.sfId}`, `opportunity:${oppA}`, `opportunity:${third}`),
      [],
    );
    const links = await store.getContactLinks([a.sfId, b.sfId]);
    assert.equal(links.get(a.sfId)?.hubspotId, merged.id);
    assert.equal(links.get(b.sfId)?.hubspotId, merged.id);
    const dealThird = await hsRest.dealOf(third);
    assert.ok(dealThird);
    assert.deepEqual(await hsRest.associated(dealThird.id, 'contacts'), [merged.id]);
    const props = (await hsRest.get('contacts', merged.id, [COUNT, REVENUE, 'lifecyclestage']))?.properties;
    assert.equal(props?.[COUNT], '3');
    assert.equal(Number(props?.[REVENUE]), 45);
    assert.equal(props?.lifecyclestage, 'customer');
    void oppB;
    await verifyClean();
  });

  /** An account with a website, and the HubSpot company of its domain (as a user made it). */
  async function accountPair(name: string): Promise<{ accountId: string; companyId: string }> {
    const domain = `${name.toLowerCase()}-${n}.example`;
    const accountId = await sfRest.create('Account', { Name: name, Website: `https://www.${domain}` });
    const company = (await hsRest.call('POST', '/crm/v3/objects/companies', {
      properties: { name, domain },
    })) as { id: string };
    return { accountId, companyId: company.id };
  }

  test('a company merged in HubSpot with a duplicate: the account follows the new record', async () => {
    const acc = await accountPair('Mergeco');
    const c = await contactPair('Mergeco');
    const first = await opportunity('Mergeco first', c.sfId, { AccountId: acc.accountId });
    await pass();
    assert.equal((await store.getCompanyLinks([acc.accountId])).get(acc.accountId)?.hubspotId, acc.companyId);

    // A user finds a duplicate company and merges the linked one into it (the duplicate primary).
    const dup = (await hsRest.call('POST', '/crm/v3/objects/companies', {
      properties: { name: 'Mergeco Inc', domain: `mergeco-dup-${n}.example` },
    })) as { id: string };
    const merged = (await hsRest.call('POST', '/crm/v3/objects/companies/merge', {
      primaryObjectId: dup.id,
      objectIdToMerge: acc.companyId,
    })) as { id: string };
    await sfRest.update('Opportunity', first, { Amount: 900 });
    const second = await opportunity('Mergeco second', c.sfId, { AccountId: acc.accountId, Amount: 1 });
    await pass();

    assert.deepEqual(
      await errorsOf(`company:${acc.accountId}`, `opportunity:${first}`, `opportunity:${second}`),
      [],
    );
    assert.equal((await store.getCompanyLinks([acc.accountId])).get(acc.accountId)?.hubspotId, merged.id);
    for (const opp of [first, second]) {
      const deal = await hsRest.dealOf(opp);
      assert.ok(deal);
      assert.deepEqual(await hsRest.associated(deal.id, 'companies'), [merged.id]);
    }
    const props = (await hsRest.get('companies', merged.id, [COUNT, REVENUE]))?.properties;
    assert.equal(props?.[COUNT], '2');
    assert.equal(Number(props?.[REVENUE]), 901);
    await verifyClean();
  });

  test('a deleted company: the account is matched again (created, as createCompanies is on)', async () => {
    const acc = await accountPair('Deletedco');
    const c = await contactPair('Deletedco');
    const opp = await opportunity('Deletedco first', c.sfId, { AccountId: acc.accountId });
    await pass();
    await hsRest.call('DELETE', `/crm/v3/objects/companies/${acc.companyId}`);
    await sfRest.update('Opportunity', opp, { Amount: 120 });
    await pass();

    assert.deepEqual(await errorsOf(`company:${acc.accountId}`, `opportunity:${opp}`), []);
    const now = (await store.getCompanyLinks([acc.accountId])).get(acc.accountId);
    assert.ok(now && now.hubspotId !== acc.companyId, JSON.stringify(now));
    const deal = await hsRest.dealOf(opp);
    assert.ok(deal);
    assert.deepEqual(await hsRest.associated(deal.id, 'companies'), [now.hubspotId]);
    const props = (await hsRest.get('companies', now.hubspotId, [COUNT, REVENUE]))?.properties;
    assert.equal(props?.[COUNT], '1');
    assert.equal(Number(props?.[REVENUE]), 120);
    await verifyClean();
  });
});
