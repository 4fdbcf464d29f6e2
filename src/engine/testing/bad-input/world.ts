// The bad-input corpus's world (issue #17): both emulators in-process with the real adapters and
// an in-memory SQLite store, an org and a portal prepared the way their admins prepare them
// (users and owners, a custom long text area and picklist mapped to deal properties, currencies
// on both sides with dated rates for EUR only, a retired stage), `dealbridge setup`, sync on.
// Records are made through the public REST APIs with the fewest fields a data loader sends; only
// what no REST call can make (users, Setup changes, old records in a retired stage) goes through
// the emulators' admin routes.
import assert from 'node:assert/strict';
import type { FieldMapping } from '../../mapping/types.js';
import { CUSTOM_MAPPINGS_SETTING } from '../../mapping/sync-context.js';
import { openStore, type Store } from '../../../store/index.js';
import { createRollupHook } from '../../rollups/hook.js';
import { SyncEngine, type PassResult } from '../../sync/pass.js';
import { writeSetting } from '../../user-settings.js';
import { connectEmulators, type EmulatorWorld } from '../emulator-world.js';
import type { SyncErrorRecord } from '../../ports/store.js';

export interface CorpusWorld extends EmulatorWorld {
  store: Store;
  engine: SyncEngine;
  /** Salesforce user ids by the keys of USERS. */
  users: Record<keyof typeof USERS, string>;
}

/** Salesforce users (made before setup) and the HubSpot owner each has, if any. */
export const USERS = {
  noHubspotOwner: { email: 'nina.nohubspot@corp.example', owner: null },
  inactive: { email: 'olga.inactive@corp.example', owner: { id: 601, email: 'olga.inactive@corp.example' } },
  otherCase: { email: 'petra.case@corp.example', owner: { id: 602, email: 'Petra.Case@Corp.Example' } },
  removedOwner: {
    email: 'rita.removed@corp.example',
    owner: { id: 603, email: 'rita.removed@corp.example' },
  },
} as const;

/** The integration user's HubSpot owner (every record without an OwnerId of its own gets it). */
export const INTEGRATION_OWNER = '501';

/** Currencies of the org: USD corporate; HubSpot enables EUR and GBP, not JPY. */
export const CURRENCIES = [
  { code: 'USD', rate: 1 },
  { code: 'EUR', rate: 0.92 },
  { code: 'GBP', rate: 0.79 },
  { code: 'JPY', rate: 151.3 },
];
/** EUR's dated rates (advanced currency management), planted for EUR only: none before 2024. */
export const EUR_DATED = [
  { StartDate: '2024-01-01', NextStartDate: '2024-07-01', ConversionRate: 0.9 },
  { StartDate: '2024-07-01', NextStartDate: '9999-12-31', ConversionRate: 0.95 },
];

/** A stage deactivated before setup that old records still hold. */
export const RETIRED_STAGE = 'Legacy - Verbal Commit';

/** Custom fields and the deal properties they are mapped to. */
export const NOTES = { field: 'Notes__c', property: 'salesforce_notes' };
export const REGION = { field: 'Region__c', property: 'salesforce_region', options: ['EMEA', 'AMER'] };

const ok = (r: { status: number; body: unknown }, what: string) =>
  assert.ok(r.status < 300, `${what}: ${r.status} ${JSON.stringify(r.body)}`);

async function prepare(w: Pick<EmulatorWorld, 'sfEmu' | 'hsRest'>): Promise<void> {
  const sf = (method: string, path: string, body?: unknown) => w.sfEmu.admin.call(method, path, body);
  for (const [key, u] of Object.entries(USERS)) {
    const [first = key, last = key] = u.email.split('@')[0]!.split('.');
    ok(
      await sf('POST', 'records/User', {
        Username: u.email,
        Email: u.email,
        FirstName: first,
        LastName: last,
        Alias: first.slice(0, 8),
        IsActive: true,
      }),
      `user ${u.email}`,
    );
    if (u.owner) await w.hsRest.call('POST', '/__emulator/owners', u.owner);
  }
  ok(
    await sf('POST', 'fields', {
      sobject: 'Opportunity',
      name: NOTES.field,
      type: 'textarea',
      length: 131072,
    }),
    NOTES.field,
  );
  ok(
    await sf('POST', 'fields', { sobject: 'Opportunity', name: REGION.field, type: 'picklist' }),
    REGION.field,
  );
  ok(await sf('POST', 'stages', { label: RETIRED_STAGE, probability: 80, active: false }), RETIRED_STAGE);
  ok(
    await sf('POST', 'records/DatedConversionRate', {
      records: EUR_DATED.map((r) => ({ IsoCode: 'EUR', ...r })),
    }),
    'EUR dated rates',
  );
  await w.hsRest.call('POST', '/crm/v3/properties/deals', {
    name: NOTES.property,
    label: 'Salesforce notes',
    type: 'string',
    fieldType: 'textarea',
    groupName: 'dealinformation',
  });
  await w.hsRest.call('POST', '/crm/v3/properties/deals', {
    name: REGION.property,
    label: 'Salesforce region',
    type: 'enumeration',
    fieldType: 'select',
    groupName: 'dealinformation',
    options: REGION.options.map((v, i) => ({
      label: v,
      value: v.toLowerCase(),
      displayOrder: i,
      hidden: false,
    })),
  });
  for (const code of ['EUR', 'GBP'])
    await w.hsRest.call('POST', '/__emulator/currencies', { code, rate: 1.1 });
}

