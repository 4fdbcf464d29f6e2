// A SalesforcePort over in-memory records for the engine's unit tests. Every mutation stamps
// SystemModstamp from a fake server clock that moves one second per change, so tests control
// exactly which rows share a timestamp and which fall inside the look-back.
import type {
  ApiUsageReading,
  ChangeCursor,
  IsoDateTime,
  SfAccount,
  SfContact,
  SfContactRole,
  SfCurrencyRate,
  SfDeleted,
  SfOpportunity,
  SfOrgInfo,
  SfRecordType,
  SfStage,
  SfUser,
} from '../../domain/salesforce.js';
import type {
  SalesforcePort,
  SfChangeTimes,
  SfOpportunityUpdate,
  SfOpportunityWithRoles,
  SfWriteResult,
} from '../ports/remote.js';

export class FakeSalesforce implements SalesforcePort {
  clock = Date.parse('2024-05-01T10:00:00.000Z');
  opps = new Map<string, SfOpportunity>();
  roles = new Map<string, SfContactRole>();
  contacts = new Map<string, SfContact>();
  accounts = new Map<string, SfAccount>();
  userList: SfUser[] = [{ Id: '005U1', Email: 'owner@example.com', Name: 'Olga Owner', IsActive: true }];
  stages: SfStage[] = [
    stage('Prospecting', 1, 10, false, false),
    stage('Negotiation', 2, 90, false, false),
    stage('Closed Won', 3, 100, true, true),
    stage('Closed Lost', 4, 0, true, false),
  ];
  recordTypes: SfRecordType[] = [];
  /** Record type id → its sales process's stage API names (absent: every active stage). */
  processes = new Map<string, string[]>();
  org: SfOrgInfo = {
    organizationId: '00DFAKE',
    multiCurrency: false,
    corporateCurrency: 'USD',
    datedRates: false,
  };
  rates: SfCurrencyRate[] = [];
  /** getDeleted log; `purge` removes a deleted opportunity from queryAll but keeps it here. */
  deletedLog: SfDeleted[] = [];
  earliestDeletedAvailable: IsoDateTime = '2000-01-01T00:00:00.000Z';
  pageSize = 2000;
  calls = new Map<string, number>();
  /** Rows returned per query method (what a look-back costs is rows, not calls). */
  rowsRead = new Map<string, number>();
  /** Opportunities carry their roles' contact emails and their account (as the adapter's query). */
  parentFields = true;
  apiUsed = 0;
  apiMax = 100_000;
  /** Errors to throw from the next calls of a method (consumed one per call). */
  faults = new Map<string, unknown[]>();
  private seq = 0;

  private call(name: string): void {
    this.calls.set(name, (this.calls.get(name) ?? 0) + 1);
    this.apiUsed++;
    const queue = this.faults.get(name);
    if (queue && queue.length > 0) throw queue.shift();
  }
  totalCalls(): number {
    return [...this.calls.values()].reduce((a, b) => a + b, 0);
  }
  /** How far the clock moves per change (1 s; less to emulate a steady stream of changes). */
  tickMs = 1000;
  tick(): IsoDateTime {
    this.clock += this.tickMs;
    return new Date(this.clock).toISOString();
  }
  now(): IsoDateTime {
    return new Date(this.clock).toISOString();
  }
  nextId(prefix: string): string {
    this.seq++;
    return `${prefix}${String(this.seq).padStart(15 - prefix.length, '0')}`;
  }

