// `dealbridge verify`: reads Salesforce and HubSpot afresh and reports, record by record, where
// HubSpot differs from what it should hold: deals (fields, missing, should not exist, duplicates),
// their associations, the contact and company rollups and the contacts' lifecycle stages.
// Expectations come from ./expect.ts, not from the sync's mapping or rollup code.

export type { Check, Difference, RollupNames, VerifyDeps, VerifyOptions, VerifyReport } from './types.js';
import type { HsObject } from '../domain/hubspot.js';
import { expectedRollup, lifecycleOk, type CurrencyFacts } from './expect.js';
import { checkDealFields } from './deal-fields.js';
import { listAll } from './read.js';
import type { Difference, Opp, VerifyDeps, VerifyOptions, VerifyReport } from './types.js';
import { blank, sameDay, sameInstant, sameNumber } from './values.js';

const DEAL_PROPS = [
  'salesforce_opportunity_id',
  'dealname',
  'amount',
  'closedate',
  'createdate',
  'dealstage',
  'pipeline',
  'description',
  'hubspot_owner_id',
  'deal_currency_code',
];

export async function runVerify(deps: VerifyDeps, opts: VerifyOptions): Promise<VerifyReport> {
  const { salesforce, hubspot } = deps;
  const report: VerifyReport = {
    ok: true,
    checked: { opportunities: 0, deals: 0, contacts: 0, companies: 0 },
    counts: {},
    differences: [],
    truncated: 0,
  };
  const max = opts.maxDifferences ?? 1000;
  const diff = (d: Difference) => {
    report.ok = false;
    report.counts[d.check] = (report.counts[d.check] ?? 0) + 1;
    if (report.differences.length < max) report.differences.push(d);
    else report.truncated++;
  };

  const [org, stages, users, account, pipelines, owners] = await Promise.all([
    salesforce.orgInfo(),
    salesforce.opportunityStages(),
    salesforce.users(),
    hubspot.accountInfo(),
    hubspot.dealPipelines(),
    hubspot.owners(),
  ]);
  const currency: CurrencyFacts = {
    multiCurrency: org.multiCurrency,
    corporate: org.corporateCurrency,
    portal: account.companyCurrency,
    dated: org.datedRates,
    rates: org.multiCurrency ? await salesforce.currencyRates() : [],
  };
  const stageLabel = new Map(stages.map((s) => [s.ApiName, s.MasterLabel]));
  const ownerByEmail = new Map(owners.filter((o) => !o.archived).map((o) => [o.email.toLowerCase(), o.id]));
  const ownerOfUser = new Map(users.map((u) => [u.Id, ownerByEmail.get(u.Email.toLowerCase()) ?? null]));
  const hsStage = new Map<string, string>();
  for (const p of pipelines) for (const s of p.stages) hsStage.set(`${p.id}/${s.id}`, s.label);

  // Salesforce, afresh.
  const opps = new Map<string, Opp>();
  for await (const page of salesforce.allOpportunities(null, { extraFields: [] })) {
    for (const o of page) {
      if (o.IsDeleted) continue;
      opps.set(o.Id, {
        id: o.Id,
        name: o.Name,
        amount: o.Amount,
        currency: o.CurrencyIsoCode,
        closeDate: o.CloseDate,
        createdDate: o.CreatedDate,
        isClosed: o.IsClosed,
        isWon: o.IsWon,
        stage: o.StageName,
        description: o.Description,
        ownerId: o.OwnerId,
        accountId: o.AccountId,
        contactIds: [...new Set(o.contactRoles.filter((r) => !r.IsDeleted).map((r) => r.ContactId))],
      });
    }
  }
  report.checked.opportunities = opps.size;
  const roleContacts = [...new Set([...opps.values()].flatMap((o) => o.contactIds))];
  const emailOf = new Map<string, string>();
  for (let i = 0; i < roleContacts.length; i += 200) {
    for (const c of await salesforce.contactsByIds(roleContacts.slice(i, i + 200)))
      if (c.Email) emailOf.set(c.Id, c.Email.trim().toLowerCase());
  }

  // HubSpot, afresh.
  const n = opts.names;
  const rollupProps = [
    n.numAssociatedDeals,
    n.firstDealCreatedDate,
    n.recentDealCloseDate,
    n.recentDealAmount,
    n.totalRevenue,
  ];
  const [deals, contacts, companies] = await Promise.all([
    listAll(deps.list, 'deals', DEAL_PROPS),
    listAll(deps.list, 'contacts', [
      'email',
      'hs_additional_emails',
      'salesforce_contact_id',
      'lifecyclestage',
      ...rollupProps,
    ]),
    listAll(deps.list, 'companies', ['salesforce_account_id', ...rollupProps]),
  ]);
  const contactBySfId = new Map<string, HsObject>();
  const contactByEmail = new Map<string, HsObject>();
  for (const c of contacts) {
    const sfId = c.properties.salesforce_contact_id;
    if (sfId) contactBySfId.set(sfId, c);
    const e = c.properties.email?.trim().toLowerCase();
    if (e) contactByEmail.set(e, c);
  }
  // A contact merged in HubSpot keeps the other record's email as an additional email: the
  // Salesforce contacts of both records are its contacts (a primary email elsewhere wins).
  for (const c of contacts) {
    for (const raw of (c.properties.hs_additional_emails ?? '').split(';')) {
      const e = raw.trim().toLowerCase();
      if (e && !contactByEmail.has(e)) contactByEmail.set(e, c);
    }
  }
  /** Salesforce contact → its HubSpot contact (by our id property, else by email). */
  const hsContactOf = (sfId: string): HsObject | undefined => {
    const e = emailOf.get(sfId);
    return contactBySfId.get(sfId) ?? (e ? contactByEmail.get(e) : undefined);
  };
  /**
   * HubSpot contact → every Salesforce contact with a role that maps to it (duplicates sharing an
   * email share one HubSpot contact: its deals are the union of theirs, §2.3), else the one its
   * salesforce_contact_id names.
   */
  const sfIdsOfHsContact = new Map<string, string[]>();
  for (const sfId of roleContacts) {
    const c = hsContactOf(sfId);
    if (c) sfIdsOfHsContact.set(c.id, [...(sfIdsOfHsContact.get(c.id) ?? []), sfId]);
  }
  for (const [sfId, c] of contactBySfId) if (!sfIdsOfHsContact.has(c.id)) sfIdsOfHsContact.set(c.id, [sfId]);
  /** The Salesforce contact a HubSpot contact's differences are reported under: the lowest id. */
  const sfIdOfHsContact = new Map(
    [...sfIdsOfHsContact].map(([hsId, ids]) => [hsId, [...ids].sort()[0] as string]),
  );
  const companyByAccount = new Map<string, HsObject>();
  const accountOfCompany = new Map<string, string>();
  for (const c of companies) {
    const a = c.properties.salesforce_account_id;
    if (a) {
      companyByAccount.set(a, c);
      accountOfCompany.set(c.id, a);
    }
  }

  // Deals: one per in-scope opportunity, none for deleted or unknown ones.
  const dealByOpp = new Map<string, HsObject>();
  for (const d of deals) {
    const oppId = d.properties.salesforce_opportunity_id;
    if (!oppId) continue;
    report.checked.deals++;
    const other = dealByOpp.get(oppId);
    if (other) {
      diff({
        record: `opportunity:${oppId}`,
        hubspotId: d.id,
        check: 'duplicate_deal',
        message: `deals ${other.id} and ${d.id} both carry opportunity ${oppId}`,
      });
      continue;
    }
    dealByOpp.set(oppId, d);
    if (!opps.has(oppId))
      diff({
        record: `opportunity:${oppId}`,
        hubspotId: d.id,
        check: 'unexpected_deal',
        message: `deal ${d.id} exists but opportunity ${oppId} is deleted or not in Salesforce`,
      });
  }
  const inScope = new Set<string>();
  for (const o of opps.values()) {
    const hasContact = o.contactIds.some((c) => hsContactOf(c) !== undefined);
    const deal = dealByOpp.get(o.id);
    if (hasContact || deal) inScope.add(o.id);
    if (!deal) {
      if (hasContact)
        diff({
          record: `opportunity:${o.id}`,
          hubspotId: null,
          check: 'missing_deal',
          message: `opportunity ${o.id} (${o.name}) has a contact in HubSpot but no deal`,
        });
      continue;
    }
    checkDealFields(o, deal, { stageLabel, hsStage, ownerOfUser, multiCurrency: org.multiCurrency }, diff);
  }

  // Associations of every deal that belongs to a live opportunity.
  const linked = [...dealByOpp].filter(([oppId]) => opps.has(oppId));
  const dealIds = linked.map(([, d]) => d.id);
  const [toContacts, toCompanies] = await Promise.all([
    hubspot.readAssociations('contacts', dealIds),
    hubspot.readAssociations('companies', dealIds),
  ]);
  for (const [oppId, deal] of linked) {
    const o = opps.get(oppId) as Opp;
    const rec = `opportunity:${oppId}`;
    const actualContacts = new Set((toContacts.get(deal.id) ?? []).map((a) => a.toId));
    const expected = new Set(o.contactIds.flatMap((c) => hsContactOf(c)?.id ?? []));
    for (const id of expected)
      if (!actualContacts.has(id))
        diff({
          record: rec,
          hubspotId: deal.id,
          check: 'association_missing',
          field: 'contacts',
          expected: id,
          actual: null,
          message: `deal ${deal.id} is not associated with contact ${id} (${sfIdOfHsContact.get(id) ?? '?'}), which has a contact role`,
        });
    for (const id of actualContacts) {
      const sfId = sfIdOfHsContact.get(id);
      if (sfId && !expected.has(id))
        diff({
          record: rec,
          hubspotId: deal.id,
          check: 'association_extra',
          field: 'contacts',
          expected: null,
          actual: id,
          message: `deal ${deal.id} is associated with contact ${id} (${sfId}), which has no contact role on ${oppId}`,
        });
    }
    const actualCompanies = new Set((toCompanies.get(deal.id) ?? []).map((a) => a.toId));
    const company = o.accountId ? companyByAccount.get(o.accountId) : undefined;
    if (o.accountId && !company)
      diff({
        record: rec,
        hubspotId: deal.id,
        check: 'association_missing',
        field: 'companies',
        expected: o.accountId,
        actual: null,
        message: `account ${o.accountId} has no HubSpot company (salesforce_account_id)`,
      });
    if (company && !actualCompanies.has(company.id))
      diff({
        record: rec,
        hubspotId: deal.id,
        check: 'association_missing',
        field: 'companies',
        expected: company.id,
        actual: null,
        message: `deal ${deal.id} is not associated with company ${company.id} (account ${o.accountId})`,
      });
    for (const id of actualCompanies) {
      const acc = accountOfCompany.get(id);
      if (acc && acc !== o.accountId)
        diff({
          record: rec,
          hubspotId: deal.id,
          check: 'association_extra',
          field: 'companies',
          expected: company?.id ?? null,
          actual: id,
          message: `deal ${deal.id} is associated with company ${id} of account ${acc}, not ${o.accountId ?? 'none'}`,
        });
    }
  }

  // Rollups and lifecycle stages.
  const oppsOfContact = new Map<string, Opp[]>();
  const oppsOfAccount = new Map<string, Opp[]>();
  for (const id of inScope) {
    const o = opps.get(id) as Opp;
    for (const c of o.contactIds) oppsOfContact.set(c, [...(oppsOfContact.get(c) ?? []), o]);
    if (o.accountId) oppsOfAccount.set(o.accountId, [...(oppsOfAccount.get(o.accountId) ?? []), o]);
  }
  const checkRollup = (rec: string, obj: HsObject, list: Opp[]) => {
    const exp = expectedRollup(list, opts.rule, currency);
    if ('error' in exp) {
      diff({
        record: rec,
        hubspotId: obj.id,
        check: 'rollup',
        message: `cannot compute the rollups: ${exp.error}`,
      });
      return;
    }
    const p = obj.properties;
    const countOk =
      exp.count === 0
        ? blank(p[n.numAssociatedDeals]) || sameNumber('0', p[n.numAssociatedDeals])
        : sameNumber(String(exp.count), p[n.numAssociatedDeals]);
    const checks: [string, boolean, string | null][] = [
      [n.numAssociatedDeals, countOk, String(exp.count)],
      [n.firstDealCreatedDate, sameInstant(exp.firstCreated, p[n.firstDealCreatedDate]), exp.firstCreated],
      [n.recentDealCloseDate, sameDay(exp.recentClose, p[n.recentDealCloseDate]), exp.recentClose],
      [n.recentDealAmount, sameNumber(exp.recentAmount, p[n.recentDealAmount]), exp.recentAmount],
      [n.totalRevenue, sameNumber(exp.revenue, p[n.totalRevenue]), exp.revenue],
    ];
    for (const [field, ok, expected] of checks)
      if (!ok)
        diff({
          record: rec,
          hubspotId: obj.id,
          check: 'rollup',
          field,
          expected,
          actual: p[field] ?? null,
          message: `${field} is ${JSON.stringify(p[field] ?? null)}, should be ${JSON.stringify(expected)}`,
        });
  };
  const contactById = new Map(contacts.map((c) => [c.id, c]));
  for (const [hsId, sfId] of sfIdOfHsContact) {
    const c = contactById.get(hsId);
    if (!c) continue;
    report.checked.contacts++;
    // The union of its Salesforce contacts' opportunities, each once.
    const union = new Map<string, Opp>();
    for (const id of sfIdsOfHsContact.get(hsId) ?? [])
      for (const o of oppsOfContact.get(id) ?? []) union.set(o.id, o);
    const list = [...union.values()];
    checkRollup(`contact:${sfId}`, c, list);
    if (opts.lifecycle) {
      const l = lifecycleOk(c.properties.lifecyclestage ?? null, list);
      if (!l.ok)
        diff({
          record: `contact:${sfId}`,
          hubspotId: hsId,
          check: 'lifecycle',
          field: 'lifecyclestage',
          expected: l.atLeast,
          actual: c.properties.lifecyclestage ?? null,
          message: `lifecycle stage is ${c.properties.lifecyclestage ?? 'empty'}, should be at least ${l.atLeast}`,
        });
    }
  }
  for (const [acc, company] of companyByAccount) {
    report.checked.companies++;
    checkRollup(`company:${acc}`, company, oppsOfAccount.get(acc) ?? []);
  }
  return report;
}
