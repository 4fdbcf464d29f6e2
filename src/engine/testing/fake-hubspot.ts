// A HubspotPort over in-memory objects for the engine's unit tests: unique-property upserts,
// v4-style associations, and hooks to reject inputs (whole-batch 400, as HubSpot's batch create
// does) or to throw from the next calls, so the engine's isolation and retry paths can be driven.
import type {
  HsAccountInfo,
  HsAssociationInput,
  HsObject,
  HsObjectType,
  HsObjectWithHistory,
  HsOwner,
  HsPipeline,
  HsPipelineStage,
  HsProperties,
  HsPropertyDefinition,
} from '../../domain/hubspot.js';
import type {
  ArchivedDeal,
  BatchOutcome,
  DealCreateInput,
  DealUpsertInput,
  DealUpsertResult,
  HubspotPort,
  PipelineStageInput,
} from '../ports/remote.js';
import { BatchRejectedError } from '../ports/remote.js';

const uniqueKey: Record<HsObjectType, string> = {
  deals: 'salesforce_opportunity_id',
  contacts: 'email',
  companies: 'salesforce_account_id',
};

export class FakeHubspot implements HubspotPort {
  objects: Record<HsObjectType, Map<string, HsObject>> = {
    deals: new Map(),
    contacts: new Map(),
    companies: new Map(),
  };
  associations = new Set<string>();
  groups = new Set<string>();
  /** Each group's label, as ensurePropertyGroup last left it. */
  groupLabels = new Map<string, string>();
  props: Record<HsObjectType, HsPropertyDefinition[]> = {
    deals: [
      {
        name: 'dealname',
        label: 'Deal name',
        type: 'string',
        fieldType: 'text',
        groupName: 'dealinformation',
      },
      {
        name: 'dealtype',
        label: 'Deal type',
        type: 'enumeration',
        fieldType: 'select',
        groupName: 'dealinformation',
        options: [
          { label: 'New Business', value: 'newbusiness' },
          { label: 'Existing Business', value: 'existingbusiness' },
        ],
      },
    ],
    contacts: [
      { name: 'email', label: 'Email', type: 'string', fieldType: 'text', groupName: 'contactinformation' },
    ],
    companies: [
      { name: 'domain', label: 'Domain', type: 'string', fieldType: 'text', groupName: 'companyinformation' },
    ],
  };
  pipelines: HsPipeline[] = [];
  ownerList: HsOwner[] = [{ id: '9001', email: 'OWNER@example.com', archived: false }];
  account: HsAccountInfo = { portalId: 42, companyCurrency: 'USD', currencies: ['USD'], timeZone: 'UTC' };
  calls = new Map<string, number>();
  faults = new Map<string, unknown[]>();
  /** Returns a message when HubSpot would reject this deal input (the whole batch fails). */
  rejectDeal: (props: HsProperties) => string | null = () => null;
  /**
   * As HubSpot: a deal whose hubspot_owner_id is not a live owner fails the whole batch (400, the
   * property named, the input not). Off by default so tests may use any owner id.
   */
  rejectUnknownOwners = false;
  private seq = 1000;
  /** Archived deals (id → when), as HubSpot's recycle bin lists them. */
  private readonly archivedAt = new Map<string, string>();
  /** HubSpot's clock, for `createdate` (the harness ties it to the fake Salesforce clock). */
  now: () => string = () => new Date().toISOString();

  private checkOwners(inputs: { properties: HsProperties }[]): void {
    if (!this.rejectUnknownOwners) return;
    const live = new Set(this.ownerList.filter((o) => !o.archived).map((o) => o.id));
    const bad = inputs.find((i) => {
      const owner = i.properties.hubspot_owner_id;
      return owner !== undefined && owner !== null && owner !== '' && !live.has(owner);
    });
    if (bad) {
      throw new BatchRejectedError(
        `Property values were not valid: ${bad.properties.hubspot_owner_id} is not a valid owner id`,
        400,
        'OWNER_NOT_FOUND',
        [],
        'hubspot_owner_id',
      );
    }
  }

