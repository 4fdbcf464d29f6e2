// Deal associations as a diff against what dealbridge itself wrote last time (kept in
// DealLink.lastValues under '@contacts' and '@company'): add deal↔contact (type 3) for each
// contact role whose contact is in HubSpot and deal↔company (type 5, primary) for the account;
// remove only the ones dealbridge added whose role or account is gone, never associations a
// HubSpot user made by hand. "Added" includes what a batch noted before writing and never recorded
// (a process killed between HubSpot's answer and the store: PendingAssociations).
import { createHash } from 'node:crypto';
import type { HsAssociationInput } from '../../domain/hubspot.js';
import type { DealLink, PendingAssociations } from '../ports/store.js';

export const DEAL_TO_CONTACT = 3;
export const DEAL_TO_COMPANY_PRIMARY = 5;
export const CONTACTS_KEY = '@contacts';
export const COMPANY_KEY = '@company';

export interface AssociationState {
  /** HubSpot contact ids, sorted, unique. */
  contacts: string[];
  company: string | null;
}

export function associationState(contacts: Iterable<string>, company: string | null): AssociationState {
  return { contacts: [...new Set(contacts)].sort(), company };
}

export function associationsHash(s: AssociationState): string {
  return createHash('sha256')
    .update(JSON.stringify([s.contacts, s.company]))
    .digest('hex');
}

/** What dealbridge last wrote for this deal; empty for a new (or re-created) deal. */
export function previousAssociations(link: DealLink | undefined, dealId: string): AssociationState {
  if (!link || link.dealId !== dealId || link.archived) return { contacts: [], company: null };
  const contacts = link.lastValues[CONTACTS_KEY];
  return {
    contacts: contacts ? contacts.split(',').filter(Boolean) : [],
    company: link.lastValues[COMPANY_KEY] ?? null,
  };
}

export function associationValues(s: AssociationState): Record<string, string | null> {
  return { [CONTACTS_KEY]: s.contacts.length > 0 ? s.contacts.join(',') : null, [COMPANY_KEY]: s.company };
}

export interface AssociationDiff {
  addContacts: HsAssociationInput[];
  removeContacts: HsAssociationInput[];
  addCompanies: HsAssociationInput[];
  removeCompanies: HsAssociationInput[];
}

export function emptyDiff(): AssociationDiff {
  return { addContacts: [], removeContacts: [], addCompanies: [], removeCompanies: [] };
}

/**
 * What to add (in `next`, not in `prev`) and remove (in `prev`, not in `next`). `pending`, what a
 * batch noted and may or may not have written, only widens what is removed: a noted association
 * that is still wanted is added again (adding is idempotent), as its write may never have happened.
 */
export function diffAssociations(
  dealId: string,
  prev: AssociationState,
  next: AssociationState,
  into: AssociationDiff = emptyDiff(),
  pending?: Pick<PendingAssociations, 'contacts' | 'companies'>,
): AssociationDiff {
  const before = new Set(prev.contacts);
  const after = new Set(next.contacts);
  for (const c of after)
    if (!before.has(c)) into.addContacts.push({ fromId: dealId, toId: c, typeId: DEAL_TO_CONTACT });
  for (const c of new Set([...before, ...(pending?.contacts ?? [])])) {
    if (!after.has(c)) into.removeContacts.push({ fromId: dealId, toId: c, typeId: DEAL_TO_CONTACT });
  }
  for (const c of new Set(pending?.companies ?? [])) {
    if (c !== next.company && c !== prev.company)
      into.removeCompanies.push({ fromId: dealId, toId: c, typeId: DEAL_TO_COMPANY_PRIMARY });
  }
  if (prev.company !== next.company) {
    if (prev.company)
      into.removeCompanies.push({ fromId: dealId, toId: prev.company, typeId: DEAL_TO_COMPANY_PRIMARY });
    if (next.company)
      into.addCompanies.push({ fromId: dealId, toId: next.company, typeId: DEAL_TO_COMPANY_PRIMARY });
  }
  return into;
}

export function diffSize(d: AssociationDiff): number {
  return d.addContacts.length + d.removeContacts.length + d.addCompanies.length + d.removeCompanies.length;
}

/** The associations of a new deal, as its create call takes them (DealCreateInput.associations). */
export function inlineAssociations(s: AssociationState): { toId: string; typeId: number }[] {
  const out = s.contacts.map((toId) => ({ toId, typeId: DEAL_TO_CONTACT }));
  if (s.company) out.push({ toId: s.company, typeId: DEAL_TO_COMPANY_PRIMARY });
  return out;
}
