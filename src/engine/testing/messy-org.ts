// The messy org end to end (issue #11): both emulators with `--seed messy`, setup, sync on, the
// import, then the changes users and tools make on both sides the way they make them (plain REST
// creates and updates, a merge in Salesforce, edits, deletes and a merge in HubSpot), sync passes
// and verify. Shared by src/engine/messy-org.integration.test.ts and scripts/messy-report.mjs.
import { openStore, type Store } from '../../store/index.js';
import { listAll, listerFor, runVerify, type VerifyReport } from '../../verify/index.js';
import { runImport, type ImportResult } from '../import/run.js';
import { createRollupHook } from '../rollups/hook.js';
import { defaultRollupPropertyNames } from '../rollups/index.js';
import { SyncEngine, type PassResult } from '../sync/pass.js';
import { writeSetting } from '../user-settings.js';
import { connectEmulators, type EmulatorWorld } from './emulator-world.js';

export interface MessyWorld extends EmulatorWorld {
  store: Store;
  engine: SyncEngine;
}

/** Both messy emulators in-process, `dealbridge setup` run, `opportunitySync` on. */
export async function openMessyWorld(): Promise<MessyWorld> {
  const store = await openStore(':memory:');
  const world = await connectEmulators({ store, salesforceSeed: 'messy', hubspotSeed: 'messy' });
  await writeSetting(store, 'opportunitySync', true, { salesforce: world.sf });
  const engine = new SyncEngine({
    salesforce: world.sf,
    hubspot: world.hs,
    store,
    // As the runtime wires it; rescope every pass so a test needs no minute-long waits.
    options: { lookbackSeconds: 30, rescopeIntervalMs: 0 },
    onTouched: createRollupHook({ salesforce: world.sf, hubspot: world.hs, store }),
  });
  return { ...world, store, engine };
}

export async function closeMessyWorld(w: MessyWorld): Promise<void> {
  w.sf.close();
  await w.store.close();
  await w.sfEmu.close();
  await w.hsEmu.close();
}

export function importMessyOrg(w: MessyWorld): Promise<ImportResult> {
  return runImport({ salesforce: w.sf, hubspot: w.hs, store: w.store });
}

/** Sync passes until one finds nothing to do (at most `max`); every pass's summary. */
export async function syncPasses(w: MessyWorld, max = 4): Promise<PassResult[]> {
  const out: PassResult[] = [];
  for (let i = 0; i < max; i++) {
    const pass = await w.engine.runPass();
    out.push(pass);
    if (pass.created + pass.updated + pass.archived + pass.failed === 0) break;
  }
  return out;
}

export function verifyMessy(w: MessyWorld): Promise<VerifyReport> {
  const list = listerFor(w.hs);
  if (!list) throw new Error('the HubSpot adapter exposes no transport to list with');
  return runVerify(
    { salesforce: w.sf, hubspot: w.hs, list },
    { rule: 'created', lifecycle: true, names: defaultRollupPropertyNames },
  );
}

interface SfOpp {
  Id: string;
  Name: string;
  StageName: string;
  AccountId: string | null;
  OpportunityContactRoles: { records: { ContactId: string }[] } | null;
}

export interface SfContact {
  Id: string;
  Email: string | null;
  AccountId: string | null;
}

