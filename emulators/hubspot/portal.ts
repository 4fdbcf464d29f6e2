// The whole state of one emulated HubSpot portal: records, property catalogue, pipelines,
// owners, currencies, associations. Routes read and write it; the admin API resets and seeds it.
import {
  OBJECT_TYPE_NAMES,
  defaultGroups,
  defaultProperties,
  type ObjectTypeName,
  type PropertyDef,
  type PropertyGroup,
} from './schema.js';
import { ObjectStore } from './store/objects.js';
import { AssociationStore } from './store/associations.js';

export interface Stage {
  id: string;
  label: string;
  displayOrder: number;
  /** HubSpot sends stage metadata values as strings (`"probability": "0.2"`). */
  metadata: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

export interface Pipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: Stage[];
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

export interface Owner {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  userId: number;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

export interface ExchangeRate {
  id: string;
  fromCurrencyCode: string;
  toCurrencyCode: string;
  /** One unit of `fromCurrencyCode` in the company currency (HubSpot's definition). */
  conversionRate: number;
  effectiveAt: number;
  createdAt: number;
  updatedAt: number;
  visibleInUI: boolean;
}

export interface PortalEventSink {
  (e: {
    objectType: 'deal' | 'contact' | 'company';
    kind: 'creation' | 'propertyChange' | 'deletion' | 'restore';
    objectId: string;
    propertyName?: string;
    propertyValue?: string;
    occurredAt: number;
    changeSource: string;
  }): void;
}

// HubSpot's default sales pipeline ("Sales Pipeline", id `default`) and its seven stages.
const DEFAULT_STAGES: [string, string, number, boolean][] = [
  ['appointmentscheduled', 'Appointment Scheduled', 0.2, false],
  ['qualifiedtobuy', 'Qualified To Buy', 0.4, false],
  ['presentationscheduled', 'Presentation Scheduled', 0.6, false],
  ['decisionmakerboughtin', 'Decision Maker Bought-In', 0.8, false],
  ['contractsent', 'Contract Sent', 0.9, false],
  ['closedwon', 'Closed Won', 1.0, true],
  ['closedlost', 'Closed Lost', 0.0, true],
];

export function defaultPipeline(at: number): Pipeline {
  return {
    id: 'default',
    label: 'Sales Pipeline',
    displayOrder: 0,
    createdAt: at,
    updatedAt: at,
    archived: false,
    stages: DEFAULT_STAGES.map(([id, label, probability, isClosed], i) => ({
      id,
      label,
      displayOrder: i,
      metadata: { isClosed: String(isClosed), probability: probability.toFixed(1) },
      createdAt: at,
      updatedAt: at,
      archived: false,
    })),
  };
}

export interface StageInfo {
  pipelineId: string;
  isClosed: boolean;
  isWon: boolean;
  probability: string;
}

export class Portal {
  readonly objects: Record<ObjectTypeName, ObjectStore>;
  readonly properties = {} as Record<ObjectTypeName, Map<string, PropertyDef>>;
  readonly groups = {} as Record<ObjectTypeName, Map<string, PropertyGroup>>;
  readonly associations = new AssociationStore();
  readonly pipelines = new Map<string, Pipeline>();
  readonly owners = new Map<number, Owner>();
  /** Ids merged away (contacts, companies) → the record the merge produced; reads by them redirect. */
  readonly merged: Record<ObjectTypeName, Map<number, number>> = {
    contacts: new Map(),
    companies: new Map(),
    deals: new Map(),
  };
  companyCurrency = 'USD';
  readonly rates = new Map<string, ExchangeRate>();
  timeZone = 'US/Eastern';
  nextId = 1000;
  private stageCache: Map<string, StageInfo> | undefined;
  onEvent: PortalEventSink = () => {};
  /** Whether anyone subscribes to events; writes skip building them when not (hot path). */
  eventsWanted: () => boolean = () => false;

  constructor(
    readonly portalId: number,
    readonly now: () => number,
  ) {
    this.objects = {
      contacts: new ObjectStore('contacts', ['email']),
      companies: new ObjectStore('companies', []),
      deals: new ObjectStore('deals', []),
    };
    this.associations.isLive = (type, id) => this.objects[type].isLive(id);
    this.reset();
  }

  reset(): void {
    const at = this.now();
    for (const t of OBJECT_TYPE_NAMES) {
      this.properties[t] = defaultProperties(t, at);
      this.groups[t] = defaultGroups(t);
      const store = this.objects[t];
      store.clear();
      for (const k of [...store.unique.keys()])
        if (!(t === 'contacts' && k === 'email')) store.unique.delete(k);
    }
    this.associations.clear();
    for (const m of Object.values(this.merged)) m.clear();
    this.pipelines.clear();
    this.pipelines.set('default', defaultPipeline(at));
    this.owners.clear();
    this.rates.clear();
    this.companyCurrency = 'USD';
    this.nextId = 1000;
    this.invalidateStages();
  }

  newId(): number {
    return ++this.nextId;
  }

  invalidateStages(): void {
    this.stageCache = undefined;
  }

  /** stage id → its pipeline and closed/won flags; stage ids are unique across pipelines. */
  stages(): Map<string, StageInfo> {
    if (this.stageCache) return this.stageCache;
    const m = new Map<string, StageInfo>();
    for (const p of this.pipelines.values()) {
      if (p.archived) continue;
      for (const s of p.stages) {
        if (s.archived) continue;
        const isClosed = s.metadata.isClosed === 'true';
        const probability = s.metadata.probability ?? '0';
        m.set(s.id, {
          pipelineId: p.id,
          isClosed,
          isWon: isClosed && Number(probability) === 1,
          probability,
        });
      }
    }
    return (this.stageCache = m);
  }

  /** Enabled currency codes: the company currency first, then those with an exchange rate. */
  currencies(): string[] {
    const out = [this.companyCurrency];
    for (const r of this.rates.values()) if (!out.includes(r.fromCurrencyCode)) out.push(r.fromCurrencyCode);
    return out;
  }

  /** The rate in force at `at` (latest effectiveAt not after it), or the earliest one. */
  rateFor(code: string, at = this.now()): number | undefined {
    if (code === this.companyCurrency) return 1;
    let best: ExchangeRate | undefined;
    for (const r of this.rates.values()) {
      if (r.fromCurrencyCode !== code) continue;
      if (r.effectiveAt <= at && (!best || r.effectiveAt > best.effectiveAt || best.effectiveAt > at))
        best = r;
      else if (!best) best = r;
    }
    return best?.conversionRate;
  }

  addRate(code: string, conversionRate: number, effectiveAt = this.now()): ExchangeRate {
    const at = this.now();
    const r: ExchangeRate = {
      id: String(this.rates.size + 1),
      fromCurrencyCode: code,
      toCurrencyCode: this.companyCurrency,
      conversionRate,
      effectiveAt,
      createdAt: at,
      updatedAt: at,
      visibleInUI: true,
    };
    this.rates.set(r.id, r);
    return r;
  }

  addOwner(o: { email: string; firstName?: string; lastName?: string; id?: number; userId?: number }): Owner {
    const at = this.now();
    const id = o.id ?? 100000 + this.owners.size + 1;
    const owner: Owner = {
      id,
      email: o.email,
      firstName: o.firstName ?? '',
      lastName: o.lastName ?? '',
      userId: o.userId ?? 9000000 + this.owners.size + 1,
      createdAt: at,
      updatedAt: at,
      archived: false,
    };
    this.owners.set(id, owner);
    return owner;
  }
}
