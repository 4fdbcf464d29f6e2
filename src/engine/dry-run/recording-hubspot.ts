// The HubSpot port of `dealbridge sync --dry-run`: every read goes to HubSpot, every write is only
// written down and answered as HubSpot would answer it, so the rest of the pass goes on as it
// would (a deal "created" gets a placeholder id that its associations, its link and a later batch
// of the same pass use; a pipeline "created" has stage ids the stage map can point to).
//
// The answers follow what HubSpot says about its writes: an upsert by `salesforce_opportunity_id`
// updates the live deal carrying the value, else creates one (a read by that property, as many
// calls as the upsert would have cost, tells which); a create whose value is taken is refused as
// a batch (409), as HubSpot refuses it, and the engine then upserts. What only HubSpot can decide
// is not foreseen: a value it would reject, an owner removed, a contact or company deleted or
// merged since it was linked; such a write succeeds here and fails (or relinks) in the real pass.
import type {
  HsAssociationInput,
  HsObject,
  HsObjectType,
  HsPipeline,
  HsProperties,
} from '../../domain/hubspot.js';
import {
  BatchRejectedError,
  type BatchOutcome,
  type DealCreateInput,
  type DealUpsertInput,
  type DealUpsertResult,
  type HubspotPort,
  type PipelineStageInput,
} from '../ports/remote.js';
import { DEAL_TO_CONTACT } from '../sync/associations.js';

const DEAL_ID_PROPERTY = 'salesforce_opportunity_id';
const PLACEHOLDER = 'dry-run-';

/** One record HubSpot would have been asked to write. */
export interface RecordedWrite {
  method:
    | 'createDeals'
    | 'upsertDeals'
    | 'archiveDeals'
    | 'createObjects'
    | 'updateObjects'
    | 'associate'
    | 'dissociate'
    | 'createDealPipeline'
    | 'updateDealPipeline'
    | 'ensurePropertyGroup'
    | 'createProperty'
    | 'setPropertyOptions'
    | 'setPropertyLabel';
  objectType: HsObjectType | 'pipelines' | 'properties';
  /** The record written: a placeholder (isPlaceholder) for one this dry run created. */
  id: string | null;
  properties?: HsProperties;
  /** Associations: the deal ↔ this record, of this type. */
  toId?: string;
  typeId?: number;
  /** Deal writes: the opportunity it is keyed by. */
  opportunityId?: string;
}

/** Whether an id is one this dry run made up for a record it did not create. */
export function isPlaceholder(id: string): boolean {
  return id.startsWith(PLACEHOLDER);
}

export class RecordingHubspot implements HubspotPort {
  readonly writes: RecordedWrite[] = [];
  private next = 1;
  /** Records "created" by this dry run, by placeholder id. */
  private readonly created = new Map<string, HsObject & { type: HsObjectType }>();
  /** Deals "archived" by this dry run: reads no longer return them. */
  private readonly archived = new Set<string>();
  /** Pipelines "created" or "updated", by id: dealPipelines() answers with them. */
  private readonly pipelines = new Map<string, HsPipeline>();

  constructor(private readonly real: HubspotPort) {}

  private placeholder(): string {
    return `${PLACEHOLDER}${this.next++}`;
  }

  // Reads: HubSpot's answer, with what this dry run wrote laid over it.

  accountInfo: HubspotPort['accountInfo'] = () => this.real.accountInfo();
  owners: HubspotPort['owners'] = () => this.real.owners();
  properties: HubspotPort['properties'] = (t) => this.real.properties(t);
  archivedDeals: HubspotPort['archivedDeals'] = () => this.real.archivedDeals();
  listObjects: HubspotPort['listObjects'] = (t, props) => this.real.listObjects(t, props);
  contactsCreatedSince: HubspotPort['contactsCreatedSince'] = (since, props) =>
    this.real.contactsCreatedSince(since, props);
  // The HubSpot → Salesforce direction is not part of a dry run (no engine step reads these).
  dealsModifiedSince: HubspotPort['dealsModifiedSince'] = (since, props) =>
    this.real.dealsModifiedSince(since, props);
  readDealHistory: HubspotPort['readDealHistory'] = (ids, props) => this.real.readDealHistory(ids, props);
  usage: HubspotPort['usage'] = () => this.real.usage();

  async dealPipelines(): Promise<HsPipeline[]> {
    const real = await this.real.dealPipelines();
    const ids = new Set(real.map((p) => p.id));
    return [
      ...real.map((p) => this.pipelines.get(p.id) ?? p),
      ...[...this.pipelines.values()].filter((p) => !ids.has(p.id)),
    ];
  }

