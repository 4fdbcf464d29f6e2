// Accounts → HubSpot companies, for the deal↔company association: by the remembered link, then by
// the unique `salesforce_account_id`, then by the domain of the account's website (written back
// to `salesforce_account_id`), else created when the setting allows. Creating with
// `salesforce_account_id` set makes a crash between create and link harmless: the next pass finds
// the company by that unique value instead of creating a second one.
import type { SfAccount } from '../domain/salesforce.js';
import { websiteToDomain } from './mapping/domain.js';
import type { HubspotPort, SalesforcePort, SfOpportunityWithRoles } from './ports.js';
import { chunk, readUnique } from './scope.js';
import type { RecordLink, StateStore } from './state.js';

export const ACCOUNT_ID_PROPERTY = 'salesforce_account_id';

export interface CompanyResolution {
  /** Salesforce account id → HubSpot company id. */
  linked: Map<string, string>;
  /** Accounts that could not be linked, with the reason (COMPANY_MATCH_FAILED). */
  failed: Map<string, string>;
}

export async function resolveCompanies(
  deps: { salesforce: SalesforcePort; hubspot: HubspotPort; store: StateStore },
  accountIds: string[],
  opts: {
    create: boolean;
    /** Accounts the opportunity query already read (its `Account.*` parent fields), by id. */
    known?: ReadonlyMap<string, SfAccount>;
  },
): Promise<CompanyResolution> {
  const ids = [...new Set(accountIds)];
  const linked = new Map<string, string>();
  const failed = new Map<string, string>();
  if (ids.length === 0) return { linked, failed };
  const newLinks: RecordLink[] = [];

  for (const [sfId, link] of await deps.store.getCompanyLinks(ids)) linked.set(sfId, link.hubspotId);
  let rest = ids.filter((id) => !linked.has(id));

  {
    for (const c of await readUnique(deps.hubspot, 'companies', ACCOUNT_ID_PROPERTY, rest, ['domain'])) {
      const sfId = c.properties[ACCOUNT_ID_PROPERTY];
      if (!sfId || linked.has(sfId)) continue;
      linked.set(sfId, c.id);
      newLinks.push({ salesforceId: sfId, hubspotId: c.id, matchedBy: 'id', rollupHash: null });
    }
  }
  rest = rest.filter((id) => !linked.has(id));

  if (rest.length > 0) {
    const accounts: SfAccount[] = [];
    const unknown: string[] = [];
    for (const id of rest) {
      const a = opts.known?.get(id);
      if (a) accounts.push(a);
      else unknown.push(id);
    }
    for (const part of chunk(unknown, 200)) accounts.push(...(await deps.salesforce.accountsByIds(part)));
    await deps.store.saveAccounts(accounts);
    const domainOf = new Map(accounts.map((a) => [a.Id, websiteToDomain(a.Website)]));
    const domains = [...new Set([...domainOf.values()].filter((d): d is string => d !== null))];
    const byDomain = new Map<string, string[]>();
    for (const part of chunk(domains, 100)) {
      for (const c of await deps.hubspot.findCompaniesByDomain(part)) {
        // A company that already belongs to another account is not a domain match for this one.
        if (c.properties[ACCOUNT_ID_PROPERTY]) continue;
        const d = c.properties.domain?.toLowerCase();
        if (d) byDomain.set(d, [...(byDomain.get(d) ?? []), c.id]);
      }
    }
    const writeBack: { id: string; properties: Record<string, string> }[] = [];
    const toCreate: SfAccount[] = [];
    const claimed = new Set<string>();
    for (const a of accounts) {
      const domain = domainOf.get(a.Id) ?? null;
      const matches = (domain ? (byDomain.get(domain) ?? []) : []).filter((id) => !claimed.has(id));
      if (matches.length === 1) {
        const hsId = matches[0] as string;
        claimed.add(hsId);
        linked.set(a.Id, hsId);
        newLinks.push({ salesforceId: a.Id, hubspotId: hsId, matchedBy: 'domain', rollupHash: null });
        writeBack.push({ id: hsId, properties: { [ACCOUNT_ID_PROPERTY]: a.Id } });
      } else if (matches.length > 1) {
        failed.set(
          a.Id,
          `account ${a.Id} (${a.Name}): ${matches.length} HubSpot companies share the domain ${domain}`,
        );
      } else if (opts.create) {
        toCreate.push(a);
      } else {
        failed.set(
          a.Id,
          `account ${a.Id} (${a.Name}): no HubSpot company matches and company creation is off`,
        );
      }
    }
    if (writeBack.length > 0) await deps.hubspot.updateObjects('companies', writeBack);
    if (toCreate.length > 0) {
      const part = toCreate;
      const outcome = await deps.hubspot.createObjects(
        'companies',
        part.map((a) => ({
          properties: { name: a.Name, domain: domainOf.get(a.Id) ?? null, [ACCOUNT_ID_PROPERTY]: a.Id },
        })),
      );
      for (const e of outcome.errors) {
        const a = part[e.index];
        if (a) failed.set(a.Id, `account ${a.Id} (${a.Name}): creating the company failed: ${e.message}`);
      }
      for (const c of outcome.results) {
        const sfId = c.properties[ACCOUNT_ID_PROPERTY];
        if (!sfId) continue;
        linked.set(sfId, c.id);
        newLinks.push({ salesforceId: sfId, hubspotId: c.id, matchedBy: 'created', rollupHash: null });
      }
    }
    for (const id of rest) {
      if (!linked.has(id) && !failed.has(id)) failed.set(id, `account ${id} not found in Salesforce`);
    }
  }

  if (newLinks.length > 0) await deps.store.saveCompanyLinks(newLinks);
  return { linked, failed };
}

/** The accounts these opportunities carry (read with them as parent fields), by id. */
export function knownAccounts(opps: Iterable<SfOpportunityWithRoles>): Map<string, SfAccount> {
  const out = new Map<string, SfAccount>();
  for (const o of opps) if (o.account) out.set(o.account.Id, o.account);
  return out;
}
