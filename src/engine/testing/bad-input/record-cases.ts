// The corpus's record cases: bad values in records made through Salesforce's REST API (or, for
// what no REST call can make, planted as data at rest), all in one batch beside good records
// (records.integration.test.ts).
import assert from 'node:assert/strict';
import type { BadInputCase } from './corpus.js';
import {
  NOTES,
  REGION,
  RETIRED_STAGE,
  errorOf,
  opportunity,
  person,
  type CorpusWorld,
  type Made,
} from './world.js';

type RecordCase = Omit<BadInputCase, 'file'>;

const make =
  (fields: Record<string, unknown>) =>
  (w: CorpusWorld): Promise<Made> =>
    opportunity(w, fields);

/** A create Salesforce refuses: the case keeps its error code (nothing arrives). */
const refusedCreate =
  (fields: Record<string, unknown>) =>
  async (w: CorpusWorld): Promise<Made> => {
    const refused = await w.sfRest
      .create('Opportunity', { StageName: 'Prospecting', CloseDate: '2025-06-30', ...fields })
      .then(
        () => 'CREATED',
        (e: unknown) => /"errorCode":"(\w+)"/.exec(String(e))?.[1] ?? String(e),
      );
    return { oppId: '', people: [], refused };
  };

/** `text` padded with `x` to exactly `n` characters (UTF-16 code units, as both APIs count them here). */
const padded = (text: string, n: number) => text + 'x'.repeat(n - text.length);

const stageLabelOf = async (w: CorpusWorld, stageId: string | null | undefined) =>
  (await w.hs.dealPipelines()).flatMap((p) => p.stages).find((s) => s.id === stageId)?.label;

const dealWith = async (w: CorpusWorld, oppId: string, properties: string[]) => {
  const deal = await w.hsRest.dealOf(oppId, properties);
  assert.ok(deal, `no deal for ${oppId}`);
  return deal;
};

const NAME_120 = padded(`"Quoted" 'single' <b>bold</b> & Ünïcödé, 120 characters: `, 120);
const DESCRIPTION_32000 = padded('Notes\r\n\ttabbed line\nעברית العربية\n', 32000);
const TYPE_255 = padded('Renewal - multi-year agreement with price protection - ', 255);
const CONTROLS = 'tab\there\r\nBEL\u0007 ESC\u001b DEL\u007f NEL\u0085 NUL\u0000 end';

