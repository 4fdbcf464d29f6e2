// Accounts → HubSpot companies, for the deal↔company association: by the remembered link, then by
// the unique `salesforce_account_id`, then by the domain of the account's website (written back
// to `salesforce_account_id`), else created when the setting allows. Creating with
// `salesforce_account_id` set makes a crash between create and link harmless: the next pass finds
// the company by that unique value instead of creating a second one.
//
// The sync reads unlinked accounts by `salesforce_account_id` first. The import does not
// (`readByIdFirst: false`: on a first import no company has the id yet, 1 call per 100 accounts
// for nothing), and the order's outcome still holds:
// - the domain search returns each company's `salesforce_account_id`: a company that carries this
//   account's id is linked by id, whatever other company shares the domain;
// - a domain write-back or a create that HubSpot refuses because another company already holds the
//   unique `salesforce_account_id` (a 409 on the whole batch) makes those accounts read by it; the
//   ones found are linked by id, the others written again once;
// - an account that would fail (several companies share its domain, none matches and creation is
//   off, or Salesforce did not return it) is read by `salesforce_account_id` before it fails.
import type { HsObject } from '../../domain/hubspot.js';
import type { SfAccount } from '../../domain/salesforce.js';
import { existingErrors, isPassLevel, toErrorRecords } from '../record-errors.js';
import { websiteToDomain } from '../mapping/domain.js';
import { DealbridgeError } from '../../errors/index.js';
import type { BatchOutcome, HubspotPort, SalesforcePort, SfOpportunityWithRoles } from '../ports/remote.js';
import { BatchRejectedError } from '../ports/remote.js';
import { readUnique, room } from './scope.js';
import type { RecordLink, StateStore } from '../ports/store.js';
import { chunk } from '../../lib/chunk.js';

export const ACCOUNT_ID_PROPERTY = 'salesforce_account_id';
const BATCH = 100;

export interface CompanyResolution {
  /** Salesforce account id → HubSpot company id. */
  linked: Map<string, string>;
  /** Accounts that could not be linked, with the reason (COMPANY_MATCH_FAILED). */
  failed: Map<string, string>;
  /**
   * Accounts that got a new company although their domain is the domain of a company linked to
   * another account (COMPANY_DOMAIN_SHARED, stored as a warning under `account:<id>`).
   */
  shared: Map<string, string>;
}

/** The key COMPANY_DOMAIN_SHARED warnings are stored under: about the account, not one opportunity. */
export const accountKey = (id: string): string => `account:${id}`;

interface Deps {
  salesforce: SalesforcePort;
  hubspot: HubspotPort;
  store: StateStore;
}

