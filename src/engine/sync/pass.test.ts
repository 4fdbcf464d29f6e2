import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DealbridgeError } from '../../errors/index.js';
import { CURSOR_OPPORTUNITIES } from './change-feed.js';
import { passHarness, passStores } from '../testing/pass-harness.js';

for (const [kind, openState] of Object.entries(passStores)) {
  const { harness, ready, linkedContact } = passHarness(openState);

  describe(`sync pass (${kind} store)`, () => {
    test('does nothing while opportunity sync is off', async () => {
      const h = await harness();
      const { c } = linkedContact(h);
      h.sf.addOpportunity({}, [c.Id]);
      const r = await h.engine.runPass();
      assert.equal(r.ran, false);
      assert.equal(h.hs.live('deals').length, 0);
      assert.equal(h.sf.totalCalls(), 0);
    });

    test('creates a deal with every mapped field, contact and company associations', async () => {
      const h = await ready();
      const { c, hs: contact } = linkedContact(h);
      const acc = h.sf.addAccount({ Name: 'Acme', Website: 'https://www.acme.io/' });
      const opp = h.sf.addOpportunity(
        {
          Name: 'Big deal',
          Amount: '12345.67',
          CloseDate: '2024-07-15',
          StageName: 'Negotiation',
          Type: 'New Customer',
          Description: 'line 1\nline 2',
          AccountId: acc.Id,
        },
        [c.Id],
      );
      const r = await h.engine.runPass();
      assert.equal(r.created, 1);
      const deal = h.hs.dealByOpportunity(opp.Id);
      assert.ok(deal);
      assert.equal(deal.properties.dealname, 'Big deal');
      assert.equal(deal.properties.amount, '12345.67');
      assert.equal(deal.properties.pipeline, 'p1');
      assert.equal(deal.properties.dealstage, 'p1-negotiation');
      assert.equal(deal.properties.dealtype, 'newbusiness');
      assert.equal(deal.properties.description, 'line 1\nline 2');
      assert.equal(deal.properties.hubspot_owner_id, '9001');
      assert.equal(new Date(deal.properties.closedate ?? '').toISOString(), '2024-07-15T00:00:00.000Z');
      assert.equal(new Date(deal.properties.createdate ?? '').toISOString(), opp.CreatedDate);
      assert.deepEqual(h.hs.associated(deal.id, 'contacts'), [contact.id]);
      const companies = h.hs.live('companies');
      assert.equal(companies.length, 1);
      assert.equal(companies[0]?.properties.salesforce_account_id, acc.Id);
      assert.equal(companies[0]?.properties.domain, 'acme.io');
      assert.deepEqual(h.hs.associated(deal.id, 'companies'), [companies[0]?.id]);
      // The email match is remembered; without a rollup pass nothing else is written to the
      // contact (its id goes with the rollup write: rollups/contact-id.test.ts).
      assert.equal(h.hs.calls.get('updateObjects:contacts') ?? 0, 0);
      assert.equal((await h.store.getContactLinks([c.Id])).get(c.Id)?.matchedBy, 'email');
      const audit = await h.store.auditFor(`deal:${deal.id}`, 100);
      assert.ok(audit.some((a) => a.field === 'amount' && a.oldValue === null && a.newValue === '12345.67'));
    });

    test('matches an existing company by domain instead of creating one', async () => {
      const h = await ready();
      const { c } = linkedContact(h);
      const company = h.hs.addCompany({ name: 'Acme Inc', domain: 'acme.io' });
      const acc = h.sf.addAccount({ Website: 'acme.io' });
      const opp = h.sf.addOpportunity({ AccountId: acc.Id }, [c.Id]);
      await h.engine.runPass();
      assert.equal(h.hs.live('companies').length, 1);
      assert.equal(company.properties.salesforce_account_id, acc.Id);
      assert.deepEqual(h.hs.associated(h.hs.dealByOpportunity(opp.Id)?.id ?? '', 'companies'), [company.id]);
    });

    test('skips opportunities without a HubSpot contact, then syncs them when the contact appears', async () => {
      const h = await ready();
      const c = h.sf.addContact({ Email: 'late@example.com' });
      const opp = h.sf.addOpportunity({}, [c.Id]);
      const r1 = await h.engine.runPass();
      assert.equal(r1.skipped, 1);
      assert.equal(r1.skippedByReason.no_contact_in_hubspot, 1);
      assert.equal(h.hs.live('deals').length, 0);
      assert.equal((await h.store.getOpportunities([opp.Id])).get(opp.Id)?.inScope, false);

      h.hs.addContact('LATE@example.com');
      h.sf.clock += 120_000;
      const r2 = await h.engine.runPass();
      assert.equal(r2.created, 1);
      assert.ok(h.hs.dealByOpportunity(opp.Id));
      assert.equal((await h.store.getOpportunities([opp.Id])).get(opp.Id)?.inScope, true);
    });

    test('updates changed fields, skips unchanged ones without a write, and audits old → new', async () => {
      const h = await ready();
      const { c } = linkedContact(h);
      const opp = h.sf.addOpportunity({ Amount: '100' }, [c.Id]);
      await h.engine.runPass();
      h.sf.clock += 10_000;
      const upsertsBefore = h.hs.calls.get('upsertDeals') ?? 0;
      const r2 = await h.engine.runPass();
      assert.equal(r2.created + r2.updated, 0);
      assert.equal(h.hs.calls.get('upsertDeals') ?? 0, upsertsBefore, 'no write when nothing changed');

      h.sf.updateOpportunity(opp.Id, {
        Amount: '250.5',
        StageName: 'Closed Won',
        IsClosed: true,
        IsWon: true,
      });
      const r3 = await h.engine.runPass();
      assert.equal(r3.updated, 1);
      const deal = h.hs.dealByOpportunity(opp.Id);
      assert.equal(deal?.properties.amount, '250.5');
      assert.equal(deal?.properties.dealstage, 'p1-won');
      const audit = await h.store.auditFor(`deal:${deal?.id}`, 100);
      assert.ok(audit.some((a) => a.field === 'amount' && a.oldValue === '100' && a.newValue === '250.5'));

      // A touch that changes nothing mapped: read, hashed, not written.
      h.sf.updateOpportunity(opp.Id, {});
      const before = h.hs.calls.get('upsertDeals') ?? 0;
      const r4 = await h.engine.runPass();
      assert.equal(r4.unchanged >= 1, true);
      assert.equal(h.hs.calls.get('upsertDeals') ?? 0, before);
    });

    test('contact role added and removed add and remove the deal↔contact association', async () => {
      const h = await ready();
      const a = linkedContact(h, 'a@example.com');
      const b = linkedContact(h, 'b@example.com');
      const opp = h.sf.addOpportunity({}, [a.c.Id]);
      await h.engine.runPass();
      const dealId = h.hs.dealByOpportunity(opp.Id)?.id ?? '';
      assert.deepEqual(h.hs.associated(dealId, 'contacts'), [a.hs.id]);

      const role = h.sf.addRole(opp.Id, b.c.Id);
      await h.engine.runPass();
      assert.deepEqual(h.hs.associated(dealId, 'contacts'), [a.hs.id, b.hs.id].sort());

      h.sf.deleteRole(role.Id);
      await h.engine.runPass();
      assert.deepEqual(h.hs.associated(dealId, 'contacts'), [a.hs.id]);
      assert.equal(h.hs.live('deals').length, 1);
    });

    test('a hand-made association in HubSpot is left alone', async () => {
      const h = await ready();
      const a = linkedContact(h, 'a@example.com');
      const other = h.hs.addContact('manual@example.com');
      const opp = h.sf.addOpportunity({}, [a.c.Id]);
      await h.engine.runPass();
      const dealId = h.hs.dealByOpportunity(opp.Id)?.id ?? '';
      await h.hs.associate('contacts', [{ fromId: dealId, toId: other.id, typeId: 3 }]);
      h.sf.updateOpportunity(opp.Id, { Name: 'Renamed' });
      await h.engine.runPass();
      assert.deepEqual(h.hs.associated(dealId, 'contacts'), [a.hs.id, other.id].sort());
    });

    test('account changed moves the primary company association', async () => {
      const h = await ready();
      const { c } = linkedContact(h);
      const acc1 = h.sf.addAccount({ Name: 'One', Website: 'one.com' });
      const acc2 = h.sf.addAccount({ Name: 'Two', Website: 'two.com' });
      const opp = h.sf.addOpportunity({ AccountId: acc1.Id }, [c.Id]);
      await h.engine.runPass();
      const dealId = h.hs.dealByOpportunity(opp.Id)?.id ?? '';
      const [co1] = h.hs.associated(dealId, 'companies');
      h.sf.updateOpportunity(opp.Id, { AccountId: acc2.Id });
      await h.engine.runPass();
      const now = h.hs.associated(dealId, 'companies');
      assert.equal(now.length, 1);
      assert.notEqual(now[0], co1);
      assert.equal(h.hs.objects.companies.get(now[0] ?? '')?.properties.salesforce_account_id, acc2.Id);
      h.sf.updateOpportunity(opp.Id, { AccountId: null });
      await h.engine.runPass();
      assert.deepEqual(h.hs.associated(dealId, 'companies'), []);
    });

    test('delete archives the deal, undelete brings one back, never two', async () => {
      const h = await ready();
      const { c } = linkedContact(h);
      const opp = h.sf.addOpportunity({}, [c.Id]);
      await h.engine.runPass();
      h.sf.deleteOpportunity(opp.Id);
      const r = await h.engine.runPass();
      assert.equal(r.archived, 1);
      assert.equal(h.hs.dealByOpportunity(opp.Id), undefined);
      assert.equal((await h.store.getOpportunities([opp.Id])).get(opp.Id)?.isDeleted, true);

      h.sf.undeleteOpportunity(opp.Id);
      for (const r of [...h.sf.roles.values()].filter((x) => x.OpportunityId === opp.Id)) {
        Object.assign(r, { IsDeleted: false, SystemModstamp: h.sf.tick() });
      }
      await h.engine.runPass();
      const deals = h.hs.live('deals').filter((d) => d.properties.salesforce_opportunity_id === opp.Id);
      assert.equal(deals.length, 1);
      assert.equal(h.hs.associated(deals[0]?.id ?? '', 'contacts').length, 1);
      const link = (await h.store.getDealLinks([opp.Id])).get(opp.Id);
      assert.equal(link?.archived, false);
      assert.equal(link?.dealId, deals[0]?.id);
    });

    test('a delete that queryAll no longer returns is found with getDeleted after a restart', async () => {
      const h = await ready();
      const { c } = linkedContact(h);
      const opp = h.sf.addOpportunity({}, [c.Id]);
      await h.engine.runPass();
      h.sf.deleteOpportunity(opp.Id);
      h.sf.purge(opp.Id);
      h.restart();
      await h.engine.runPass();
      assert.equal(h.hs.dealByOpportunity(opp.Id), undefined);
      assert.equal((await h.store.getDealLinks([opp.Id])).get(opp.Id)?.archived, true);
    });

    test('one bad opportunity among 100 is isolated; the other 99 sync; it is retried later', async () => {
      const h = await ready();
      const { c } = linkedContact(h);
      const opps = Array.from({ length: 100 }, (_, i) => h.sf.addOpportunity({ Name: `Deal ${i}` }, [c.Id]));
      h.hs.rejectDeal = (p) => (p.dealname === 'Deal 42' ? 'Property values were not valid: dealname' : null);
      const r = await h.engine.runPass();
      assert.equal(r.created, 99);
      assert.equal(r.failed, 1);
      assert.equal(h.hs.live('deals').length, 99);
      assert.ok(
        (h.hs.calls.get('upsertDeals') ?? 0) <= 16,
        `bisection stays cheap: ${h.hs.calls.get('upsertDeals')}`,
      );
      const [err] = await h.store.listErrors();
      assert.equal(err?.recordKey, `opportunity:${opps[42]?.Id}`);
      assert.equal(err?.code, 'HUBSPOT_VALIDATION');
      assert.equal(err?.attempts, 1);
      assert.ok(err?.nextRetryAt && err.nextRetryAt > new Date(h.sf.clock).toISOString());

      h.hs.rejectDeal = () => null;
      await h.engine.runPass();
      assert.equal(h.hs.live('deals').length, 99, 'not retried before its time');
      h.sf.clock += 61_000;
      await h.engine.runPass();
      assert.equal(h.hs.live('deals').length, 100);
      assert.deepEqual(await h.store.listErrors(), []);
    });

    test('many rows sharing one timestamp across page boundaries are all synced', async () => {
      const h = await harness();
      h.sf.pageSize = 7;
      await h.enable();
      const { c } = linkedContact(h);
      const stamp = h.sf.tick();
      const opps = Array.from({ length: 25 }, () => h.sf.addOpportunity({}, [c.Id]));
      for (const o of opps) o.SystemModstamp = stamp;
      await h.engine.runPass();
      assert.equal(h.hs.live('deals').length, 25);
    });

    test('a late commit with an older timestamp inside the look-back is still synced', async () => {
      const h = await ready();
      const { c } = linkedContact(h);
      h.sf.addOpportunity({}, [c.Id]);
      await h.engine.runPass();
      const cursor = await h.store.getCursor(CURSOR_OPPORTUNITIES);
      const late = h.sf.addOpportunity({}, [c.Id]);
      late.SystemModstamp = new Date(Date.parse(cursor?.modstamp ?? '') - 2000).toISOString();
      await h.engine.runPass();
      assert.ok(h.hs.dealByOpportunity(late.Id));
      const after = await h.store.getCursor(CURSOR_OPPORTUNITIES);
      assert.ok((after?.modstamp ?? '') >= (cursor?.modstamp ?? ''), 'the cursor never moves back');
    });

    test('a pass-level error stops the pass without advancing the cursor or recording record errors', async () => {
      const h = await ready();
      const { c } = linkedContact(h);
      h.sf.addOpportunity({}, [c.Id]);
      const before = await h.store.getCursor(CURSOR_OPPORTUNITIES);
      h.hs.faults.set('createDeals', [new DealbridgeError('HUBSPOT_RATE_LIMITED', '429 after retries')]);
      await assert.rejects(
        h.engine.runPass(),
        (e: unknown) => e instanceof DealbridgeError && e.code === 'HUBSPOT_RATE_LIMITED',
      );
      assert.deepEqual(await h.store.getCursor(CURSOR_OPPORTUNITIES), before);
      assert.deepEqual(await h.store.listErrors(), []);
      await h.engine.runPass();
      assert.equal(h.hs.live('deals').length, 1);
    });

    test('a crash after the create and before the outcome is stored replays without a duplicate', async () => {
      const h = await ready();
      const { c } = linkedContact(h);
      const acc = h.sf.addAccount({ Website: 'acme.io' });
      const opps = Array.from({ length: 30 }, () => h.sf.addOpportunity({ AccountId: acc.Id }, [c.Id]));
      const save = h.store.saveDealLinks.bind(h.store);
      h.store.saveDealLinks = async () => {
        throw new Error('process killed');
      };
      await assert.rejects(h.engine.runPass());
      h.store.saveDealLinks = save;
      assert.equal(h.hs.live('deals').length, 30, 'the create happened, with its associations');
      assert.equal(h.hs.calls.get('associate:contacts') ?? 0, 0);
      assert.equal((await h.store.getDealLinks(opps.map((o) => o.Id))).size, 0, 'nothing stored');
      h.restart();
      await h.engine.runPass();
      // The replayed create is refused (the ids are taken) and the batch goes the upsert way.
      assert.equal(h.hs.calls.get('createDeals'), 2);
      assert.ok((h.hs.calls.get('upsertDeals') ?? 0) >= 1);
      assert.equal(h.hs.live('deals').length, 30);
      assert.equal(h.hs.objects.deals.size, 30, 'no duplicate, archived or not');
      for (const o of opps) {
        const deal = h.hs.dealByOpportunity(o.Id)?.id ?? '';
        assert.equal(h.hs.associated(deal, 'contacts').length, 1);
        assert.equal(h.hs.associated(deal, 'companies').length, 1);
      }
      assert.deepEqual(await h.store.listErrors(), []);
    });

    test('a spent Salesforce budget stops the pass with SALESFORCE_LIMIT_REACHED', async () => {
      const h = await ready();
      h.sf.apiUsed = 80_000;
      await assert.rejects(
        h.engine.runPass(),
        (e: unknown) => e instanceof DealbridgeError && e.code === 'SALESFORCE_LIMIT_REACHED',
      );
    });

    test('150 new opportunities cost two creates with inline associations; 150 role changes two upserts and one association create', async () => {
      const h = await ready();
      const a = linkedContact(h, 'a@example.com');
      const b = linkedContact(h, 'b@example.com');
      const opps = Array.from({ length: 150 }, () => h.sf.addOpportunity({}, [a.c.Id]));
      await h.engine.runPass();
      assert.equal(h.hs.live('deals').length, 150);
      assert.equal(h.hs.calls.get('createDeals'), 2);
      assert.equal(h.hs.calls.get('upsertDeals') ?? 0, 0);
      assert.equal(h.hs.calls.get('associate:contacts') ?? 0, 0, 'associated with the create');
      for (const o of opps)
        assert.deepEqual(h.hs.associated(h.hs.dealByOpportunity(o.Id)?.id ?? '', 'contacts'), [a.hs.id]);
      // Existing deals: upserts, and one batch per Salesforce page for the new associations.
      for (const o of opps) h.sf.addRole(o.Id, b.c.Id);
      for (const o of opps) h.sf.updateOpportunity(o.Id, { Name: `${o.Name} 2` });
      await h.engine.runPass();
      assert.equal(h.hs.calls.get('upsertDeals'), 2);
      assert.equal(h.hs.calls.get('associate:contacts'), 1);
      assert.equal(h.sf.calls.get('opportunitiesByIds') ?? 0, 0);
    });
  });
}
