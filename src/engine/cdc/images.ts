// What the CDC feed knows of each opportunity: the last full record (from a query, a create or
// undelete event) with the changes of later events merged in, so an update event, which carries
// only its changed fields, becomes a full record without a Salesforce call. Memory only and
// bounded: a miss costs one read by id (batched), never a wrong record.
import type { SfAccount, SfContactRole } from '../../domain/salesforce.js';
import type { ChangeEvent } from '../ports/change-events.js';
import type { SfOpportunityWithRoles } from '../ports/remote.js';

const REQUIRED = ['Name', 'StageName', 'CreatedDate', 'IsClosed', 'IsWon'] as const;

export class ImageCache {
  private readonly opps = new Map<string, SfOpportunityWithRoles>();
  private readonly roleOf = new Map<string, string>();

  constructor(private readonly maxEntries = 100_000) {}

  get(id: string): SfOpportunityWithRoles | undefined {
    return this.opps.get(id);
  }

  /** Opportunities as a read (or a batch) saw them: they replace what the cache held. */
  remember(opps: readonly SfOpportunityWithRoles[]): void {
    for (const o of opps) this.set(structuredClone(o));
  }

  /** Accounts as they are now: the images' parent account fields follow (companies match on them). */
  updateAccounts(accounts: readonly SfAccount[]): void {
    if (accounts.length === 0) return;
    const byId = new Map(accounts.map((a) => [a.Id, a]));
    for (const o of this.opps.values()) {
      const a = o.AccountId ? byId.get(o.AccountId) : undefined;
      if (a) o.account = { ...a };
    }
  }

  forget(id: string): void {
    const o = this.opps.get(id);
    for (const r of o?.contactRoles ?? []) this.roleOf.delete(r.Id);
    this.opps.delete(id);
  }

  /** The opportunity a contact role belongs to, if the cache has seen the role. */
  opportunityOfRole(roleId: string): string | undefined {
    return this.roleOf.get(roleId);
  }

  private set(o: SfOpportunityWithRoles): void {
    this.opps.delete(o.Id);
    this.opps.set(o.Id, o);
    for (const r of o.contactRoles) this.roleOf.set(r.Id, o.Id);
    // Oldest first out: the Map keeps insertion order and set() re-inserts.
    while (this.opps.size > this.maxEntries) {
      const oldest = this.opps.keys().next().value;
      if (oldest === undefined) break;
      this.forget(oldest);
    }
  }

  /**
   * Applies an Opportunity event to the image. Returns false when the image cannot be made whole
   * (an update of a record the cache never saw, a create without its required fields): the
   * record is then read by id.
   */
  applyOpportunity(id: string, e: ChangeEvent, stamp: string): boolean {
    const f = e.opportunity ?? {};
    const type = e.header.changeType;
    if (type === 'CREATE' || type === 'UNDELETE') {
      if (REQUIRED.some((k) => f[k] === undefined)) return false;
      const before = this.opps.get(id);
      this.set({
        Id: id,
        Name: f.Name!,
        Amount: f.Amount ?? null,
        CloseDate: f.CloseDate ?? null,
        CreatedDate: f.CreatedDate!,
        StageName: f.StageName!,
        IsClosed: f.IsClosed!,
        IsWon: f.IsWon!,
        Type: f.Type ?? null,
        Description: f.Description ?? null,
        OwnerId: f.OwnerId ?? null,
        AccountId: f.AccountId ?? null,
        RecordTypeId: f.RecordTypeId ?? null,
        CurrencyIsoCode: f.CurrencyIsoCode ?? null,
        SystemModstamp: f.SystemModstamp ?? stamp,
        IsDeleted: false,
        extra: { ...(f.extra ?? {}) },
        // A new opportunity has no roles yet; an undeleted one gets its roles' UNDELETE events.
        contactRoles: type === 'UNDELETE' ? (before?.contactRoles ?? []) : [],
      });
      return true;
    }
    const o = this.opps.get(id);
    if (!o) return false;
    if (type === 'DELETE') {
      o.IsDeleted = true;
      o.SystemModstamp = stamp;
      return true;
    }
    if (type !== 'UPDATE') return false;
    const { extra, ...core } = f;
    Object.assign(o, core);
    o.extra = { ...o.extra, ...(extra ?? {}) };
    // An account change makes the parent fields read with the old account stale.
    if ('AccountId' in core) delete o.account;
    o.SystemModstamp = f.SystemModstamp ?? stamp;
    this.set(o);
    return true;
  }

  /**
   * Applies an OpportunityContactRole event; returns the opportunity it changed, or undefined
   * when the cache cannot tell which one (an update or delete of a role it never saw).
   */
  applyRole(
    roleId: string,
    e: ChangeEvent,
    stamp: string,
  ): { opportunityId: string; known: boolean } | undefined {
    const f = e.contactRole ?? {};
    const type = e.header.changeType;
    const oppId = f.OpportunityId ?? this.roleOf.get(roleId);
    if (!oppId) return undefined;
    const o = this.opps.get(oppId);
    if (!o) return { opportunityId: oppId, known: false };
    const roles = o.contactRoles.filter((r) => r.Id !== roleId);
    const old = o.contactRoles.find((r) => r.Id === roleId);
    if (type === 'DELETE') {
      this.roleOf.delete(roleId);
      o.contactRoles = roles;
      return { opportunityId: oppId, known: true };
    }
    if (type === 'UPDATE' && !old) return { opportunityId: oppId, known: false };
    if (type !== 'UPDATE' && (f.ContactId === undefined || type.startsWith('GAP_')))
      return { opportunityId: oppId, known: false };
    const next: SfContactRole = {
      Id: roleId,
      OpportunityId: oppId,
      ContactId: f.ContactId ?? old!.ContactId,
      Role: f.Role !== undefined ? f.Role : (old?.Role ?? null),
      IsPrimary: f.IsPrimary ?? old?.IsPrimary ?? false,
      SystemModstamp: f.SystemModstamp ?? stamp,
      IsDeleted: false,
      // A new contact's email is looked up by the batch (scope.ts), as for the role feed's rows.
      ...(old?.ContactId === (f.ContactId ?? old?.ContactId) && old?.ContactEmail !== undefined
        ? { ContactEmail: old.ContactEmail }
        : {}),
    };
    o.contactRoles = [...roles, next];
    this.roleOf.set(roleId, oppId);
    return { opportunityId: oppId, known: true };
  }
}