export async function resolveCompanies(
  deps: Deps,
  accountIds: string[],
  opts: {
    create: boolean;
    /** Accounts the opportunity query already read (its `Account.*` parent fields), by id. */
    known?: ReadonlyMap<string, SfAccount>;
    /**
     * Read every unlinked account by `salesforce_account_id` first (default). The import turns it
     * off: on a first import no company carries the id yet, and the domain search, the conflict
     * fallback and the last-chance read keep the order's outcome (see the top of this file).
     */
    readByIdFirst?: boolean;
    /**
     * Accounts of the rows that come next: read by id in the room of this read's last call
     * (scope.ts LookupPadding); found ones are linked, the others left alone.
     */
    padding?: string[];
    /** The time warnings are stored with (the batch's clock). */
    now?: Date;
  },
): Promise<CompanyResolution> {
  const ids = [...new Set(accountIds)];
  const linked = new Map<string, string>();
  const failed = new Map<string, string>();
  const shared = new Map<string, string>();
  if (ids.length === 0) return { linked, failed, shared };
  const newLinks: RecordLink[] = [];
  const link = (sfId: string, hsId: string, matchedBy: RecordLink['matchedBy']) => {
    linked.set(sfId, hsId);
    newLinks.push({ salesforceId: sfId, hubspotId: hsId, matchedBy, rollupHash: null });
  };

  for (const [sfId, l] of await deps.store.getCompanyLinks(ids)) linked.set(sfId, l.hubspotId);
  const readById = async (sfIds: string[]): Promise<Set<string>> => {
    const found = new Set<string>();
    for (const c of await readUnique(deps.hubspot, 'companies', ACCOUNT_ID_PROPERTY, sfIds, ['domain'])) {
      const sfId = c.properties[ACCOUNT_ID_PROPERTY];
      if (!sfId || linked.has(sfId)) continue;
      link(sfId, c.id, 'id');
      found.add(sfId);
    }
    return found;
  };
  const idFirst = opts.readByIdFirst ?? true;
  if (idFirst) {
    const own = ids.filter((id) => !linked.has(id));
    let pad: string[] = [];
    if (own.length > 0 && opts.padding?.length) {
      const mine = new Set(ids);
      const candidates = [...new Set(opts.padding)].filter((id) => !mine.has(id));
      const padLinks = await deps.store.getCompanyLinks(candidates);
      pad = candidates.filter((id) => !padLinks.has(id)).slice(0, room(own.length));
    }
    await readById([...own, ...pad]);
  }
  const rest = ids.filter((id) => !linked.has(id));
  if (rest.length === 0) {
    if (newLinks.length > 0) await deps.store.saveCompanyLinks(newLinks);
    return { linked, failed, shared };
  }

  const accounts: SfAccount[] = [];
  const unknown: string[] = [];
  for (const id of rest) {
    const a = opts.known?.get(id);
    if (a) accounts.push(a);
    else unknown.push(id);
  }
  for (const part of chunk(unknown, 200)) accounts.push(...(await deps.salesforce.accountsByIds(part)));
  await deps.store.saveAccounts(accounts);

  /** Accounts to read by `salesforce_account_id` before they fail, with the reason they would. */
  const lastChance = new Map<string, string>();
  const seen = new Set(accounts.map((a) => a.Id));
  for (const id of rest) if (!seen.has(id)) lastChance.set(id, `account ${id} not found in Salesforce`);

  const domainOf = new Map(accounts.map((a) => [a.Id, websiteToDomain(a.Website)]));
  const domains = [...new Set([...domainOf.values()].filter((d): d is string => d !== null))];
  const byDomain = new Map<string, string[]>();
  /** Domain → companies on it that carry another account's salesforce_account_id. */
  const takenOnDomain = new Map<string, string[]>();
  const wanted = new Set(rest);
  for (const part of chunk(domains, 100)) {
    for (const c of await deps.hubspot.findCompaniesByDomain(part)) {
      const sfId = c.properties[ACCOUNT_ID_PROPERTY];
      if (sfId) {
        // Already this account's company: a match by id. Another account's: not a domain match.
        if (wanted.has(sfId) && !linked.has(sfId)) link(sfId, c.id, 'id');
        else if (!wanted.has(sfId)) {
          const d = c.properties.domain?.toLowerCase();
          if (d) takenOnDomain.set(d, [...(takenOnDomain.get(d) ?? []), `${c.id} (account ${sfId})`]);
        }
        continue;
      }
      const d = c.properties.domain?.toLowerCase();
      if (d) byDomain.set(d, [...(byDomain.get(d) ?? []), c.id]);
    }
  }

  const claims: { account: SfAccount; companyId: string }[] = [];
  const toCreate: SfAccount[] = [];
  const claimed = new Set<string>();
  for (const a of accounts) {
    if (linked.has(a.Id)) continue;
    const domain = domainOf.get(a.Id) ?? null;
    const matches = (domain ? (byDomain.get(domain) ?? []) : []).filter((id) => !claimed.has(id));
    if (matches.length === 1) {
      const hsId = matches[0] as string;
      claimed.add(hsId);
      claims.push({ account: a, companyId: hsId });
    } else if (matches.length > 1) {
      lastChance.set(
        a.Id,
        // The fix names the cause: turning creation on would not help here (it is not consulted).
        `account ${a.Id} (${a.Name}): ${matches.length} HubSpot companies share the domain ${domain}; ` +
          `fix: merge the duplicate companies in HubSpot, or set salesforce_account_id = ${a.Id} on the right one`,
      );
    } else if (opts.create) {
      toCreate.push(a);
    } else {
      lastChance.set(
        a.Id,
        `account ${a.Id} (${a.Name}): no HubSpot company matches and company creation is off; ` +
          `fix: \`dealbridge settings set createCompanies on\`, or set salesforce_account_id = ${a.Id} on its company`,
      );
    }
  }

  await Promise.all([
    writeOrRead(
      claims,
      (c) => c.account,
      (part) =>
        deps.hubspot.updateObjects(
          'companies',
          part.map((c) => ({ id: c.companyId, properties: { [ACCOUNT_ID_PROPERTY]: c.account.Id } })),
        ),
      (c) => link(c.account.Id, c.companyId, 'domain'),
      readById,
      failed,
      'writing salesforce_account_id to the company matched by domain failed',
    ),
    writeOrRead(
      toCreate,
      (a) => a,
      (part) =>
        deps.hubspot.createObjects(
          'companies',
          part.map((a) => ({
            properties: { name: a.Name, domain: domainOf.get(a.Id) ?? null, [ACCOUNT_ID_PROPERTY]: a.Id },
          })),
        ),
      (a, c) => {
        if (c) {
          link(a.Id, c.id, 'created');
          const domain = domainOf.get(a.Id);
          const taken = domain ? takenOnDomain.get(domain) : undefined;
          if (domain && taken)
            shared.set(
              a.Id,
              `account ${a.Id} (${a.Name}): its domain ${domain} is the domain of HubSpot company ${taken.join(', ')}, linked to another account, so a new company ${c.id} was created for it; if they are one company, merge the accounts in Salesforce or the companies in HubSpot`,
            );
        } else failed.set(a.Id, `account ${a.Id} (${a.Name}): HubSpot returned no company for it`);
      },
      readById,
      failed,
      'creating the company failed',
    ),
  ]);

  if (lastChance.size > 0) {
    // Read just now when reading by id first: then they are simply not there.
    const found = idFirst ? new Set<string>() : await readById([...lastChance.keys()]);
    for (const [id, reason] of lastChance) if (!found.has(id)) failed.set(id, reason);
  }

  if (newLinks.length > 0) await deps.store.saveCompanyLinks(newLinks);
  if (shared.size > 0) await recordSharedDomains(deps.store, shared, opts.now ?? new Date());
  return { linked, failed, shared };
}

