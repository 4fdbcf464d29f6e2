// The corpus's fault cases: HubSpot's and Salesforce's answers going wrong, injected through the
// emulators' fault APIs (/__emulator/faults), and records deleted while a write is held up. Each
// runs on its own beside two good records made after it (faults.integration.test.ts).
import assert from 'node:assert/strict';
import type { BadInputCase } from './corpus.js';
import { opportunity, passes, person, type CorpusWorld, type Made } from './world.js';

type FaultCase = Omit<BadInputCase, 'file'>;

const DEALS_CREATE = '/crm/v3/objects/deals/batch/create';
const DEALS_UPSERT = '/crm/v3/objects/deals/batch/upsert';

async function hubspotFault(w: CorpusWorld, spec: Record<string, unknown>): Promise<void> {
  await w.hsRest.call('POST', '/__emulator/faults', { method: 'POST', times: 1, ...spec });
}

async function salesforceFault(w: CorpusWorld, spec: Record<string, unknown>): Promise<void> {
  const r = await w.sfEmu.admin.call('POST', 'faults', { times: 1, ...spec });
  assert.equal(r.status, 201, JSON.stringify(r.body));
}

/** An opportunity synced already, then changed: its next write is an upsert of an existing deal. */
async function syncedThenChanged(
  w: CorpusWorld,
  name: string,
  change: Record<string, unknown>,
): Promise<Made> {
  const made = await opportunity(w, { Name: name, Amount: 100 });
  await passes(w);
  assert.ok(await w.hsRest.dealOf(made.oppId), `${name} synced first`);
  await w.sfRest.update('Opportunity', made.oppId, change);
  return made;
}

/** Resolves once a HubSpot fault has fired (the write it holds up is in flight). */
async function faultFired(w: CorpusWorld): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const r = (await w.hsRest.call('GET', '/__emulator/faults')) as { results: { fired: number }[] };
    if (r.results.some((f) => f.fired > 0)) return;
    await new Promise((done) => setTimeout(done, 10));
  }
  throw new Error('the fault never fired');
}

const CUT_JSON = '{"status":"COMPLETE","results":[{"id":"12","properties":{"dealname":"Cut';
const PROXY_HTML = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';

const partial: FaultCase[] = [
  {
    id: 'hubspot-207.create-by-index',
    group: "HubSpot's 207 naming inputs by index",
    arrives:
      'a batch create of new deals answered 207: one input refused, named by its index (`context.index`)',
    does: 'writes the refused input again through an upsert in the same pass; the others of the batch are created once',
    outcome: { kind: 'retried', code: null },
    async make(w) {
      const made = await opportunity(w, { Name: 'Refused in a create batch' });
      await hubspotFault(w, { path: DEALS_CREATE, failInputs: { match: made.oppId } });
      return made;
    },
  },
  {
    id: 'hubspot-207.upsert-by-index',
    group: "HubSpot's 207 naming inputs by index",
    arrives:
      'a batch upsert of changed deals answered 207: one input refused (`VALIDATION_ERROR`), named by its index',
    does: 'fails that record alone with the message HubSpot gave, stored with a retry time; the retry writes it',
    outcome: { kind: 'retried', code: 'HUBSPOT_VALIDATION' },
    async make(w) {
      const made = await syncedThenChanged(w, 'Refused in an upsert batch', { Amount: 250 });
      await hubspotFault(w, {
        path: DEALS_UPSERT,
        failInputs: { match: made.oppId, message: 'Property values were not valid: amount' },
      });
      return made;
    },
    deal: { amount: '250' },
  },
  {
    id: 'hubspot-207.association-by-index',
    group: "HubSpot's 207 naming inputs by index",
    arrives:
      "a contact role added to a synced opportunity; HubSpot's association batch answers 207 refusing that association by index",
    does: 'the deal keeps its values; the association fails alone (`ASSOCIATION_FAILED`, retried) and is written by the retry',
    outcome: { kind: 'retried', code: 'ASSOCIATION_FAILED' },
    async make(w) {
      const made = await opportunity(w, { Name: 'Association refused by index' });
      await passes(w);
      const second = await person(w, 'Second buyer');
      await w.sfRest.create('OpportunityContactRole', {
        OpportunityId: made.oppId,
        ContactId: second.contactId,
      });
      await hubspotFault(w, {
        path: '/crm/v4/associations/deals/contacts/batch/create',
        failInputs: { match: `"id":"${second.hsContactId}"` },
      });
      return { ...made, people: [...made.people, second] };
    },
    async check(w, made) {
      const deal = await w.hsRest.dealOf(made.oppId);
      assert.deepEqual(
        await w.hsRest.associated(deal!.id, 'contacts'),
        made.people.map((p) => p.hsContactId).sort(),
      );
    },
  },
  {
    id: 'hubspot-207.rollup-by-index',
    group: "HubSpot's 207 naming inputs by index",
    arrives: "a won opportunity's contact whose rollup update HubSpot's batch answers 207, refused by index",
    does: "the deal syncs; the contact's rollups fail alone (stored under `contact:…`, retried) and the retry writes them",
    outcome: { kind: 'retried', code: 'HUBSPOT_VALIDATION' },
    async make(w) {
      const made = await opportunity(w, {
        Name: 'Rollup refused by index',
        StageName: 'Closed Won',
        Amount: 700,
      });
      await hubspotFault(w, {
        path: '/crm/v3/objects/contacts/batch/update',
        failInputs: { match: `"id":"${made.people[0]!.hsContactId}"` },
      });
      return made;
    },
    async check(w, made) {
      const c = await w.hsRest.get('contacts', made.people[0]!.hsContactId!, ['salesforce_total_revenue']);
      assert.equal(c?.properties.salesforce_total_revenue, '700.00');
    },
  },
];