/** What the incremental changes touched, by id, for the test's assertions and the report's table. */
export interface MessyChanges {
  /** Created through REST without RecordTypeId: name, stage, close date, one contact role. */
  plainOpportunities: string[];
  stageChanged: string;
  /** The opportunity that got a contact role, and the contact. */
  roleAdded: { opportunity: string; contact: string };
  /** Salesforce contacts merged through merge(): the master keeps the loser's roles. */
  salesforceMerge: { master: string; loser: string; opportunities: string[] };
  /** Salesforce accounts merged: the loser's opportunities move to the master's company. */
  salesforceAccountMerge: { master: string; loser: string; opportunities: string[] };
  /** A deal whose amount, stage and pipeline a HubSpot user edited; its opportunity changed later. */
  dealEdited: { opportunity: string; deal: string };
  /** A deal a HubSpot user deleted; its opportunity changed later. */
  dealDeleted: { opportunity: string; deal: string };
  /** Two HubSpot contacts merged by a user; the Salesforce contacts stay two. */
  hubspotContactMerge: {
    primary: { salesforce: string; hubspot: string };
    merged: { salesforce: string; hubspot: string };
    result: string;
    /** Opportunities with a role of either contact at the merge. */
    opportunities: string[];
    /** A new opportunity of the merged contact, after the merge. */
    newOpportunity: string;
  };
  /** A HubSpot contact a user deleted; a new opportunity of its Salesforce contact afterwards. */
  hubspotContactDeleted: {
    salesforce: string;
    hubspot: string;
    opportunities: string[];
    newOpportunity: string;
  };
}

const rolesOf = (o: SfOpp) => (o.OpportunityContactRoles?.records ?? []).map((r) => r.ContactId);

/**
 * Every change the issue names, made the way users and tools make them. The records are picked from
 * what the import synced (deterministic seeds, so the same records every run); nothing is planted
 * through the emulators' admin routes except Salesforce's merge, which has no REST resource.
 */