  addContact(c: Partial<SfContact> & { Email: string | null }): SfContact {
    const rec: SfContact = {
      Id: this.nextId('003'),
      FirstName: null,
      LastName: 'Doe',
      AccountId: null,
      ...c,
    };
    this.contacts.set(rec.Id, rec);
    return rec;
  }
  addAccount(a: Partial<SfAccount> = {}): SfAccount {
    const rec: SfAccount = {
      Id: this.nextId('001'),
      Name: 'Acme',
      Website: null,
      SystemModstamp: this.tick(),
      ...a,
    };
    this.accounts.set(rec.Id, rec);
    return rec;
  }
  addOpportunity(o: Partial<SfOpportunity> = {}, contactIds: string[] = []): SfOpportunity {
    const at = this.tick();
    const rec: SfOpportunity = {
      Id: this.nextId('006'),
      Name: 'Deal',
      Amount: '1000',
      CloseDate: '2024-06-30',
      CreatedDate: at,
      StageName: 'Prospecting',
      IsClosed: false,
      IsWon: false,
      Type: null,
      Description: null,
      OwnerId: '005U1',
      AccountId: null,
      RecordTypeId: null,
      CurrencyIsoCode: null,
      SystemModstamp: at,
      IsDeleted: false,
      extra: {},
      ...o,
    };
    this.opps.set(rec.Id, rec);
    for (const c of contactIds) this.addRole(rec.Id, c);
    return rec;
  }
  updateOpportunity(id: string, patch: Partial<SfOpportunity>): SfOpportunity {
    const rec = this.opps.get(id);
    if (!rec) throw new Error(`no opportunity ${id}`);
    Object.assign(rec, patch, { SystemModstamp: this.tick() });
    return rec;
  }
  deleteOpportunity(id: string): void {
    const rec = this.updateOpportunity(id, { IsDeleted: true });
    this.deletedLog.push({ id, deletedDate: rec.SystemModstamp });
    for (const r of this.roles.values()) if (r.OpportunityId === id && !r.IsDeleted) this.deleteRole(r.Id);
  }
  /** Empties the recycle bin for this record: queryAll no longer returns it. */
  purge(id: string): void {
    this.opps.delete(id);
  }
  undeleteOpportunity(id: string): void {
    this.updateOpportunity(id, { IsDeleted: false });
  }
  addRole(opportunityId: string, contactId: string): SfContactRole {
    const rec: SfContactRole = {
      Id: this.nextId('00K'),
      OpportunityId: opportunityId,
      ContactId: contactId,
      Role: null,
      IsPrimary: false,
      SystemModstamp: this.tick(),
      IsDeleted: false,
    };
    this.roles.set(rec.Id, rec);
    return rec;
  }
  deleteRole(id: string): void {
    const r = this.roles.get(id);
    if (r) Object.assign(r, { IsDeleted: true, SystemModstamp: this.tick() });
  }

  private withRoles(o: SfOpportunity): SfOpportunityWithRoles {
    // As queryAll does: the child subquery also returns deleted contact roles (IsDeleted).
    const roles = [...this.roles.values()].filter((r) => r.OpportunityId === o.Id);
    if (!this.parentFields) return { ...structuredClone(o), contactRoles: roles.map((r) => ({ ...r })) };
    // As the adapter's query does: `Contact.Email` on each role, `Account.*` on the opportunity.
    const account = o.AccountId ? this.accounts.get(o.AccountId) : undefined;
    return {
      ...structuredClone(o),
      contactRoles: roles.map((r) => ({ ...r, ContactEmail: this.contacts.get(r.ContactId)?.Email ?? null })),
      account: account ? { ...account } : null,
    };
  }