const malformed: FaultCase[] = [
  {
    id: 'hubspot.create-cut-off-json',
    group: 'Malformed or truncated answers',
    arrives: 'a batch create answered 200 with JSON cut off mid-way',
    does: 'retries the call at once (`HUBSPOT_BAD_RESPONSE` if the retries get no readable answer); synced in the same pass',
    outcome: { kind: 'retried', code: null },
    async make(w) {
      const made = await opportunity(w, { Name: 'Create answered with cut-off JSON' });
      await hubspotFault(w, { path: DEALS_CREATE, rawBody: CUT_JSON });
      return made;
    },
  },
  {
    id: 'hubspot.upsert-html-200',
    group: 'Malformed or truncated answers',
    arrives: "a batch upsert answered 200 with a proxy's HTML page",
    does: 'retries the call at once; synced in the same pass',
    outcome: { kind: 'retried', code: null },
    async make(w) {
      const made = await syncedThenChanged(w, 'Upsert answered with HTML', { Amount: 300 });
      await hubspotFault(w, { path: DEALS_UPSERT, rawBody: PROXY_HTML, contentType: 'text/html' });
      return made;
    },
    deal: { amount: '300' },
  },
  {
    id: 'hubspot.create-cut-after-write',
    group: 'Malformed or truncated answers',
    arrives: 'a batch create that HubSpot carried out, whose answer broke off after 40 bytes',
    does: 'retries; HubSpot refuses the repeat (the opportunity ids are taken), so the batch goes as upserts: one deal per opportunity, none twice',
    outcome: { kind: 'retried', code: null },
    async make(w) {
      const made = await opportunity(w, { Name: 'Created, answer cut off' });
      await hubspotFault(w, { path: DEALS_CREATE, truncateAfter: 40 });
      return made;
    },
  },
  {
    id: 'hubspot.upsert-cut-after-write',
    group: 'Malformed or truncated answers',
    arrives: 'a batch upsert that HubSpot carried out, whose answer broke off after 40 bytes',
    does: 'retries the idempotent upsert; synced in the same pass',
    outcome: { kind: 'retried', code: null },
    async make(w) {
      const made = await syncedThenChanged(w, 'Upserted, answer cut off', { Amount: 400 });
      await hubspotFault(w, { path: DEALS_UPSERT, truncateAfter: 40 });
      return made;
    },
    deal: { amount: '400' },
  },
  {
    id: 'hubspot.upsert-result-missing',
    group: 'Malformed or truncated answers',
    arrives: 'a batch upsert answered 200 whose results leave one input out, with no error for it',
    does: 'fails that record alone (`HUBSPOT_BAD_RESPONSE`, retried) instead of taking it as written; the retry writes it',
    outcome: { kind: 'retried', code: 'HUBSPOT_BAD_RESPONSE' },
    async make(w) {
      const made = await syncedThenChanged(w, 'Upsert result left out', { Amount: 500 });
      await hubspotFault(w, { path: DEALS_UPSERT, dropResults: { match: made.oppId } });
      return made;
    },
    deal: { amount: '500' },
  },
  {
    id: 'hubspot.create-wrong-shape',
    group: 'Malformed or truncated answers',
    arrives: 'a batch create answered 200 with JSON that is not a batch answer (`results` an object)',
    does: 'stops the pass with `HUBSPOT_BAD_RESPONSE` naming the call and what is wrong; the next pass syncs',
    outcome: { kind: 'retried', code: 'HUBSPOT_BAD_RESPONSE' },
    async make(w) {
      const made = await opportunity(w, { Name: 'Create answered with the wrong shape' });
      await hubspotFault(w, { path: DEALS_CREATE, rawBody: '{"status":"COMPLETE","results":{"id":"1"}}' });
      return made;
    },
  },
  {
    id: 'hubspot.lookup-cut-off-json',
    group: 'Malformed or truncated answers',
    arrives: 'the contact look-up (batch read by email) answered 200 with JSON cut off mid-way',
    does: 'retries the read at once; synced in the same pass',
    outcome: { kind: 'retried', code: null },
    async make(w) {
      const made = await opportunity(w, { Name: 'Contact look-up cut off' });
      await hubspotFault(w, {
        path: '/crm/v3/objects/contacts/batch/read',
        rawBody: '{"status":"COMPLETE","res',
      });
      return made;
    },
  },
  {
    id: 'hubspot.create-garbage-lasting',
    group: 'Malformed or truncated answers',
    arrives: 'batch creates answered 200 with cut-off JSON ten times in a row',
    does: 'after the retries, stops the pass with `HUBSPOT_BAD_RESPONSE` (the message shows what arrived); later passes sync',
    outcome: { kind: 'retried', code: 'HUBSPOT_BAD_RESPONSE' },
    async make(w) {
      const made = await opportunity(w, { Name: 'Create garbled ten times' });
      await hubspotFault(w, { path: DEALS_CREATE, rawBody: CUT_JSON, times: 10 });
      return made;
    },
  },
  {
    id: 'salesforce.query-cut-off-json',
    group: 'Malformed or truncated answers',
    arrives: "the change feed's query page answered 200 with JSON cut off mid-way",
    does: 'retries the read at once; synced in the same pass',
    outcome: { kind: 'retried', code: null },
    async make(w) {
      const made = await opportunity(w, { Name: 'Query page cut off' });
      await salesforceFault(w, {
        route: 'queryAll',
        rawBody: '{"totalSize":3,"done":true,"records":[{"attr',
      });
      return made;
    },
  },
  {
    id: 'salesforce.query-html-200',
    group: 'Malformed or truncated answers',
    arrives: 'a query answered 200 with an HTML maintenance page',
    does: 'retries the read at once; synced in the same pass',
    outcome: { kind: 'retried', code: null },
    async make(w) {
      const made = await opportunity(w, { Name: 'Query answered with HTML' });
      await salesforceFault(w, {
        route: 'queryAll',
        rawBody: '<html><body>Salesforce is down for maintenance</body></html>',
        contentType: 'text/html',
      });
      return made;
    },
  },
  {
    id: 'salesforce.query-cut-after-headers',
    group: 'Malformed or truncated answers',
    arrives: 'a query page whose answer broke off after 40 bytes',
    does: 'retries the read at once; synced in the same pass',
    outcome: { kind: 'retried', code: null },
    async make(w) {
      const made = await opportunity(w, { Name: 'Query broken off' });
      await salesforceFault(w, { route: 'queryAll', truncateAfter: 40 });
      return made;
    },
  },
  {
    id: 'salesforce.query-malformed-row',
    group: 'Malformed or truncated answers',
    arrives: 'a query page of valid JSON whose row is not an opportunity (`Id` is `not-an-id`)',
    does: 'stops the pass with `SALESFORCE_BAD_RESPONSE` naming the call and the field; the next pass reads again from the cursor and syncs',
    outcome: { kind: 'retried', code: 'SALESFORCE_BAD_RESPONSE' },
    async make(w) {
      const made = await opportunity(w, { Name: 'Query with a malformed row' });
      await salesforceFault(w, {
        route: 'queryAll',
        rawBody: JSON.stringify({
          totalSize: 1,
          done: true,
          records: [{ attributes: { type: 'Opportunity' }, Id: 'not-an-id', Name: 'x' }],
        }),
      });
      return made;
    },
  },
  {
    id: 'salesforce.query-garbage-lasting',
    group: 'Malformed or truncated answers',
    arrives: 'queries answered 200 with cut-off JSON ten times in a row',
    does: 'after the retries, stops the pass with `SALESFORCE_BAD_RESPONSE`; later passes sync',
    outcome: { kind: 'retried', code: 'SALESFORCE_BAD_RESPONSE' },
    async make(w) {
      const made = await opportunity(w, { Name: 'Queries garbled ten times' });
      await salesforceFault(w, { route: 'queryAll', rawBody: '{"totalSize":3,"done":tr', times: 10 });
      return made;
    },
  },
];