  private call(name: string): void {
    this.calls.set(name, (this.calls.get(name) ?? 0) + 1);
    const queue = this.faults.get(name);
    if (queue && queue.length > 0) throw queue.shift();
  }
  /** What usage() reports as HTTP 429 answers (the fake has no rate limit: tests set it). */
  rateLimitedCalls = 0;
  totalCalls(): number {
    return [...this.calls.values()].reduce((a, b) => a + b, 0);
  }
  live(type: HsObjectType): HsObject[] {
    return [...this.objects[type].values()].filter((o) => !o.archived);
  }
  dealByOpportunity(oppId: string): HsObject | undefined {
    return this.live('deals').find((d) => d.properties.salesforce_opportunity_id === oppId);
  }
  associated(dealId: string, toType: 'contacts' | 'companies'): string[] {
    return [...this.associations]
      .map((k) => k.split('|'))
      .filter(([from, t]) => from === dealId && t === toType)
      .map(([, , to]) => to as string)
      .sort();
  }
  addContact(email: string, extra: HsProperties = {}): HsObject {
    return this.insert('contacts', { email: email.toLowerCase(), createdate: this.now(), ...extra });
  }
  addCompany(props: HsProperties): HsObject {
    return this.insert('companies', props);
  }
  private insert(type: HsObjectType, properties: HsProperties): HsObject {
    const obj: HsObject = { id: String(++this.seq), properties: { ...properties }, archived: false };
    this.objects[type].set(obj.id, obj);
    return obj;
  }
  private findUnique(type: HsObjectType, prop: string, value: string): HsObject | undefined {
    const v = prop === 'email' ? value.toLowerCase() : value;
    return this.live(type).find((o) => o.properties[prop] === v);
  }
  private view(o: HsObject, properties: string[]): HsObject {
    const props: HsProperties = {};
    for (const p of properties) props[p] = o.properties[p] ?? null;
    return { id: o.id, properties: props };
  }

  async accountInfo(): Promise<HsAccountInfo> {
    this.call('accountInfo');
    return structuredClone(this.account);
  }
  async owners(): Promise<HsOwner[]> {
    this.call('owners');
    return structuredClone(this.ownerList);
  }
  async dealPipelines(): Promise<HsPipeline[]> {
    this.call('dealPipelines');
    return structuredClone(this.pipelines);
  }
  async createDealPipeline(p: {
    label: string;
    displayOrder: number;
    stages: Omit<HsPipelineStage, 'id'>[];
  }) {
    this.call('createDealPipeline');
    const id = String(++this.seq);
    const pipeline: HsPipeline = {
      id,
      label: p.label,
      displayOrder: p.displayOrder,
      stages: p.stages.map((s, i) => ({ ...s, id: `${id}-s${i}` })),
    };
    this.pipelines.push(pipeline);
    return structuredClone(pipeline);
  }
  async updateDealPipeline(id: string, p: { label: string; stages: PipelineStageInput[] }) {
    this.call('updateDealPipeline');
    const pipeline = this.pipelines.find((x) => x.id === id);
    if (!pipeline) throw new Error(`no pipeline ${id}`);
    pipeline.label = p.label;
    for (const { id: stageId, ...s } of p.stages) {
      const existing =
        (stageId !== undefined ? pipeline.stages.find((x) => x.id === stageId) : undefined) ??
        pipeline.stages.find((x) => x.label === s.label);
      if (existing) Object.assign(existing, s);
      else pipeline.stages.push({ ...s, id: `${id}-s${pipeline.stages.length}` });
    }
    return structuredClone(pipeline);
  }
  async properties(objectType: HsObjectType): Promise<HsPropertyDefinition[]> {
    this.call('properties');
    return structuredClone(this.props[objectType]);
  }
  async ensurePropertyGroup(
    objectType: HsObjectType,
    name: string,
    label: string,
    relabel: readonly string[] = [],
  ): Promise<void> {
    this.call('ensurePropertyGroup');
    const key = `${objectType}:${name}`;
    this.groups.add(key);
    const current = this.groupLabels.get(key);
    if (current === undefined || relabel.includes(current)) this.groupLabels.set(key, label);
  }
  async setPropertyLabel(objectType: HsObjectType, name: string, label: string): Promise<void> {
    this.call('setPropertyLabel');
    const def = this.props[objectType].find((p) => p.name === name);
    if (!def) throw new Error(`property ${name} does not exist`);
    def.label = label;
  }
  async setPropertyOptions(
    objectType: HsObjectType,
    name: string,
    options: NonNullable<HsPropertyDefinition['options']>,
  ): Promise<void> {
    this.call('setPropertyOptions');
    const def = this.props[objectType].find((p) => p.name === name);
    if (!def) throw new Error(`property ${name} does not exist`);
    def.options = structuredClone(options);
  }
  async createProperty(
    objectType: HsObjectType,
    def: Omit<HsPropertyDefinition, 'readOnlyValue'>,
  ): Promise<void> {
    this.call('createProperty');
    if (this.props[objectType].some((p) => p.name === def.name))
      throw new Error(`property ${def.name} exists`);
    this.props[objectType].push({ ...def });
  }

