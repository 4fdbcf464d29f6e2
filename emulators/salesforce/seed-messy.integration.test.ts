// The messy org (`seed: 'messy'`) read through the REST API as the connector reads it: every case
// of MESSY_CASES is present; the seed is deterministic; Salesforce-style merges.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { API, startOrg, type TestOrg } from './testing.js';
import { MESSY_CASES as C, bareDomain, messyLongName } from './messy-people.js';
import { seedMessy } from './seed-messy.js';
import { exportOrg } from './data-file.js';
import { Clock } from './clock.js';
import { DAY_MS } from './time.js';

type Row = Record<string, unknown>;
let org: TestOrg;
const NOW = Date.UTC(2025, 5, 2, 12, 0, 0);

async function soql(q: string, all = false): Promise<Row[]> {
  const r = await org.raw('GET', `${API}/${all ? 'queryAll' : 'query'}?q=${encodeURIComponent(q)}`);
  assert.equal(r.status, 200, r.text);
  const body = r.body as { records: Row[]; done: boolean };
  assert.equal(body.done, true, 'the messy org fits in one page per query');
  return body.records;
}

let opps: Row[];
let contacts: Row[];
let accounts: Row[];
let roles: Row[];
let users: Row[];
const oppNamed = (name: string) => {
  const o = opps.find((x) => x.Name === name);
  assert.ok(o, `opportunity ${name}`);
  return o;
};

before(async () => {
  org = await startOrg({ seed: 'messy', now: NOW });
  opps = await soql(
    'SELECT Id, Name, AccountId, RecordTypeId, StageName, Amount, CloseDate, Type, OwnerId, Description, IsDeleted FROM Opportunity',
    true,
  );
  contacts = await soql(
    'SELECT Id, Name, Email, AccountId, IsDeleted, MasterRecordId, SystemModstamp FROM Contact',
    true,
  );
  accounts = await soql(
    'SELECT Id, Name, Website, IsDeleted, MasterRecordId, SystemModstamp FROM Account',
    true,
  );
  roles = await soql(
    'SELECT Id, OpportunityId, ContactId, IsPrimary, IsDeleted FROM OpportunityContactRole',
    true,
  );
  users = await soql('SELECT Id, Email, IsActive FROM User');
});
after(() => org.close());