/**
 * Stored here, where the company is created (the sync's and the import's look-ups both come
 * through): a one-time event about the account, so a warning without retry that stays listed.
 */
async function recordSharedDomains(store: StateStore, shared: Map<string, string>, now: Date): Promise<void> {
  const failures = [...shared].map(([id, message]) => ({
    recordKey: accountKey(id),
    code: 'COMPANY_DOMAIN_SHARED',
    message,
    field: 'Website',
    severity: 'warning' as const,
  }));
  const keys = failures.map((f) => f.recordKey);
  await store.recordErrors(toErrorRecords(failures, await existingErrors(store, keys), now));
}

/**
 * Writes in batches of 100 side by side. Inputs of a batch HubSpot refuses (a whole-batch 409/400,
 * or per-input errors) are read by `salesforce_account_id`: those found are linked by id (the value
 * was taken — by this account's own company, e.g. created before a crash); the others are written
 * again, a refused batch split until the inputs at fault stand alone and fail with the message.
 */
async function writeOrRead<T>(
  items: T[],
  accountOf: (item: T) => SfAccount,
  write: (part: T[]) => Promise<BatchOutcome<HsObject>>,
  done: (item: T, result: HsObject | undefined) => void,
  readById: (sfIds: string[]) => Promise<Set<string>>,
  failed: Map<string, string>,
  what: string,
): Promise<void> {
  const attempt = async (part: T[], readDone: boolean): Promise<void> => {
    let refused: { item: T; message: string }[] = [];
    let whole = false;
    try {
      const outcome = await write(part);
      const bad = new Map(outcome.errors.map((e) => [e.index, e.message]));
      const byAccount = new Map<string, HsObject>();
      for (const r of outcome.results) {
        const sfId = r.properties[ACCOUNT_ID_PROPERTY];
        if (sfId) byAccount.set(sfId, r);
      }
      part.forEach((item, i) => {
        const message = bad.get(i);
        if (message === undefined) done(item, byAccount.get(accountOf(item).Id));
        else refused.push({ item, message });
      });
    } catch (err) {
      // Content errors only; connection, auth and budget errors stop the pass as elsewhere.
      if (isPassLevel(err) || !(err instanceof BatchRejectedError || err instanceof DealbridgeError))
        throw err;
      const message = err.message;
      refused = part.map((item) => ({ item, message }));
      whole = true;
    }
    if (refused.length === 0) return;
    if (!readDone) {
      const found = await readById(refused.map((r) => accountOf(r.item).Id));
      const again = refused.filter((r) => !found.has(accountOf(r.item).Id)).map((r) => r.item);
      if (again.length > 0) await attempt(again, true);
      return;
    }
    if (whole && part.length > 1) {
      const mid = Math.ceil(part.length / 2);
      await attempt(part.slice(0, mid), true);
      await attempt(part.slice(mid), true);
      return;
    }
    for (const r of refused) {
      const a = accountOf(r.item);
      failed.set(a.Id, `account ${a.Id} (${a.Name}): ${what}: ${r.message}`);
    }
  };
  await Promise.all(chunk(items, BATCH).map((part) => attempt(part, false)));
}

/** The accounts these opportunities carry (read with them as parent fields), by id. */
export function knownAccounts(opps: Iterable<SfOpportunityWithRoles>): Map<string, SfAccount> {
  const out = new Map<string, SfAccount>();
  for (const o of opps) if (o.account) out.set(o.account.Id, o.account);
  return out;
}