const deletedMeanwhile: FaultCase[] = [
  {
    id: 'opportunity.deleted-during-write',
    group: 'Deleted parents, records deleted between read and write',
    arrives: 'an opportunity deleted in Salesforce after the pass read it, while its deal was being created',
    does: 'the deal is created, then archived by the next pass (the delete is read like any other)',
    outcome: { kind: 'removed' },
    async make(w) {
      const made = await opportunity(w, { Name: 'Deleted during the write' });
      await hubspotFault(w, { path: DEALS_CREATE, delayMs: 300 });
      return made;
    },
    async during(w, made) {
      await faultFired(w);
      await w.sfRest.delete('Opportunity', made.oppId);
    },
  },
  {
    id: 'hubspot-contact.deleted-during-write',
    group: 'Deleted parents, records deleted between read and write',
    arrives:
      'the HubSpot contact of a new opportunity deleted by a user after the look-up found it, before the deal was created with it',
    does: 'HubSpot refuses the create with the association; the deal is written by upsert, and without the contact (looked for again, not found, kept pending)',
    outcome: { kind: 'synced' },
    async make(w) {
      const made = await opportunity(w, { Name: 'Contact deleted during the write' });
      await hubspotFault(w, { path: DEALS_CREATE, delayMs: 300 });
      return made;
    },
    async during(w, made) {
      await faultFired(w);
      await w.hsRest.call('DELETE', `/crm/v3/objects/contacts/${made.people[0]!.hsContactId}`);
    },
    async check(w, made) {
      const deal = await w.hsRest.dealOf(made.oppId);
      assert.deepEqual(await w.hsRest.associated(deal!.id, 'contacts'), []);
    },
  },
  {
    id: 'hubspot-company.deleted-during-write',
    group: 'Deleted parents, records deleted between read and write',
    arrives:
      "the HubSpot company of a new opportunity's account deleted by a user after dealbridge matched it, before the deal was created with it",
    does: 'HubSpot refuses the create with the association; the deal is written by upsert and associated with the account matched again (a new company)',
    outcome: { kind: 'synced' },
    async make(w) {
      const accountId = await w.sfRest.create('Account', {
        Name: 'Company Deleted Meanwhile',
        Website: 'meanwhile.example',
      });
      const companyId = await w.hsRest.call('POST', '/crm/v3/objects/companies', {
        properties: { name: 'Company Deleted Meanwhile', domain: 'meanwhile.example' },
      });
      const made = await opportunity(w, { Name: 'Company deleted during the write', AccountId: accountId });
      await hubspotFault(w, { path: DEALS_CREATE, delayMs: 300 });
      return { ...made, ids: { accountId, companyId: (companyId as { id: string }).id } };
    },
    async during(w, made) {
      await faultFired(w);
      await w.hsRest.call('DELETE', `/crm/v3/objects/companies/${made.ids!.companyId}`);
    },
    async check(w, made) {
      const deal = await w.hsRest.dealOf(made.oppId);
      const [company, ...more] = await w.hsRest.associated(deal!.id, 'companies');
      assert.deepEqual(more, []);
      assert.ok(company && company !== made.ids!.companyId, `a new company: ${company}`);
      const c = await w.hsRest.get('companies', company, ['salesforce_account_id']);
      assert.equal(c?.properties.salesforce_account_id, made.ids!.accountId);
    },
  },
];

export const faultCases: BadInputCase[] = [...partial, ...malformed, ...deletedMeanwhile].map((c) => ({
  ...c,
  file: 'faults' as const,
}));
