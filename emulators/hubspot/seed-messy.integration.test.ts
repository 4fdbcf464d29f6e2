// The messy portal beside the messy org: owners, contacts and companies match the org's users,
// contacts and accounts partly, as real portals do; the contact merged in HubSpot redirects.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type TestPortal } from './testing.js';
import { startOrg, API, type TestOrg } from '../salesforce/testing.js';
import { MESSY_CASES as C, bareDomain } from '../salesforce/messy-people.js';

type Row = Record<string, unknown>;
let p: TestPortal;
let org: TestOrg;
let hsContacts: { id: string; properties: Record<string, string | null> }[];

async function allContacts(): Promise<typeof hsContacts> {
  const out: typeof hsContacts = [];
  let after: string | undefined;
  do {
    const r = await p.api(
      'GET',
      `/crm/v3/objects/contacts?limit=100&properties=email,hs_additional_emails${after ? `&after=${after}` : ''}`,
    );
    out.push(...r.body.results);
    after = r.body.paging?.next?.after;
  } while (after);
  return out;
}

async function soql(q: string, all = false): Promise<Row[]> {
  const r = await org.raw('GET', `${API}/${all ? 'queryAll' : 'query'}?q=${encodeURIComponent(q)}`);
  return (r.body as { records: Row[] }).records;
}

before(async () => {
  [p, org] = await Promise.all([startPortal({ seed: 'messy' }), startOrg({ seed: 'messy' })]);
  hsContacts = await allContacts();
});
after(async () => {
  await Promise.all([p.close(), org.close()]);
});

describe('messy portal', () => {
  test('owners for some users: not for those without one, one email in another letter case', async () => {
    const owners = (await p.api('GET', '/crm/v3/owners?limit=100')).body.results as { email: string }[];
    const users = await soql('SELECT Email FROM User');
    const ownerEmails = owners.map((o) => o.email.toLowerCase());
    const userEmails = users.map((u) => String(u.Email).toLowerCase());
    assert.ok(
      ownerEmails.every((e) => userEmails.includes(e)),
      'every owner is a user of the org',
    );
    assert.ok(!ownerEmails.includes(C.users.withoutHubspotOwner));
    assert.ok(!ownerEmails.includes(C.users.placeholderEmail));
    assert.ok(owners.some((o) => o.email === C.users.ownerEmailOtherCase));
    assert.ok(ownerEmails.includes(C.users.inactive), 'the inactive user still has an owner');
  });

  test('contacts for most org contacts: some missing, some in another case, one for the shared email', async () => {
    const orgEmails = (await soql('SELECT Email FROM Contact'))
      .map((c) => c.Email as string | null)
      .filter((e): e is string => e !== null);
    const hsEmails = hsContacts.map((c) => c.properties.email!);
    const lower = new Set(hsEmails.map((e) => e.toLowerCase()));
    const matched = orgEmails.filter((e) => lower.has(e.toLowerCase()));
    assert.ok(matched.length >= orgEmails.length * 0.7, `${matched.length} of ${orgEmails.length}`);
    assert.ok(matched.length < orgEmails.length, 'some are missing');
    assert.ok(
      hsEmails.some(
        (e) => !orgEmails.includes(e) && orgEmails.some((o) => o.toLowerCase() === e.toLowerCase()),
      ),
      'some differ in letter case',
    );
    const shared = hsEmails.filter((e) => e.toLowerCase() === C.contacts.sameEmailOtherCase[0]);
    assert.equal(shared.length, 1);
  });

  test('a contact merged in HubSpot: both old ids read as the merged record, with the other email added', async () => {
    const hm = C.contacts.mergedInHubspot;
    const merged = hsContacts.find((c) => c.properties.email === hm.primary)!;
    assert.ok(merged);
    assert.equal(merged.properties.hs_additional_emails, hm.merged);
    assert.ok(
      !hsContacts.some((c) => c.properties.email === hm.merged),
      'no live contact of the merged email',
    );
    const r = await p.api('GET', `/crm/v3/objects/contacts/${merged.id}?properties=hs_merged_object_ids`);
    const oldIds = String(r.body.properties.hs_merged_object_ids).split(';');
    assert.equal(oldIds.length, 2);
    for (const old of oldIds) {
      const byOld = await p.api('GET', `/crm/v3/objects/contacts/${old}`);
      assert.equal(byOld.status, 200);
      assert.equal(byOld.body.id, merged.id);
    }
  });

  test('companies for part of the accounts by domain; one company for the domain two accounts share', async () => {
    const r = await p.api('GET', '/crm/v3/objects/companies?limit=100&properties=domain');
    const domains = (r.body.results as { properties: { domain: string } }[]).map((c) => c.properties.domain);
    const accountDomains = (await soql('SELECT Website FROM Account', true))
      .map((a) => a.Website as string | null)
      .filter((w): w is string => w !== null)
      .map(bareDomain);
    assert.equal(domains.filter((d) => d === C.accounts.sharedDomain.domain).length, 1);
    // Deleted accounts included: the portal still has the company of the account deleted since.
    assert.ok(domains.every((d) => accountDomains.includes(d)));
    assert.ok(new Set(domains).size < new Set(accountDomains).size, 'some accounts have no company');
  });

  test("dealtype keeps HubSpot's default options", async () => {
    const r = await p.api('GET', '/crm/v3/properties/deals/dealtype');
    assert.deepEqual(
      r.body.options.map((o: { value: string }) => o.value),
      ['newbusiness', 'existingbusiness'],
    );
  });

  test('the admin seed route builds the same portal', async () => {
    const r = await p.admin('POST', '/seed', { kind: 'messy' });
    assert.equal(r.status, 200);
    const again = await allContacts();
    assert.deepEqual(
      again.map((c) => c.properties.email),
      hsContacts.map((c) => c.properties.email),
    );
  });
});