  async upsertDeals(inputs: DealUpsertInput[]): Promise<BatchOutcome<DealUpsertResult>> {
    this.call('upsertDeals');
    if (inputs.length > 100) throw new Error('more than 100 inputs');
    const bad = inputs.map((i) => this.rejectDeal(i.properties)).find((m) => m !== null);
    if (bad) throw new BatchRejectedError(bad, 400, 'VALIDATION_ERROR', []);
    this.checkOwners(inputs);
    // As HubSpot: createdate can be set when a deal is created, not on an existing one.
    const readOnly = inputs.findIndex(
      (i) =>
        'createdate' in i.properties &&
        this.findUnique('deals', 'salesforce_opportunity_id', i.opportunityId),
    );
    if (readOnly >= 0) {
      throw new BatchRejectedError(
        '"createdate" is a read only property',
        400,
        'HUBSPOT_VALIDATION',
        [],
        'createdate',
      );
    }
    const results = inputs.map((input) => {
      const existing = this.findUnique('deals', 'salesforce_opportunity_id', input.opportunityId);
      if (existing) {
        Object.assign(existing.properties, input.properties);
        return { opportunityId: input.opportunityId, dealId: existing.id, created: false };
      }
      const obj = this.insert('deals', {
        ...input.properties,
        salesforce_opportunity_id: input.opportunityId,
      });
      return { opportunityId: input.opportunityId, dealId: obj.id, created: true };
    });
    return { results, errors: [] };
  }
  /** As HubSpot's batch create with inline associations; a taken salesforce_opportunity_id is a 409. */
  async createDeals(inputs: DealCreateInput[]): Promise<BatchOutcome<DealUpsertResult>> {
    this.call('createDeals');
    if (inputs.length > 100) throw new Error('more than 100 inputs');
    const bad = inputs.map((i) => this.rejectDeal(i.properties)).find((m) => m !== null);
    if (bad) throw new BatchRejectedError(bad, 400, 'VALIDATION_ERROR', []);
    this.checkOwners(inputs);
    const withKeys = inputs.map((i) => ({
      properties: { ...i.properties, salesforce_opportunity_id: i.opportunityId },
    }));
    this.checkUnique('deals', withKeys);
    const results = inputs.map((input, k) => {
      const obj = this.insert('deals', withKeys[k]!.properties);
      for (const a of input.associations) {
        const toType = a.typeId === 3 ? 'contacts' : 'companies';
        this.associations.add(`${obj.id}|${toType}|${a.toId}|${a.typeId}`);
      }
      return { opportunityId: input.opportunityId, dealId: obj.id, created: true };
    });
    return { results, errors: [] };
  }
  async archiveDeals(dealIds: string[]): Promise<void> {
    this.call('archiveDeals');
    for (const id of dealIds) {
      const d = this.objects.deals.get(id);
      if (d && !d.archived) {
        d.archived = true;
        this.archivedAt.set(id, this.now());
      }
    }
  }
  async archivedDeals(): Promise<ArchivedDeal[]> {
    this.call('archivedDeals');
    return [...this.archivedAt].map(([dealId, archivedAt]) => ({ dealId, archivedAt }));
  }
  async *listObjects(type: HsObjectType, properties: string[]): AsyncIterable<HsObject[]> {
    const live = [...this.objects[type].values()].filter((o) => !o.archived);
    for (let i = 0; i < live.length; i += 100) {
      this.call(`listObjects:${type}`);
      yield live.slice(i, i + 100).map((o) => this.view(o, properties));
    }
  }
  async readByUniqueProperty(type: HsObjectType, property: string, values: string[], properties: string[]) {
    this.call(`readByUniqueProperty:${type}`);
    if (values.length > 100) throw new Error('more than 100 inputs');
    if (property !== uniqueKey[type] && !(type === 'contacts' && property === 'salesforce_contact_id')) {
      throw new Error(`${property} is not unique on ${type}`);
    }
    return values.flatMap((v) => {
      const o = this.findUnique(type, property, v);
      return o ? [this.view(o, [...properties, property])] : [];
    });
  }
  async readByIds(type: HsObjectType, ids: string[], properties: string[]): Promise<HsObject[]> {
    this.call(`readByIds:${type}`);
    return ids.flatMap((id) => {
      const o = this.objects[type].get(id);
      return o && !o.archived ? [this.view(o, properties)] : [];
    });
  }
  async *contactsCreatedSince(since: string, properties: string[]): AsyncIterable<HsObject[]> {
    this.call('contactsCreatedSince');
    const from = Date.parse(since);
    const hits = this.live('contacts')
      .filter((c) => Date.parse(c.properties.createdate ?? '') >= from)
      .sort((a, b) => Date.parse(a.properties.createdate ?? '') - Date.parse(b.properties.createdate ?? ''));
    for (let i = 0; i < hits.length; i += 200)
      yield hits.slice(i, i + 200).map((c) => this.view(c, properties));
  }
  /** Deals carrying an `hs_lastmodifieddate` at or after `since` (the fake sets it only when told). */
  async *dealsModifiedSince(since: string, properties: string[]): AsyncIterable<HsObject[]> {
    this.call('dealsModifiedSince');
    const at = (d: HsObject) => Date.parse(d.properties.hs_lastmodifieddate ?? '');
    const hits = this.live('deals')
      .filter((d) => at(d) >= Date.parse(since))
      .sort((a, b) => at(a) - at(b));
    for (let i = 0; i < hits.length; i += 200)
      yield hits.slice(i, i + 200).map((d) => this.view(d, [...properties, 'hs_lastmodifieddate']));
  }
  /** One history entry per property: its current value, dated by `hs_lastmodifieddate`. */
  async readDealHistory(ids: string[], properties: string[]): Promise<HsObjectWithHistory[]> {
    this.call('readDealHistory');
    return (await this.readByIds('deals', ids, properties)).map((d) => ({
      ...d,
      history: Object.fromEntries(
        properties.map((p) => [
          p,
          [
            {
              value: d.properties[p] ?? '',
              timestamp: this.objects.deals.get(d.id)?.properties.hs_lastmodifieddate ?? '',
              sourceType: 'CRM_UI',
            },
          ],
        ]),
      ),
    }));
  }
  async findCompaniesByDomain(domains: string[]): Promise<HsObject[]> {
    this.call('findCompaniesByDomain');
    const set = new Set(domains.map((d) => d.toLowerCase()));
    return this.live('companies')
      .filter((c) => set.has((c.properties.domain ?? '').toLowerCase()))
      .map((c) => this.view(c, ['domain', 'name', 'salesforce_account_id']));
  }
  /**
   * As the emulator and HubSpot: a unique value (`email` on contacts, our id properties) already
   * held by another record, or twice in the batch, rejects the whole batch with a 409 naming it.
   */
  private checkUnique(type: HsObjectType, inputs: { id?: string; properties: HsProperties }[]): void {
    const props = type === 'contacts' ? ['email', 'salesforce_contact_id'] : [uniqueKey[type]];
    for (const prop of props) {
      const claimed = new Map<string, string | undefined>();
      for (const [index, input] of inputs.entries()) {
        const v = input.properties[prop];
        if (v === undefined || v === null) continue;
        const other = this.findUnique(type, prop, v);
        const taken = (other && other.id !== input.id) || (claimed.has(v) && claimed.get(v) !== input.id);
        if (taken) {
          throw new BatchRejectedError(
            `A ${type} with ${prop} "${v}" already exists. Existing ID: ${other?.id ?? 'in batch'}`,
            409,
            'HUBSPOT_CONFLICT',
            [index],
            prop,
          );
        }
        claimed.set(v, input.id);
      }
    }
  }
  async createObjects(
    type: HsObjectType,
    inputs: { properties: HsProperties }[],
  ): Promise<BatchOutcome<HsObject>> {
    this.call(`createObjects:${type}`);
    this.checkUnique(type, inputs);
    return { results: inputs.map((i) => structuredClone(this.insert(type, i.properties))), errors: [] };
  }
  async updateObjects(type: HsObjectType, inputs: { id: string; properties: HsProperties }[]) {
    this.call(`updateObjects:${type}`);
    const ids = inputs.map((i) => i.id);
    if (new Set(ids).size !== ids.length)
      throw new BatchRejectedError('Duplicate IDs found in batch input', 400, 'HUBSPOT_VALIDATION', []);
    this.checkUnique(type, inputs);
    const results: HsObject[] = [];
    const errors = [];
    for (const [index, i] of inputs.entries()) {
      const o = this.objects[type].get(i.id);
      if (!o) errors.push({ index, code: 'HUBSPOT_NOT_FOUND', message: `no ${type} ${i.id}` });
      else {
        Object.assign(o.properties, i.properties);
        results.push(structuredClone(o));
      }
    }
    return { results, errors };
  }
  async associate(toType: 'contacts' | 'companies', inputs: HsAssociationInput[]): Promise<void> {
    this.call(`associate:${toType}`);
    for (const a of inputs) this.associations.add(`${a.fromId}|${toType}|${a.toId}|${a.typeId}`);
  }
  async dissociate(toType: 'contacts' | 'companies', inputs: HsAssociationInput[]): Promise<void> {
    this.call(`dissociate:${toType}`);
    for (const a of inputs) this.associations.delete(`${a.fromId}|${toType}|${a.toId}|${a.typeId}`);
  }
  async readAssociations(toType: 'contacts' | 'companies', dealIds: string[]) {
    this.call(`readAssociations:${toType}`);
    const out = new Map<string, { toId: string; typeIds: number[] }[]>();
    for (const k of this.associations) {
      const [from, t, to, type] = k.split('|') as [string, string, string, string];
      if (t !== toType || !dealIds.includes(from)) continue;
      const list = out.get(from) ?? [];
      list.push({ toId: to, typeIds: [Number(type)] });
      out.set(from, list);
    }
    return out;
  }
  usage() {
    return { requests: this.totalCalls(), rateLimited: this.rateLimitedCalls };
  }
}