  async readByIds(type: HsObjectType, ids: string[], properties: string[]): Promise<HsObject[]> {
    const real = ids.filter((id) => !isPlaceholder(id) && !this.archived.has(id));
    const found = real.length > 0 ? await this.real.readByIds(type, real, properties) : [];
    return [...found, ...this.ours(type, (o) => ids.includes(o.id))];
  }

  async readByUniqueProperty(
    type: HsObjectType,
    property: string,
    values: string[],
    properties: string[],
  ): Promise<HsObject[]> {
    const found = await this.real.readByUniqueProperty(type, property, values, properties);
    const mine = this.ours(type, (o) => values.includes(o.properties[property] ?? ''));
    const taken = new Set(mine.map((o) => o.properties[property]));
    return [...found.filter((o) => !this.archived.has(o.id) && !taken.has(o.properties[property])), ...mine];
  }

  async findCompaniesByDomain(domains: string[]): Promise<HsObject[]> {
    const found = await this.real.findCompaniesByDomain(domains);
    return [...found, ...this.ours('companies', (o) => domains.includes(o.properties.domain ?? ''))];
  }

  async readAssociations(
    toType: 'contacts' | 'companies',
    dealIds: string[],
  ): ReturnType<HubspotPort['readAssociations']> {
    return this.real.readAssociations(
      toType,
      dealIds.filter((id) => !isPlaceholder(id)),
    );
  }

  private ours(type: HsObjectType, keep: (o: HsObject) => boolean): HsObject[] {
    return [...this.created.values()].filter((o) => o.type === type && keep(o));
  }

  // Writes: written down, answered as HubSpot would.

  /** The live deal of each opportunity, as an upsert by `salesforce_opportunity_id` would find it. */
  private async dealsOf(opportunityIds: string[]): Promise<Map<string, string>> {
    const found = await this.readByUniqueProperty('deals', DEAL_ID_PROPERTY, opportunityIds, [
      DEAL_ID_PROPERTY,
    ]);
    return new Map(found.map((d) => [d.properties[DEAL_ID_PROPERTY] ?? '', d.id]));
  }

  private createDeal(input: DealUpsertInput): string {
    const id = this.placeholder();
    const properties = { ...input.properties, [DEAL_ID_PROPERTY]: input.opportunityId };
    this.created.set(id, { id, type: 'deals', properties });
    return id;
  }

  async upsertDeals(inputs: DealUpsertInput[]): Promise<BatchOutcome<DealUpsertResult>> {
    const existing = await this.dealsOf(inputs.map((i) => i.opportunityId));
    const results = inputs.map((input) => {
      const found = existing.get(input.opportunityId);
      const dealId = found ?? this.createDeal(input);
      this.writes.push({
        method: 'upsertDeals',
        objectType: 'deals',
        id: dealId,
        properties: input.properties,
        opportunityId: input.opportunityId,
      });
      return { opportunityId: input.opportunityId, dealId, created: found === undefined };
    });
    return { results, errors: [] };
  }

  async createDeals(inputs: DealCreateInput[]): Promise<BatchOutcome<DealUpsertResult>> {
    const existing = await this.dealsOf(inputs.map((i) => i.opportunityId));
    const taken = inputs.flatMap((input, i) => (existing.has(input.opportunityId) ? [i] : []));
    if (taken.length > 0)
      throw new BatchRejectedError(
        'dry run: a deal with this salesforce_opportunity_id exists (HubSpot answers 409)',
        409,
        'HUBSPOT_CONFLICT',
        taken,
        DEAL_ID_PROPERTY,
      );
    const results = inputs.map((input) => {
      const dealId = this.createDeal(input);
      this.writes.push({
        method: 'createDeals',
        objectType: 'deals',
        id: dealId,
        properties: input.properties,
        opportunityId: input.opportunityId,
      });
      for (const a of input.associations) this.associated('associate', a.typeId, dealId, a.toId);
      return { opportunityId: input.opportunityId, dealId, created: true };
    });
    return { results, errors: [] };
  }

  archiveDeals(dealIds: string[]): Promise<void> {
    for (const id of dealIds) {
      this.archived.add(id);
      this.created.delete(id);
      this.writes.push({ method: 'archiveDeals', objectType: 'deals', id });
    }
    return Promise.resolve();
  }