  async serverTime(): Promise<IsoDateTime> {
    this.call('serverTime');
    return this.now();
  }
  async orgInfo(): Promise<SfOrgInfo> {
    this.call('orgInfo');
    return { ...this.org };
  }
  async users(): Promise<SfUser[]> {
    this.call('users');
    return this.userList.map((u) => ({ ...u }));
  }
  async opportunityRecordTypes(): Promise<SfRecordType[]> {
    this.call('opportunityRecordTypes');
    return this.recordTypes.map((r) => ({ ...r }));
  }
  async opportunityStages(): Promise<SfStage[]> {
    this.call('opportunityStages');
    return this.stages.map((s) => ({ ...s }));
  }
  /** Opportunity.Type's picklist values, as describe lists them. */
  typeValues: string[] = ['New Customer', 'Existing Customer - Upgrade'];
  async opportunityTypeValues(): Promise<string[]> {
    this.call('opportunityTypeValues');
    return [...this.typeValues];
  }
  async salesProcessStages(recordTypeId: string): Promise<string[]> {
    this.call('salesProcessStages');
    const process = this.processes.get(recordTypeId);
    return [...this.stages]
      .filter((s) => s.IsActive && (!process || process.includes(s.ApiName)))
      .sort((a, b) => a.SortOrder - b.SortOrder)
      .map((s) => s.ApiName);
  }
  async hasMasterOpportunities(): Promise<boolean> {
    this.call('hasMasterOpportunities');
    return [...this.opps.values()].some((o) => !o.IsDeleted && o.RecordTypeId === null);
  }
  async currencyRates(): Promise<SfCurrencyRate[]> {
    this.call('currencyRates');
    return this.rates.map((r) => ({ ...r }));
  }
  async *opportunitiesChangedSince(
    cursor: ChangeCursor,
    opts: { before?: IsoDateTime } = {},
  ): AsyncIterable<SfOpportunityWithRoles[]> {
    const rows = [...this.opps.values()]
      .filter((o) => afterCursor(o.SystemModstamp, o.Id, cursor) && isBefore(o.SystemModstamp, opts.before))
      .sort(byStamp);
    yield* this.pages(
      'opportunitiesChangedSince',
      rows.map((o) => this.withRoles(o)),
    );
  }
  async *contactRolesChangedSince(
    cursor: ChangeCursor,
    opts: { before?: IsoDateTime } = {},
  ): AsyncIterable<SfContactRole[]> {
    const rows = [...this.roles.values()]
      .filter((r) => afterCursor(r.SystemModstamp, r.Id, cursor) && isBefore(r.SystemModstamp, opts.before))
      .sort(byStamp);
    yield* this.pages(
      'contactRolesChangedSince',
      rows.map((r) => ({ ...r })),
    );
  }
  private async *pages<T>(name: string, rows: T[]): AsyncIterable<T[]> {
    this.call(name);
    if (rows.length === 0) return;
    for (let i = 0; i < rows.length; i += this.pageSize) {
      if (i > 0) this.call(name);
      const page = rows.slice(i, i + this.pageSize);
      this.rowsRead.set(name, (this.rowsRead.get(name) ?? 0) + page.length);
      yield page;
    }
  }
  async deletedOpportunities(start: IsoDateTime, end: IsoDateTime) {
    this.call('deletedOpportunities');
    return {
      deleted: this.deletedLog.filter((d) => d.deletedDate >= start && d.deletedDate <= end),
      earliestDateAvailable: this.earliestDeletedAvailable,
      latestDateCovered: end,
    };
  }
  async opportunitiesByIds(ids: string[]): Promise<SfOpportunityWithRoles[]> {
    this.call('opportunitiesByIds');
    return ids.flatMap((id) => {
      const o = this.opps.get(id);
      return o ? [this.withRoles(o)] : [];
    });
  }
  async countOpportunities(): Promise<number> {
    this.call('countOpportunities');
    return [...this.opps.values()].filter((o) => !o.IsDeleted).length;
  }
  async *allOpportunities(afterId: string | null): AsyncIterable<SfOpportunityWithRoles[]> {
    const rows = [...this.opps.values()]
      .filter((o) => !o.IsDeleted && (afterId === null || o.Id > afterId))
      .sort((a, b) => a.Id.localeCompare(b.Id));
    yield* this.pages(
      'allOpportunities',
      rows.map((o) => this.withRoles(o)),
    );
  }
  async *allOpportunityIds(): AsyncIterable<string[]> {
    const ids = [...this.opps.values()]
      .filter((o) => !o.IsDeleted)
      .map((o) => o.Id)
      .sort();
    yield* this.pages('allOpportunityIds', ids);
  }
  async contactsByIds(ids: string[]): Promise<SfContact[]> {
    this.call('contactsByIds');
    return ids.flatMap((id) => {
      const c = this.contacts.get(id);
      return c ? [{ ...c }] : [];
    });
  }
  async contactsByEmails(emails: string[]): Promise<SfContact[]> {
    this.call('contactsByEmails');
    const wanted = new Set(emails.map((e) => e.toLowerCase()));
    return [...this.contacts.values()]
      .filter((c) => c.Email !== null && wanted.has(c.Email.toLowerCase()))
      .map((c) => ({ ...c }));
  }
  async opportunityIdsOfContacts(contactIds: string[]): Promise<string[]> {
    this.call('opportunityIdsOfContacts');
    const wanted = new Set(contactIds);
    const ids = [...this.roles.values()]
      .filter(
        (r) => !r.IsDeleted && wanted.has(r.ContactId) && this.opps.get(r.OpportunityId)?.IsDeleted === false,
      )
      .map((r) => r.OpportunityId);
    return [...new Set(ids)];
  }
  async opportunityIdsOfRoles(roleIds: string[]): Promise<Map<string, string>> {
    this.call('opportunityIdsOfRoles');
    const out = new Map<string, string>();
    for (const id of roleIds) {
      const r = this.roles.get(id);
      if (r) out.set(id, r.OpportunityId);
    }
    return out;
  }
  async accountsByIds(ids: string[]): Promise<SfAccount[]> {
    this.call('accountsByIds');
    return ids.flatMap((id) => {
      const a = this.accounts.get(id);
      return a ? [{ ...a }] : [];
    });
  }
  async *accountsChangedSince(cursor: ChangeCursor): AsyncIterable<SfAccount[]> {
    const rows = [...this.accounts.values()]
      .filter((a) => afterCursor(a.SystemModstamp, a.Id, cursor))
      .sort(byStamp);
    yield* this.pages('accountsChangedSince', rows);
  }
  /** The fake's feeds cost no calls to bundle: each `…ChangedSince` read serves itself. */
  async prefetchChangeFeeds(): Promise<void> {}
  async opportunityFields() {
    this.call('opportunityFields');
    return [{ name: 'Name', label: 'Name', type: 'string' }];
  }
  requestCount(): number {
    return 0;
  }
  rateLimitedCount(): number {
    return 0;
  }
  /** Writes the fields as Salesforce would (numbers as strings, as the fake keeps Amount). */
  async updateOpportunities(updates: SfOpportunityUpdate[]): Promise<SfWriteResult[]> {
    this.call('updateOpportunities');
    return updates.map((u) => {
      const rec = this.opps.get(u.id);
      if (!rec || rec.IsDeleted) {
        const statusCode = rec ? 'ENTITY_IS_DELETED' : 'INVALID_CROSS_REFERENCE_KEY';
        return {
          id: u.id,
          ok: false,
          code: rec ? 'ENTITY_IS_DELETED' : 'SALESFORCE_WRITE_REJECTED',
          salesforceCode: statusCode,
          message: `Opportunity ${u.id}: Salesforce refused the write with ${statusCode}`,
          fields: [],
        };
      }
      const patch = Object.fromEntries(
        Object.entries(u.fields).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v]),
      );
      this.updateOpportunity(u.id, patch as Partial<SfOpportunity>);
      return { id: u.id, ok: true };
    });
  }
  /** To the recycle bin, as Salesforce deletes (queryAll still sees them, IsDeleted). */
  async deleteOpportunities(ids: string[]): Promise<SfWriteResult[]> {
    this.call('deleteOpportunities');
    return ids.map((id) => {
      if (this.opps.has(id)) this.deleteOpportunity(id);
      return { id, ok: true };
    });
  }
  /** LastModifiedDate is the row's SystemModstamp; the fake org tracks no field history. */
  async opportunityChangeTimes(ids: string[]): Promise<Map<string, SfChangeTimes>> {
    this.call('opportunityChangeTimes');
    const out = new Map<string, SfChangeTimes>();
    for (const id of ids) {
      const o = this.opps.get(id);
      if (o) out.set(id, { lastModifiedDate: o.SystemModstamp, lastModifiedById: null, fields: {} });
    }
    return out;
  }
  async refreshUsage(): Promise<ApiUsageReading | undefined> {
    this.call('refreshUsage');
    return this.usage();
  }
  usage(): ApiUsageReading | undefined {
    return this.apiUsed === 0 ? undefined : { used: this.apiUsed, max: this.apiMax, at: this.now() };
  }
}

function stage(ApiName: string, SortOrder: number, p: number, IsClosed: boolean, IsWon: boolean): SfStage {
  return {
    Id: `01J${SortOrder}`,
    ApiName,
    MasterLabel: ApiName,
    SortOrder,
    DefaultProbability: p,
    IsClosed,
    IsWon,
    IsActive: true,
  };
}

function isBefore(stamp: string, before: IsoDateTime | undefined): boolean {
  return before === undefined || Date.parse(stamp) < Date.parse(before);
}

/** `(stamp, id) > cursor`, or `stamp >= cursor` for a cursor without an Id (soql.ts cursorCondition). */
function afterCursor(stamp: string, id: string, c: ChangeCursor): boolean {
  if (c.id === '') return stamp >= c.modstamp;
  return stamp > c.modstamp || (stamp === c.modstamp && id > c.id);
}

function byStamp(
  a: { SystemModstamp: string; Id: string },
  b: { SystemModstamp: string; Id: string },
): number {
  return a.SystemModstamp.localeCompare(b.SystemModstamp) || a.Id.localeCompare(b.Id);
}