describe('messy org: planted cases', () => {
  test('small enough for tests, big enough to matter', () => {
    const live = opps.filter((o) => !o.IsDeleted).length;
    assert.ok(live >= 150 && live <= 300, `${live} opportunities`);
  });

  test('Master (RecordTypeId null) opportunities beside two record types with different processes', async () => {
    const rts = await soql("SELECT Id, Name FROM RecordType WHERE SobjectType = 'Opportunity'");
    assert.deepEqual(rts.map((r) => r.Name).sort(), [...C.recordTypes.withProcess].sort());
    const master = opps.filter((o) => o.RecordTypeId === null);
    assert.ok(master.some((o) => String(o.Name).startsWith(C.recordTypes.masterOpportunityPrefix)));
    for (const rt of rts)
      assert.ok(
        opps.some((o) => o.RecordTypeId === rt.Id),
        `opportunities of ${String(rt.Name)}`,
      );
    const processes = rts.map((rt) =>
      org.emu.admin.state.store.recordTypeStages.get(rt.Id as string)!.join('|'),
    );
    assert.notEqual(processes[0], processes[1]);
  });

  test('an inactive stage is still used by old opportunities', async () => {
    const [stage] = await soql(
      `SELECT MasterLabel, IsActive FROM OpportunityStage WHERE MasterLabel = '${C.inactiveStage.stage}'`,
    );
    assert.equal(stage?.IsActive, false);
    const old = opps.filter((o) => o.StageName === C.inactiveStage.stage);
    assert.ok(old.length >= 3);
  });

  test("Type values that are not among HubSpot's dealtype options", () => {
    for (const t of C.typesNotInDealtype)
      assert.ok(
        opps.some((o) => o.Type === t),
        t,
      );
    assert.ok(!opps.some((o) => o.Type === 'newbusiness' || o.Type === 'existingbusiness'));
  });

  test('owners inactive, with a placeholder email, without a HubSpot owner', () => {
    const byEmail = (e: string) => users.find((u) => u.Email === e)!;
    assert.equal(byEmail(C.users.inactive).IsActive, false);
    assert.equal(oppNamed(C.opportunities.ownedByInactive).OwnerId, byEmail(C.users.inactive).Id);
    assert.equal(oppNamed(C.opportunities.ownedByPlaceholder).OwnerId, byEmail(C.users.placeholderEmail).Id);
    assert.equal(
      oppNamed(C.opportunities.ownedByNoHubspotOwner).OwnerId,
      byEmail(C.users.withoutHubspotOwner).Id,
    );
  });

  test('contacts without email; two contacts sharing one email in different case', () => {
    const noEmail = contacts.filter((c) => c.Email === null).map((c) => c.Name);
    assert.deepEqual(noEmail.sort(), [...C.contacts.withoutEmail].sort());
    const [lower, upper] = C.contacts.sameEmailOtherCase;
    assert.notEqual(lower, upper);
    assert.equal(lower.toLowerCase(), upper.toLowerCase());
    assert.ok(contacts.some((c) => c.Email === lower) && contacts.some((c) => c.Email === upper));
  });

  test('one contact twice in an opportunity’s roles; an opportunity with 60 roles', () => {
    const twice = roles.filter((r) => r.OpportunityId === oppNamed(C.contacts.twiceInRoles.opportunity).Id);
    assert.equal(twice.length, 2);
    assert.equal(twice[0]!.ContactId, twice[1]!.ContactId);
    const sixty = roles.filter((r) => r.OpportunityId === oppNamed(C.contacts.sixtyRoles.opportunity).Id);
    assert.equal(sixty.length, 60);
    assert.equal(new Set(sixty.map((r) => r.ContactId)).size, 60);
  });

  test('accounts sharing a website domain; accounts without website', () => {
    const shared = accounts.filter(
      (a) => a.Website && bareDomain(String(a.Website)) === C.accounts.sharedDomain.domain,
    );
    assert.deepEqual(shared.map((a) => a.Name).sort(), [...C.accounts.sharedDomain.names].sort());
    assert.notEqual(shared[0]!.Website, shared[1]!.Website, 'typed differently');
    const none = accounts.filter((a) => a.Website === null).map((a) => a.Name);
    assert.deepEqual(none.sort(), [...C.accounts.withoutWebsite].sort());
  });

  test('a deleted account took its opportunities with it (Salesforce cascades the delete)', () => {
    const gone = accounts.find((a) => a.Name === C.accounts.deleted.name)!;
    assert.equal(gone.IsDeleted, true);
    const its = opps.filter((o) => o.AccountId === gone.Id);
    assert.equal(its.length, 3);
    assert.ok(its.every((o) => o.IsDeleted === true));
    assert.ok(C.opportunities.withoutAccount.every((n) => oppNamed(n).AccountId === null));
  });

  test('amounts null, 0, negative and with 4 decimals', () => {
    for (const [name, amount] of Object.entries(C.opportunities.amounts))
      assert.equal(oppNamed(name).Amount, amount, name);
  });

  test('a 120-character name with quotes and emoji; a 32,000-character RTL description with control characters', () => {
    const name = messyLongName();
    assert.equal(name.length, 120);
    assert.match(name, /"/);
    assert.match(name, /'/);
    assert.match(name, /\p{Extended_Pictographic}/u);
    oppNamed(name);
    const d = String(oppNamed(C.opportunities.longDescription).Description);
    assert.equal(d.length, 32000);
    assert.match(d, /[\u0590-\u05ff]/, 'Hebrew');
    assert.match(d, /[\u0600-\u06ff]/, 'Arabic');
    assert.match(d, /\u202e/, 'right-to-left override');
    // eslint-disable-next-line no-control-regex -- the point of the case
    assert.match(d, /[\u0000\u0007]/, 'control characters');
  });

  test('close dates from 1970 to 2099', () => {
    for (const [name, date] of Object.entries(C.opportunities.closeDates))
      assert.equal(oppNamed(name).CloseDate, date);
  });

  test('contacts merged as Salesforce merges them: loser deleted with MasterRecordId, roles reparented', () => {
    const winner = contacts.find((c) => c.Email === C.contacts.merged.winner)!;
    const loser = contacts.find((c) => c.Email === C.contacts.merged.loser)!;
    assert.equal(winner.IsDeleted, false);
    assert.equal(loser.IsDeleted, true);
    assert.equal(loser.MasterRecordId, winner.Id);
    assert.equal(Date.parse(String(loser.SystemModstamp)), NOW - 2 * DAY_MS);
    assert.equal(roles.filter((r) => r.ContactId === loser.Id).length, 0);
    const moved = roles.find((r) => r.OpportunityId === oppNamed(C.contacts.merged.loserOpportunity).Id)!;
    assert.equal(moved.ContactId, winner.Id);
    assert.equal(moved.IsPrimary, false, "merged contacts' roles lose the primary flag");
  });

  test('accounts merged: loser deleted with MasterRecordId, its opportunities and contacts reparented', () => {
    const winner = accounts.find((a) => a.Name === C.accounts.merged.winner)!;
    const loser = accounts.find((a) => a.Name === C.accounts.merged.loser)!;
    assert.equal(loser.IsDeleted, true);
    assert.equal(loser.MasterRecordId, winner.Id);
    assert.equal(Date.parse(String(loser.SystemModstamp)), NOW - 2 * DAY_MS);
    const opp = oppNamed(C.accounts.merged.loserOpportunity);
    assert.equal(opp.AccountId, winner.Id);
    assert.equal(opp.IsDeleted, false);
    assert.equal(contacts.filter((c) => c.AccountId === loser.Id).length, 0);
    const loserContact = contacts.find((c) => c.Email === C.contacts.merged.loser)!;
    assert.equal(loserContact.AccountId, winner.Id, 'the merged contact had moved with its account first');
  });

  test('getDeleted lists the merge losers and the deleted account', async () => {
    const start = new Date(NOW - 3 * DAY_MS).toISOString();
    const end = new Date(NOW).toISOString();
    const r = await org.raw('GET', `${API}/sobjects/Account/deleted/?start=${start}&end=${end}`);
    assert.equal(r.status, 200, r.text);
    const ids = (r.body as { deletedRecords: { id: string }[] }).deletedRecords.map((d) => d.id).sort();
    const expected = accounts.filter((a) => a.IsDeleted).map((a) => a.Id as string);
    assert.deepEqual(ids, expected.sort());
  });
});

describe('messy org: deterministic', () => {
  test('two seeds at the same time hold the same org', () => {
    const at = (ms: number) => {
      const c = new Clock();
      c.set(ms, true);
      return c;
    };
    const a = JSON.stringify(exportOrg(seedMessy(at(NOW))));
    const b = JSON.stringify(exportOrg(seedMessy(at(NOW))));
    assert.equal(a, b);
  });

  test('the admin seed route builds it too', async () => {
    const r = await org.admin('POST', 'seed', { kind: 'messy' });
    assert.equal(r.status, 200, r.text);
    const after = await soql('SELECT Id FROM Opportunity');
    assert.equal(after.length, opps.filter((o) => !o.IsDeleted).length);
  });
});