const owners: RecordCase[] = [
  {
    id: 'owner.no-hubspot-owner',
    group: 'Owners, stages, picklist and Type values',
    arrives: 'an opportunity owned by a Salesforce user whose email no HubSpot owner has',
    does: 'writes the deal without owner (or with the fallback owner); the warning names the user id',
    outcome: { kind: 'warning', code: 'OWNER_NOT_FOUND' },
    field: 'OwnerId',
    make: (w) => opportunity(w, { Name: 'Owner without HubSpot owner', OwnerId: w.users.noHubspotOwner }),
    deal: { hubspot_owner_id: null },
  },
  {
    id: 'owner.inactive-user',
    group: 'Owners, stages, picklist and Type values',
    arrives:
      'an opportunity of a user deactivated in Salesforce after it was made; the user has a HubSpot owner',
    does: 'keeps the owner: matching is by email, active or not',
    outcome: { kind: 'synced' },
    async make(w) {
      const made = await opportunity(w, { Name: 'Owner deactivated', OwnerId: w.users.inactive });
      const r = await w.sfEmu.admin.call('POST', 'records/User', { Id: w.users.inactive, IsActive: false });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return made;
    },
    deal: { hubspot_owner_id: '601' },
  },
  {
    id: 'owner.email-other-case',
    group: 'Owners, stages, picklist and Type values',
    arrives: 'an owner whose email is `petra.case@…` in Salesforce and `Petra.Case@…` on the HubSpot owner',
    does: 'matches the owner case-insensitively',
    outcome: { kind: 'synced' },
    make: (w) => opportunity(w, { Name: 'Owner email in other case', OwnerId: w.users.otherCase }),
    deal: { hubspot_owner_id: '602' },
  },
  {
    id: 'owner.removed-in-hubspot',
    group: 'Owners, stages, picklist and Type values',
    arrives:
      'an owner mapped at setup whose HubSpot owner was removed since; HubSpot refuses the id (INVALID_OWNER_ID)',
    does: "reads HubSpot's owners again and writes the deal without owner, with a warning, in the same pass",
    outcome: { kind: 'warning', code: 'OWNER_NOT_FOUND' },
    field: 'OwnerId',
    async make(w) {
      const made = await opportunity(w, { Name: 'Owner removed in HubSpot', OwnerId: w.users.removedOwner });
      await w.hsRest.call('DELETE', '/__emulator/owners/603');
      return made;
    },
    deal: { hubspot_owner_id: null },
  },
  {
    id: 'stage.added-after-setup',
    group: 'Owners, stages, picklist and Type values',
    arrives: 'a stage added in Salesforce after setup (`Technical Validation`), on a new opportunity',
    does: 'adds the stage to the pipeline (autoProvision, on by default) and places the deal in it',
    outcome: { kind: 'synced' },
    async make(w) {
      const r = await w.sfEmu.admin.call('POST', 'stages', {
        label: 'Technical Validation',
        probability: 40,
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return opportunity(w, { Name: 'Stage added after setup', StageName: 'Technical Validation' });
    },
    async check(w, made) {
      const deal = await dealWith(w, made.oppId, ['dealstage']);
      assert.equal(await stageLabelOf(w, deal.properties.dealstage), 'Technical Validation');
    },
  },
  {
    id: 'stage.retired',
    group: 'Owners, stages, picklist and Type values',
    arrives: `an old opportunity in a stage deactivated before setup (\`${RETIRED_STAGE}\`), changed after sync was turned on`,
    does: "adds the retired stage to the opportunity's pipeline the first time it is needed and places the deal in it",
    outcome: { kind: 'synced' },
    async make(w) {
      // Data at rest: no write can move a record into an inactive stage.
      const r = await w.sfEmu.admin.call('POST', 'records/Opportunity', {
        Name: 'Old deal in a retired stage',
        StageName: RETIRED_STAGE,
        CloseDate: '2019-03-31',
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const oppId = (r.body as { ids: string[] }).ids[0]!;
      const p = await person(w, 'Retired stage buyer');
      await w.sfRest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: p.contactId });
      return { oppId, people: [p] };
    },
    async check(w, made) {
      const deal = await dealWith(w, made.oppId, ['dealstage']);
      assert.equal(await stageLabelOf(w, deal.properties.dealstage), RETIRED_STAGE);
    },
  },
  {
    id: 'type.not-an-option',
    group: 'Owners, stages, picklist and Type values',
    arrives:
      '`Type` = `Partner Referral`: Type is unrestricted in real orgs, and no `dealtype` option matches',
    does: 'writes the deal without `dealtype`; the warning lists the options and both fixes',
    outcome: { kind: 'warning', code: 'INVALID_PICKLIST' },
    field: 'Type',
    make: make({ Name: 'Type not an option', Type: 'Partner Referral' }),
    deal: { dealtype: null },
  },
  {
    id: 'type.standard-value',
    group: 'Owners, stages, picklist and Type values',
    arrives: '`Type` = `Existing Customer - Downgrade`, one of the standard values',
    does: 'maps it to `existingbusiness` (the default value map)',
    outcome: { kind: 'synced' },
    make: make({ Name: 'Type standard value', Type: 'Existing Customer - Downgrade' }),
    deal: { dealtype: 'existingbusiness' },
  },
  {
    id: 'type.other-case',
    group: 'Owners, stages, picklist and Type values',
    arrives: '`Type` = `new customer`: a mapped value typed in another case by an import',
    does: 'maps it like `New Customer` (value-map keys match case-insensitively)',
    outcome: { kind: 'synced' },
    make: make({ Name: 'Type in lower case', Type: 'new customer' }),
    deal: { dealtype: 'newbusiness' },
  },
  {
    id: 'type.zero-width-space',
    group: 'Owners, stages, picklist and Type values',
    arrives: '`Type` = `New Customer` followed by U+200B (a zero-width space pasted from a web page)',
    does: 'no option matches the value as it is: the deal syncs without `dealtype`, the warning quotes the value',
    outcome: { kind: 'warning', code: 'INVALID_PICKLIST' },
    field: 'Type',
    make: make({ Name: 'Type with zero-width space', Type: 'New Customer\u200b' }),
    deal: { dealtype: null },
  },
  {
    id: 'type.at-255',
    group: 'Lengths at and past the limits',
    arrives: '`Type` of 255 characters, the picklist value limit',
    does: 'no option matches: the deal syncs without `dealtype`; the warning quotes the value shortened to 80 characters',
    outcome: { kind: 'warning', code: 'INVALID_PICKLIST' },
    field: 'Type',
    make: make({ Name: 'Type of 255 characters', Type: TYPE_255 }),
    deal: { dealtype: null },
    async check(w, made) {
      const e = await errorOf(w, `opportunity:${made.oppId}`);
      assert.ok(e && !e.message.includes(TYPE_255) && e.message.includes('...'), e?.message);
    },
  },
  {
    id: 'type.past-255',
    group: 'Lengths at and past the limits',
    arrives: '`Type` of 256 characters',
    does: 'nothing arrives: Salesforce refuses the write (`STRING_TOO_LONG`)',
    outcome: { kind: 'refused', salesforceCode: 'STRING_TOO_LONG' },
    make: refusedCreate({ Name: 'Type of 256 characters', Type: padded('Renewal ', 256) }),
  },
  {
    id: 'picklist.custom-no-option',
    group: 'Owners, stages, picklist and Type values',
    arrives: `a custom picklist \`${REGION.field}\` = \`APAC\`, mapped to the enumeration \`${REGION.property}\` that has no such option`,
    does: 'holds the deal back (a custom mapping is written whole or not at all), naming the value and the property; retried',
    outcome: { kind: 'failed', code: 'INVALID_PICKLIST' },
    field: REGION.field,
    make: make({ Name: 'Custom picklist without option', [REGION.field]: 'APAC' }),
  },
  {
    id: 'picklist.custom-by-label',
    group: 'Owners, stages, picklist and Type values',
    arrives: `\`${REGION.field}\` = \`EMEA\`, which is the label (not the value \`emea\`) of a HubSpot option`,
    does: 'matches the option by its label, case-insensitively, and writes its value',
    outcome: { kind: 'synced' },
    make: make({ Name: 'Custom picklist by label', [REGION.field]: 'EMEA' }),
    deal: { [REGION.property]: 'emea' },
  },
];

const lengths: RecordCase[] = [
  {
    id: 'name.at-120',
    group: 'Lengths at and past the limits',
    arrives: '`Name` of 120 characters (the limit) with quotes, markup and accents',
    does: 'writes it unchanged as `dealname`',
    outcome: { kind: 'synced' },
    make: make({ Name: NAME_120 }),
    deal: { dealname: NAME_120 },
  },
  {
    id: 'name.past-120',
    group: 'Lengths at and past the limits',
    arrives: '`Name` of 121 characters',
    does: 'nothing arrives: Salesforce refuses the write (`STRING_TOO_LONG`)',
    outcome: { kind: 'refused', salesforceCode: 'STRING_TOO_LONG' },
    make: refusedCreate({ Name: padded('Too long ', 121) }),
  },
  {
    id: 'description.at-32000',
    group: 'Lengths at and past the limits',
    arrives:
      '`Description` of 32,000 characters (the long text area limit) with CR LF, tabs, Hebrew and Arabic',
    does: 'writes it unchanged (HubSpot takes 65,536)',
    outcome: { kind: 'synced' },
    make: make({ Name: 'Description of 32,000 characters', Description: DESCRIPTION_32000 }),
    deal: { description: DESCRIPTION_32000 },
  },
  {
    id: 'description.past-32000',
    group: 'Lengths at and past the limits',
    arrives: '`Description` of 32,001 characters',
    does: 'nothing arrives: Salesforce refuses the write (`STRING_TOO_LONG`)',
    outcome: { kind: 'refused', salesforceCode: 'STRING_TOO_LONG' },
    make: refusedCreate({ Name: 'Description too long', Description: padded('', 32001) }),
  },
  {
    id: 'custom-text.at-65536',
    group: 'Lengths at and past the limits',
    arrives: `a custom long text area \`${NOTES.field}\` of 65,536 characters, mapped to \`${NOTES.property}\` (HubSpot's limit)`,
    does: 'writes it unchanged',
    outcome: { kind: 'synced' },
    make: make({ Name: 'Notes of 65,536 characters', [NOTES.field]: padded('Notes ', 65536) }),
    deal: { [NOTES.property]: padded('Notes ', 65536) },
  },
  {
    id: 'custom-text.past-65536',
    group: 'Lengths at and past the limits',
    arrives: `\`${NOTES.field}\` of 65,537 characters`,
    does: 'holds the deal back before any write, naming the field and both lengths; retried',
    outcome: { kind: 'failed', code: 'VALUE_TOO_LONG' },
    field: NOTES.field,
    make: make({ Name: 'Notes of 65,537 characters', [NOTES.field]: padded('Notes ', 65537) }),
  },
  {
    id: 'custom-text.at-131072',
    group: 'Lengths at and past the limits',
    arrives: `\`${NOTES.field}\` of 131,072 characters, the long text area's own limit`,
    does: 'as past 65,536: held back with `VALUE_TOO_LONG`',
    outcome: { kind: 'failed', code: 'VALUE_TOO_LONG' },
    field: NOTES.field,
    make: make({ Name: 'Notes of 131,072 characters', [NOTES.field]: padded('Notes ', 131072) }),
  },
  {
    id: 'custom-text.past-131072',
    group: 'Lengths at and past the limits',
    arrives: `\`${NOTES.field}\` of 131,073 characters`,
    does: 'nothing arrives: Salesforce refuses the write (`STRING_TOO_LONG`)',
    outcome: { kind: 'refused', salesforceCode: 'STRING_TOO_LONG' },
    make: refusedCreate({ Name: 'Notes too long', [NOTES.field]: padded('', 131073) }),
  },
];

const currencies: RecordCase[] = [
  {
    id: 'currency.not-enabled-in-portal',
    group: 'Currencies',
    arrives: '`CurrencyIsoCode` = `JPY`: active in Salesforce, not enabled in the HubSpot portal',
    does: 'holds the deal back, listing the currencies the portal has and where to add one; retried',
    outcome: { kind: 'failed', code: 'CURRENCY_NOT_ENABLED' },
    field: 'CurrencyIsoCode',
    make: make({ Name: 'Yen deal', CurrencyIsoCode: 'JPY', Amount: 150000 }),
  },
  {
    id: 'currency.close-before-first-rate',
    group: 'Currencies',
    arrives: "a won EUR opportunity closed on 2019-05-31, before EUR's first dated rate (2024-01-01)",
    does: "the deal syncs in EUR; the contact's rollups convert at the earliest period's rate (900 EUR ÷ 0.9 = 1,000.00 USD)",
    outcome: { kind: 'synced' },
    make: make({
      Name: 'Euro deal before the first rate',
      StageName: 'Closed Won',
      CloseDate: '2019-05-31',
      Amount: 900,
      CurrencyIsoCode: 'EUR',
    }),
    deal: { deal_currency_code: 'EUR', amount: '900' },
    async check(w, made) {
      const c = await w.hsRest.get('contacts', made.people[0]!.hsContactId!, ['salesforce_total_revenue']);
      assert.equal(c?.properties.salesforce_total_revenue, '1000.00');
    },
  },
  {
    id: 'currency.no-rate-for-close-date',
    group: 'Currencies',
    arrives:
      'a won GBP opportunity in an org with dated rates (advanced currency management) where GBP has none',
    does: "the deal syncs in GBP; the contact's rollups are not written, with an error naming the opportunity, the currency, the date and the fix; retried",
    outcome: { kind: 'failed', code: 'INVALID_VALUE', on: 'contact' },
    field: 'CurrencyIsoCode',
    make: make({
      Name: 'Pound deal without a rate',
      StageName: 'Closed Won',
      CloseDate: '2024-03-31',
      Amount: 100,
      CurrencyIsoCode: 'GBP',
    }),
    deal: { deal_currency_code: 'GBP' },
  },
];

const dates: RecordCase[] = (
  [
    ['close.1700-01-01', '1700-01-01', "Salesforce's earliest date"],
    ['close.1969-12-31', '1969-12-31', 'the day before the Unix epoch (negative epoch milliseconds)'],
    ['close.1970-01-01', '1970-01-01', 'the Unix epoch, a placeholder of migrated records'],
    ['close.2024-02-29', '2024-02-29', 'a leap day'],
    ['close.2099-12-31', '2099-12-31', 'a placeholder far in the future'],
    ['close.4000-12-31', '4000-12-31', "Salesforce's latest date"],
  ] as const
).map(([id, day, what]): RecordCase => ({
  id,
  group: 'Dates at the edges',
  arrives: `\`CloseDate\` = ${day}, ${what}`,
  does: `writes \`closedate\` as midnight UTC of that day (${day}T00:00:00Z), no time-zone shift`,
  outcome: { kind: 'synced' },
  make: make({ Name: `Closes on ${day}`, CloseDate: day }),
  deal: { closedate: `${day}T00:00:00.000Z` },
}));
dates.push({
  id: 'close.won-in-2099',
  group: 'Dates at the edges',
  arrives: 'a Closed Won opportunity whose `CloseDate` is 2099-12-31',
  does: "writes `closedate` with the closed stage in one update, so HubSpot does not stamp today's date over it",
  outcome: { kind: 'synced' },
  make: make({ Name: 'Won, closes in 2099', StageName: 'Closed Won', CloseDate: '2099-12-31' }),
  deal: { closedate: '2099-12-31T00:00:00.000Z' },
});

const unicode: RecordCase[] = [
  ['name.emoji', 'Family plan 👩‍👩‍👧‍👦 🇩🇪 👍🏽', 'emoji: a ZWJ family, a flag, a skin tone'],
  ['name.combining-marks', 'Cafe\u0301 Mu\u0308ller - Renewal', 'combining marks (NFD `é`, `ü`)'],
  [
    'name.right-to-left',
    'חידוש שנתי \u202Eexe.elif\u202C عرض \u200F',
    'Hebrew and Arabic with U+202E, U+202C and U+200F',
  ],
  ['name.markup', `<script>alert("x")</script> & Co 'Ltd'`, 'HTML markup, quotes and an ampersand'],
  ['name.nul', 'Acme\u0000Renewal', 'a NUL character'],
].map(([id, name, what]): RecordCase => ({
  id: id!,
  group: 'Unicode and control characters',
  arrives: `\`Name\` with ${what}`,
  does: 'writes it unchanged: no normalisation, no escaping, no stripping',
  outcome: { kind: 'synced' },
  make: make({ Name: name }),
  deal: { dealname: name! },
}));
unicode.push(
  {
    id: 'description.control-characters',
    group: 'Unicode and control characters',
    arrives: '`Description` with tab, CR LF, BEL, ESC, DEL, NEL and NUL',
    does: 'writes it unchanged (a Postgres state store keeps NUL as U+FFFD in its audit log: Postgres text cannot hold it)',
    outcome: { kind: 'synced' },
    make: make({ Name: 'Control characters in the description', Description: CONTROLS }),
    deal: { description: CONTROLS },
  },
  {
    id: 'name.whitespace-only',
    group: 'Unicode and control characters',
    arrives: '`Name` of three spaces (the emulator stores it; HubSpot requires a deal name)',
    does: 'holds the deal back with the field and the fix; retried',
    outcome: { kind: 'failed', code: 'REQUIRED_VALUE_MISSING' },
    field: 'Name',
    make: make({ Name: '   ' }),
  },
);

const deletes: RecordCase[] = [
  {
    id: 'account.deleted-after-sync',
    group: 'Deleted parents, records deleted between read and write',
    arrives: 'the account of a synced opportunity is deleted: Salesforce deletes its opportunities with it',
    does: 'archives the deal at the next pass (queryAll shows the opportunity deleted)',
    outcome: { kind: 'removed' },
    async make(w) {
      const accountId = await w.sfRest.create('Account', { Name: 'Short-lived Account' });
      const made = await opportunity(w, { Name: 'Deal of a deleted account', AccountId: accountId });
      return { ...made, ids: { accountId } };
    },
    async later(w, made) {
      assert.ok(await w.hsRest.dealOf(made.oppId), 'synced before the account is deleted');
      await w.sfRest.delete('Account', made.ids!.accountId!);
    },
  },
  {
    id: 'account.deleted-before-sync',
    group: 'Deleted parents, records deleted between read and write',
    arrives: 'an opportunity whose account is deleted (with it) before the first pass',
    does: 'creates no deal and reports nothing: the opportunity is deleted',
    outcome: { kind: 'removed' },
    async make(w) {
      const accountId = await w.sfRest.create('Account', { Name: 'Gone before sync' });
      const made = await opportunity(w, { Name: 'Deleted with its account', AccountId: accountId });
      await w.sfRest.delete('Account', accountId);
      return made;
    },
  },
  {
    id: 'contact.deleted-in-salesforce',
    group: 'Deleted parents, records deleted between read and write',
    arrives:
      'an opportunity with two contact roles, one of whose contacts is deleted in Salesforce (its role stays, pointing at the deleted contact)',
    does: "associates the deal with both HubSpot contacts: the role is live and names the contact's email, and the deal follows its roles (removing the role removes the association)",
    outcome: { kind: 'synced' },
    async make(w) {
      const live = await person(w, 'Live contact');
      const gone = await person(w, 'Deleted contact');
      const made = await opportunity(w, { Name: 'Role of a deleted contact' }, [live, gone]);
      await w.sfRest.delete('Contact', gone.contactId);
      return made;
    },
    async check(w, made) {
      const deal = await dealWith(w, made.oppId, []);
      assert.deepEqual(
        await w.hsRest.associated(deal.id, 'contacts'),
        made.people.map((p) => p.hsContactId).sort(),
      );
    },
  },
];

export const recordCases: BadInputCase[] = [
  ...owners,
  ...lengths,
  ...currencies,
  ...dates,
  ...unicode,
  ...deletes,
].map((c) => ({ ...c, file: 'records' as const }));