  createObjects(type: HsObjectType, inputs: { properties: HsProperties }[]): Promise<BatchOutcome<HsObject>> {
    const results = inputs.map((input) => {
      const id = this.placeholder();
      this.created.set(id, { id, type, properties: { ...input.properties } });
      this.writes.push({ method: 'createObjects', objectType: type, id, properties: input.properties });
      return { id, properties: { ...input.properties } };
    });
    return Promise.resolve({ results, errors: [] });
  }

  updateObjects(
    type: HsObjectType,
    inputs: { id: string; properties: HsProperties }[],
  ): Promise<BatchOutcome<HsObject>> {
    const results = inputs.map((input) => {
      const mine = this.created.get(input.id);
      if (mine) Object.assign(mine.properties, input.properties);
      this.writes.push({
        method: 'updateObjects',
        objectType: type,
        id: input.id,
        properties: input.properties,
      });
      return { id: input.id, properties: { ...input.properties } };
    });
    return Promise.resolve({ results, errors: [] });
  }

  associate(toType: 'contacts' | 'companies', inputs: HsAssociationInput[]): Promise<void> {
    for (const a of inputs) this.associated('associate', a.typeId, a.fromId, a.toId, toType);
    return Promise.resolve();
  }

  dissociate(toType: 'contacts' | 'companies', inputs: HsAssociationInput[]): Promise<void> {
    for (const a of inputs) this.associated('dissociate', a.typeId, a.fromId, a.toId, toType);
    return Promise.resolve();
  }

  private associated(
    method: 'associate' | 'dissociate',
    typeId: number,
    dealId: string,
    toId: string,
    toType?: 'contacts' | 'companies',
  ): void {
    // A create's inline associations say only their type.
    const objectType = toType ?? (typeId === DEAL_TO_CONTACT ? 'contacts' : 'companies');
    this.writes.push({ method, objectType, id: dealId, toId, typeId });
  }

  createDealPipeline(p: Parameters<HubspotPort['createDealPipeline']>[0]): Promise<HsPipeline> {
    const pipeline: HsPipeline = {
      id: this.placeholder(),
      label: p.label,
      displayOrder: p.displayOrder,
      stages: p.stages.map((s) => ({ ...s, id: this.placeholder() })),
    };
    this.pipelines.set(pipeline.id, pipeline);
    this.writes.push({
      method: 'createDealPipeline',
      objectType: 'pipelines',
      id: pipeline.id,
      properties: { label: p.label },
    });
    return Promise.resolve(structuredClone(pipeline));
  }

  /** As HubSpot: a stage with an id updated in place, one without matched by label, else added. */
  async updateDealPipeline(
    id: string,
    p: { label: string; stages: PipelineStageInput[] },
  ): Promise<HsPipeline> {
    const current = (await this.dealPipelines()).find((x) => x.id === id);
    const stages = [...(current?.stages ?? [])];
    for (const s of p.stages) {
      const at = stages.findIndex((x) => (s.id !== undefined ? x.id === s.id : x.label === s.label));
      const stage = { ...s, id: at >= 0 ? (stages[at]?.id ?? this.placeholder()) : this.placeholder() };
      if (at >= 0) stages[at] = stage;
      else stages.push(stage);
    }
    const pipeline: HsPipeline = { id, label: p.label, displayOrder: current?.displayOrder ?? 0, stages };
    this.pipelines.set(id, pipeline);
    this.writes.push({
      method: 'updateDealPipeline',
      objectType: 'pipelines',
      id,
      properties: { label: p.label },
    });
    return structuredClone(pipeline);
  }

  ensurePropertyGroup(type: HsObjectType, name: string): Promise<void> {
    this.writes.push({ method: 'ensurePropertyGroup', objectType: 'properties', id: `${type}/${name}` });
    return Promise.resolve();
  }

  createProperty(type: HsObjectType, def: Parameters<HubspotPort['createProperty']>[1]): Promise<void> {
    this.writes.push({ method: 'createProperty', objectType: 'properties', id: `${type}/${def.name}` });
    return Promise.resolve();
  }

  setPropertyLabel(type: HsObjectType, name: string): Promise<void> {
    this.writes.push({ method: 'setPropertyLabel', objectType: 'properties', id: `${type}/${name}` });
    return Promise.resolve();
  }

  setPropertyOptions(type: HsObjectType, name: string): Promise<void> {
    this.writes.push({ method: 'setPropertyOptions', objectType: 'properties', id: `${type}/${name}` });
    return Promise.resolve();
  }
}