export async function makeIncrementalChanges(w: MessyWorld): Promise<MessyChanges> {
  const { sfRest, hsRest } = w;
  const opps = await sfRest.query<SfOpp>(
    'SELECT Id, Name, StageName, AccountId, (SELECT ContactId FROM OpportunityContactRoles) FROM Opportunity ORDER BY Name',
  );
  const contacts = await sfRest.query<SfContact>('SELECT Id, Email, AccountId FROM Contact ORDER BY Id');
  const hsContacts = await hubspotContactsOf(w, contacts);
  const dealOf = async (oppId: string) => (await hsRest.dealOf(oppId))?.id;
  const synced: SfOpp[] = [];
  for (const o of opps) if (o.Name.includes(' - ') && (await dealOf(o.Id))) synced.push(o);
  const used = new Set<string>();
  const take = (pred: (o: SfOpp) => boolean, what: string): SfOpp => {
    const o = synced.find((x) => !used.has(x.Id) && pred(x));
    if (!o) throw new Error(`the messy org has no synced opportunity for: ${what}`);
    used.add(o.Id);
    return o;
  };
  const generated = (o: SfOpp) =>
    /^[A-Z][\w ]+ - [A-Za-z -]+ \d+$/.test(o.Name) && !o.Name.startsWith('Master');
  const oneContact = (o: SfOpp) => rolesOf(o).length === 1 && hsContacts.has(rolesOf(o)[0]!);

  const pairOf = (o: SfOpp, avoid: Set<string>) =>
    generated(o) &&
    rolesOf(o).length >= 2 &&
    rolesOf(o)
      .slice(0, 2)
      .every((c) => hsContacts.has(c) && !avoid.has(c));
  // Two Salesforce contacts together on a synced deal, merged in Salesforce (the second into the first).
  const sfPair = take((o) => pairOf(o, new Set()), 'two contacts to merge in Salesforce');
  const [master, loser] = rolesOf(sfPair) as [string, string];
  const sfMerge = {
    master,
    loser,
    opportunities: opps.filter((o) => rolesOf(o).includes(loser)).map((o) => o.Id),
  };
  const sfAccount = sfPair.AccountId;

  const apart = (o: SfOpp) => generated(o) && !rolesOf(o).some((c) => c === master || c === loser);
  const stage = take((o) => apart(o) && !o.StageName.startsWith('Closed'), 'a stage change');
  const roleTarget = take((o) => apart(o) && oneContact(o), 'a contact role added');
  const edited = take((o) => apart(o) && oneContact(o), 'a deal edited in HubSpot');
  const deleted = take((o) => apart(o) && oneContact(o), 'a deal deleted in HubSpot');
  // Each change gets records of its own, so that the outcome of one is not the outcome of another.
  const protectedContacts = new Set([
    ...rolesOf(roleTarget),
    ...rolesOf(edited),
    ...rolesOf(deleted),
    sfMerge.master,
    sfMerge.loser,
  ]);

  // A HubSpot contact deleted: the only contact of some synced deals.
  const goneSf = [...hsContacts.keys()].find(
    (c) =>
      !protectedContacts.has(c) &&
      synced.some((o) => generated(o) && rolesOf(o).length === 1 && rolesOf(o)[0] === c) &&
      !opps.some((o) => used.has(o.Id) && rolesOf(o).includes(c)),
  );
  if (!goneSf) throw new Error('the messy org has no contact to delete in HubSpot');
  protectedContacts.add(goneSf);
  const goneOpps = opps.filter((o) => rolesOf(o).includes(goneSf)).map((o) => o.Id);
  goneOpps.forEach((id) => used.add(id));

  // Two HubSpot contacts merged: two Salesforce contacts together on a synced deal of another account.
  const pairOpp = take(
    (o) => o.AccountId !== sfAccount && pairOf(o, protectedContacts),
    'two HubSpot contacts to merge',
  );
  const [pSf, mSf] = rolesOf(pairOpp) as [string, string];
  protectedContacts.add(pSf);
  protectedContacts.add(mSf);

  // Salesforce side.
  const plain: string[] = [];
  const roleContact = (id: string) => ({ ContactId: id });
  for (const [i, c] of [...hsContacts.keys()]
    .filter((x) => !protectedContacts.has(x))
    .slice(0, 3)
    .entries()) {
    const id = await sfRest.create('Opportunity', {
      Name: `Plain API deal ${i + 1}`,
      StageName: 'Prospecting',
      CloseDate: '2027-03-31',
    });
    await sfRest.create('OpportunityContactRole', { OpportunityId: id, ...roleContact(c) });
    plain.push(id);
  }
  // A contact and its opportunity new on both sides (the contact created in HubSpot after the start).
  const newContact = await sfRest.create('Contact', {
    LastName: 'Newcomer',
    Email: 'newcomer@plain.example',
  });
  await hsRest.createContact('newcomer@plain.example');
  const newOpp = await sfRest.create('Opportunity', {
    Name: 'Plain API deal - new contact',
    StageName: 'Qualification',
    CloseDate: '2027-06-30',
  });
  await sfRest.create('OpportunityContactRole', { OpportunityId: newOpp, ContactId: newContact });
  plain.push(newOpp);

  await sfRest.update('Opportunity', stage.Id, { StageName: 'Closed Won' });
  const extra = [...hsContacts.keys()].find(
    (c) => !protectedContacts.has(c) && !rolesOf(roleTarget).includes(c),
  )!;
  await sfRest.create('OpportunityContactRole', { OpportunityId: roleTarget.Id, ContactId: extra });
  await w.sfEmu.admin.call('POST', '/__emulator/merge', {
    type: 'Contact',
    masterId: sfMerge.master,
    mergeIds: [sfMerge.loser],
  });
  // Accounts: the two sharing a website domain, merged as a dedupe would.
  const orbit = await sfRest.query<{ Id: string; Name: string }>(
    "SELECT Id, Name FROM Account WHERE Name LIKE 'Orbit Freight%' ORDER BY Name",
  );
  const [orbitMaster, orbitLoser] = orbit;
  if (!orbitMaster || !orbitLoser) throw new Error('the messy org has no two Orbit Freight accounts');
  const orbitOpps = opps.filter((o) => o.AccountId === orbitLoser.Id).map((o) => o.Id);
  await w.sfEmu.admin.call('POST', '/__emulator/merge', {
    type: 'Account',
    masterId: orbitMaster.Id,
    mergeIds: [orbitLoser.Id],
  });

  // HubSpot side: a user edits a deal, deletes one, merges two contacts and deletes one.
  const editedDeal = (await dealOf(edited.Id))!;
  const pipelines = (await hsRest.call('GET', '/crm/v3/pipelines/deals')) as {
    results: { id: string; stages: { id: string }[] }[];
  };
  const current = await hsRest.get('deals', editedDeal, ['pipeline']);
  const other = pipelines.results.find((p) => p.id !== current?.properties.pipeline)!;
  await hsRest.call('PATCH', `/crm/v3/objects/deals/${editedDeal}`, {
    properties: { amount: '1', pipeline: other.id, dealstage: other.stages[0]!.id },
  });
  const deletedDeal = (await dealOf(deleted.Id))!;
  await hsRest.call('DELETE', `/crm/v3/objects/deals/${deletedDeal}`);
  const merged = (await hsRest.call('POST', '/crm/v3/objects/contacts/merge', {
    primaryObjectId: hsContacts.get(pSf)!,
    objectIdToMerge: hsContacts.get(mSf)!,
  })) as { id: string };
  const goneHs = hsContacts.get(goneSf)!;
  await hsRest.call('DELETE', `/crm/v3/objects/contacts/${goneHs}`);

  // The edited and the deleted deal's opportunities change later in Salesforce.
  await sfRest.update('Opportunity', edited.Id, {
    Description: 'Edited in Salesforce after the HubSpot edit',
  });
  await sfRest.update('Opportunity', deleted.Id, {
    Description: 'Edited in Salesforce after the HubSpot delete',
  });
  // New opportunities of the merged and of the deleted HubSpot contact.
  const afterMerge = await sfRest.create('Opportunity', {
    Name: 'Plain API deal - merged contact',
    StageName: 'Prospecting',
    CloseDate: '2027-04-30',
  });
  await sfRest.create('OpportunityContactRole', { OpportunityId: afterMerge, ContactId: mSf });
  const afterDelete = await sfRest.create('Opportunity', {
    Name: 'Plain API deal - deleted contact',
    StageName: 'Prospecting',
    CloseDate: '2027-04-30',
  });
  await sfRest.create('OpportunityContactRole', { OpportunityId: afterDelete, ContactId: goneSf });

  return {
    plainOpportunities: plain,
    stageChanged: stage.Id,
    roleAdded: { opportunity: roleTarget.Id, contact: extra },
    salesforceMerge: sfMerge,
    salesforceAccountMerge: { master: orbitMaster.Id, loser: orbitLoser.Id, opportunities: orbitOpps },
    dealEdited: { opportunity: edited.Id, deal: editedDeal },
    dealDeleted: { opportunity: deleted.Id, deal: deletedDeal },
    hubspotContactMerge: {
      primary: { salesforce: pSf, hubspot: hsContacts.get(pSf)! },
      merged: { salesforce: mSf, hubspot: hsContacts.get(mSf)! },
      result: merged.id,
      opportunities: opps.filter((o) => rolesOf(o).some((c) => c === pSf || c === mSf)).map((o) => o.Id),
      newOpportunity: afterMerge,
    },
    hubspotContactDeleted: {
      salesforce: goneSf,
      hubspot: goneHs,
      opportunities: goneOpps,
      newOpportunity: afterDelete,
    },
  };
}

/** Salesforce contact id → its HubSpot contact, as verify finds it: by salesforce_contact_id, else by email. */
export async function hubspotContactsOf(w: MessyWorld, contacts: SfContact[]): Promise<Map<string, string>> {
  const list = listerFor(w.hs);
  if (!list) throw new Error('the HubSpot adapter exposes no transport to list with');
  const bySfId = new Map<string, string>();
  const byEmail = new Map<string, string>();
  for (const c of await listAll(list, 'contacts', ['email', 'salesforce_contact_id'])) {
    if (c.properties.salesforce_contact_id) bySfId.set(c.properties.salesforce_contact_id, c.id);
    const e = c.properties.email?.trim().toLowerCase();
    if (e) byEmail.set(e, c.id);
  }
  const out = new Map<string, string>();
  for (const c of contacts) {
    const id = bySfId.get(c.Id) ?? (c.Email ? byEmail.get(c.Email.trim().toLowerCase()) : undefined);
    if (id) out.set(c.Id, id);
  }
  return out;
}
