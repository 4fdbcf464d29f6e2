import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveCompanies } from './companies.js';
import { BatchRejectedError } from '../ports/remote.js';
import { createHarness, type Harness } from '../testing/fakes.js';

async function setup(): Promise<Harness & { deps: Parameters<typeof resolveCompanies>[0] }> {
  const h = await createHarness({});
  return Object.assign(h, { deps: { salesforce: h.sf, hubspot: h.hs, store: h.store } });
}
const readsById = (h: Harness) => h.hs.calls.get('readByUniqueProperty:companies') ?? 0;

test('domain first (the import): creates or domain-matches companies without reading by salesforce_account_id', async () => {
  const h = await setup();
  const a = h.sf.addAccount({ Name: 'A', Website: 'https://a.example' });
  const b = h.sf.addAccount({ Name: 'B', Website: 'b.example' });
  const hb = h.hs.addCompany({ name: 'B Inc', domain: 'b.example' });
  const r = await resolveCompanies(h.deps, [a.Id, b.Id], { create: true, readByIdFirst: false });
  assert.equal(readsById(h), 0);
  assert.equal(h.sf.calls.get('accountsByIds'), 1);
  assert.equal(r.linked.get(b.Id), hb.id);
  assert.equal(hb.properties.salesforce_account_id, b.Id);
  const created = h.hs.live('companies').find((c) => c.properties.salesforce_account_id === a.Id);
  assert.equal(r.linked.get(a.Id), created?.id);
  assert.equal((await h.store.getCompanyLinks([a.Id])).get(a.Id)?.matchedBy, 'created');
  assert.equal((await h.store.getCompanyLinks([b.Id])).get(b.Id)?.matchedBy, 'domain');
  // Accounts the query carried are not read from Salesforce again.
  const c = h.sf.addAccount({ Name: 'C', Website: null });
  await resolveCompanies(h.deps, [c.Id], {
    create: true,
    known: new Map([[c.Id, { ...c }]]),
    readByIdFirst: false,
  });
  assert.equal(h.sf.calls.get('accountsByIds'), 1);
});

test('the domain search finds the company that already carries the account id: linked by id', async () => {
  const h = await setup();
  const a = h.sf.addAccount({ Name: 'A', Website: 'a.example' });
  const mine = h.hs.addCompany({ name: 'A', domain: 'a.example', salesforce_account_id: a.Id });
  h.hs.addCompany({ name: 'A too', domain: 'a.example' });
  const r = await resolveCompanies(h.deps, [a.Id], { create: true, readByIdFirst: false });
  assert.equal(r.linked.get(a.Id), mine.id);
  assert.equal(h.hs.live('companies').length, 2);
  assert.equal(readsById(h), 0);
  assert.equal((await h.store.getCompanyLinks([a.Id])).get(a.Id)?.matchedBy, 'id');
});

test('id before domain: a company elsewhere holding the id wins over a domain match (write-back refused)', async () => {
  const h = await setup();
  const a = h.sf.addAccount({ Name: 'A', Website: 'a.example' });
  const other = h.sf.addAccount({ Name: 'O', Website: 'o.example' });
  const byDomain = h.hs.addCompany({ name: 'A by domain', domain: 'a.example' });
  const byId = h.hs.addCompany({ name: 'A by id', domain: 'elsewhere.example', salesforce_account_id: a.Id });
  const o = h.hs.addCompany({ name: 'O', domain: 'o.example' });
  const r = await resolveCompanies(h.deps, [a.Id, other.Id], { create: true, readByIdFirst: false });
  assert.equal(r.linked.get(a.Id), byId.id);
  assert.equal(byDomain.properties.salesforce_account_id, undefined, 'the domain match is left alone');
  assert.equal(r.linked.get(other.Id), o.id, 'the other write-back of the batch went through');
  assert.equal(o.properties.salesforce_account_id, other.Id);
  assert.deepEqual([...r.failed], []);
});

test('a create refused because the id exists (crash before the link was stored): linked, no duplicate', async () => {
  const h = await setup();
  const a = h.sf.addAccount({ Name: 'A', Website: null });
  const b = h.sf.addAccount({ Name: 'B', Website: null });
  const existing = h.hs.addCompany({ name: 'A', salesforce_account_id: a.Id });
  const r = await resolveCompanies(h.deps, [a.Id, b.Id], { create: true, readByIdFirst: false });
  assert.equal(r.linked.get(a.Id), existing.id);
  assert.ok(r.linked.get(b.Id));
  assert.equal(h.hs.live('companies').length, 2);
  assert.deepEqual([...r.failed], []);
  assert.equal(readsById(h), 1);
});