export async function openCorpusWorld(): Promise<CorpusWorld> {
  const store = await openStore(':memory:');
  const world = await connectEmulators({
    store,
    salesforceSeed: { kind: 'empty', multiCurrency: true, datedRates: false, currencies: CURRENCIES },
    beforeSetup: prepare,
    // Answers cut off mid-body are faults here: a second of silence is one.
    bodyIdleMs: 1000,
    // The corpus sends a few thousand requests: a portal whose headers let the pacer run them.
    hubspotBurst: 10_000,
  });
  const mappings: FieldMapping[] = [
    {
      salesforceField: NOTES.field,
      hubspotProperty: NOTES.property,
      rule: 'always_salesforce',
      custom: true,
    },
    {
      salesforceField: REGION.field,
      hubspotProperty: REGION.property,
      rule: 'always_salesforce',
      custom: true,
    },
  ];
  await store.setSetting(CUSTOM_MAPPINGS_SETTING, mappings);
  await writeSetting(store, 'opportunitySync', true, { salesforce: world.sf });
  const rows = await world.sfRest.query<{ Id: string; Email: string }>('SELECT Id, Email FROM User');
  const idOf = (email: string) => rows.find((r) => r.Email === email)?.Id ?? '';
  const users = Object.fromEntries(
    Object.entries(USERS).map(([k, u]) => [k, idOf(u.email)]),
  ) as CorpusWorld['users'];
  const engine = new SyncEngine({
    salesforce: world.sf,
    hubspot: world.hs,
    store,
    options: { lookbackSeconds: 30 },
    onTouched: createRollupHook({ salesforce: world.sf, hubspot: world.hs, store }),
  });
  return { ...world, store, engine, users };
}

export async function closeCorpusWorld(w: CorpusWorld): Promise<void> {
  w.sf.close();
  await w.store.close();
  await w.sfEmu.close();
  await w.hsEmu.close();
}

let serial = 0;

export interface Person {
  contactId: string;
  email: string;
  hsContactId: string | null;
}

/** A Salesforce contact, in HubSpot (same email) unless told. */
export async function person(w: CorpusWorld, label: string, inHubspot = true): Promise<Person> {
  const email = `${label.toLowerCase().replace(/[^a-z0-9]+/g, '.')}.${++serial}@buyer.example`;
  const contactId = await w.sfRest.create('Contact', { LastName: label.slice(0, 80), Email: email });
  const hsContactId = inHubspot ? await w.hsRest.createContact(email) : null;
  return { contactId, email, hsContactId };
}

export interface Made {
  /** '' when Salesforce refused the record. */
  oppId: string;
  people: Person[];
  /** The error code Salesforce refused the write with. */
  refused?: string;
  /** Ids a case keeps for its checks (an account, a deal). */
  ids?: Record<string, string>;
}

/**
 * An opportunity as a data loader makes it (Name, StageName, CloseDate and the case's fields) and
 * a contact role of a contact that is in HubSpot: in scope of the sync.
 */
export async function opportunity(
  w: CorpusWorld,
  fields: Record<string, unknown>,
  people?: Person[],
): Promise<Made> {
  const who = people ?? [await person(w, String(fields.Name ?? 'Buyer').slice(0, 30))];
  const oppId = await w.sfRest.create('Opportunity', {
    StageName: 'Prospecting',
    CloseDate: '2025-06-30',
    ...fields,
  });
  for (const p of who)
    await w.sfRest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: p.contactId });
  return { oppId, people: who };
}

/** Passes until one finds nothing to do (at most `max`). */
export async function passes(w: CorpusWorld, max = 4): Promise<PassResult[]> {
  const out: PassResult[] = [];
  for (let i = 0; i < max; i++) {
    const r = await w.engine.runPass();
    out.push(r);
    if (r.created + r.updated + r.archived + r.failed === 0) break;
  }
  w.later(); // the next edit lands in a later second than these passes read (EmulatorWorld.later)
  return out;
}

export async function errorOf(w: CorpusWorld, key: string): Promise<SyncErrorRecord | undefined> {
  return (await w.store.listErrors({ recordKeys: [key] }))[0];
}