test('creation off: an account without a domain match is read by id before it fails', async () => {
  const h = await setup();
  const a = h.sf.addAccount({ Name: 'A', Website: 'a.example' });
  const b = h.sf.addAccount({ Name: 'B', Website: 'b.example' });
  const mine = h.hs.addCompany({ name: 'A', salesforce_account_id: a.Id });
  const r = await resolveCompanies(h.deps, [a.Id, b.Id], { create: false, readByIdFirst: false });
  assert.equal(r.linked.get(a.Id), mine.id);
  assert.match(r.failed.get(b.Id) ?? '', /no HubSpot company matches and company creation is off/);
});

test('a create HubSpot refuses for its content fails that account alone', async () => {
  const h = await setup();
  const accounts = [0, 1, 2].map((i) => h.sf.addAccount({ Name: `A${i}`, Website: null }));
  const original = h.hs.createObjects.bind(h.hs);
  h.hs.createObjects = async (type, inputs) => {
    if (inputs.some((i) => i.properties.name === 'A1'))
      throw new BatchRejectedError('name is invalid', 400, 'HUBSPOT_VALIDATION', []);
    return original(type, inputs);
  };
  const r = await resolveCompanies(
    h.deps,
    accounts.map((a) => a.Id),
    {
      create: true,
      known: new Map(accounts.map((a) => [a.Id, a])),
    },
  );
  assert.equal(r.linked.size, 2);
  assert.match(r.failed.get(accounts[1]!.Id) ?? '', /creating the company failed: name is invalid/);
});

test('id first (the sync, by default): found by salesforce_account_id, no search; the rest as before', async () => {
  const h = await setup();
  const a = h.sf.addAccount({ Name: 'A', Website: 'a.example' });
  const b = h.sf.addAccount({ Name: 'B', Website: 'b.example' });
  const mine = h.hs.addCompany({ name: 'A', domain: 'elsewhere.example', salesforce_account_id: a.Id });
  h.hs.addCompany({ name: 'A by domain', domain: 'a.example' });
  const r = await resolveCompanies(h.deps, [a.Id, b.Id], { create: false });
  assert.equal(r.linked.get(a.Id), mine.id);
  assert.match(r.failed.get(b.Id) ?? '', /creation is off/);
  assert.equal(readsById(h), 1, 'read once, not again before failing');
  assert.equal(h.hs.calls.get('findCompaniesByDomain'), 1);
  const again = await resolveCompanies(h.deps, [a.Id], { create: false });
  assert.equal(again.linked.get(a.Id), mine.id);
  assert.equal(readsById(h), 1, 'linked: no call');
});

test('COMPANY_MATCH_FAILED names its cause: several companies on the domain never suggest turning creation on', async () => {
  const h = await setup();
  const a = h.sf.addAccount({ Name: 'A', Website: 'shared.example' });
  h.hs.addCompany({ name: 'S1', domain: 'shared.example' });
  h.hs.addCompany({ name: 'S2', domain: 'shared.example' });
  const r = await resolveCompanies(h.deps, [a.Id], { create: true, readByIdFirst: false });
  const reason = r.failed.get(a.Id) ?? '';
  assert.match(reason, /2 HubSpot companies share the domain shared\.example; fix: merge the duplicate/);
  assert.doesNotMatch(reason, /createCompanies/);
  const b = h.sf.addAccount({ Name: 'B', Website: 'b.example' });
  const off = await resolveCompanies(h.deps, [b.Id], { create: false, readByIdFirst: false });
  assert.match(off.failed.get(b.Id) ?? '', /fix: `dealbridge settings set createCompanies on`/);
});

test('COMPANY_DOMAIN_SHARED: an account whose domain is taken by another account’s company gets a new one, with a warning', async () => {
  const h = await setup();
  const first = h.sf.addAccount({ Name: 'Orbit Freight', Website: 'https://orbit.example' });
  const second = h.sf.addAccount({ Name: 'Orbit Freight EU', Website: 'www.orbit.example/eu' });
  const taken = h.hs.addCompany({
    name: 'Orbit Freight',
    domain: 'orbit.example',
    salesforce_account_id: first.Id,
  });
  const plain = h.sf.addAccount({ Name: 'Plain', Website: 'plain.example' });
  for (const readByIdFirst of [false, true]) {
    const r = await resolveCompanies(h.deps, [second.Id, plain.Id], { create: true, readByIdFirst });
    if (!readByIdFirst) {
      const created = r.linked.get(second.Id);
      assert.ok(created && created !== taken.id, 'a new company, not the other account’s');
      assert.match(
        r.shared.get(second.Id) ?? '',
        new RegExp(`HubSpot company ${taken.id} \\(account ${first.Id}\\)`),
      );
      assert.equal(r.shared.has(plain.Id), false, 'a fresh domain is no warning');
    }
  }
  const stored = await h.store.listErrors({ severity: 'warning' });
  assert.deepEqual(
    stored.map((e) => [e.recordKey, e.code, e.nextRetryAt]),
    [[`account:${second.Id}`, 'COMPANY_DOMAIN_SHARED', null]],
  );
  assert.deepEqual(await h.store.errorCountsByCode('error'), {});
});
