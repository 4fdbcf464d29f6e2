import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SfAccount } from '../../domain/salesforce.js';
import type { ChangeEvent } from '../ports/change-events.js';
import type { OpportunityMirror } from '../ports/store.js';
import { MemoryStore } from '../testing/fakes.js';
import { accountChangesOf, planAccountChanges } from './accounts.js';

let replay = 0;
function event(changeType: string, recordIds: string[], fields: Record<string, unknown> = {}): ChangeEvent {
  return {
    replayId: String(++replay),
    header: {
      entityName: 'Account',
      recordIds,
      changeType,
      changedFields: Object.keys(fields),
      commitTimestamp: Date.parse('2026-12-04T10:00:00.000Z'),
      commitNumber: replay,
      commitUser: '005000000000001AAA',
      transactionKey: `t${replay}`,
      sequenceNumber: 1,
      changeOrigin: '',
    },
    fields,
  };
}

const STAMP = '2026-12-04T10:00:00.000Z';
const changes = (events: ChangeEvent[]) => accountChangesOf(events, () => STAMP);

function opp(id: string, accountId: string): OpportunityMirror {
  return {
    id,
    name: id,
    accountId,
    amount: null,
    currencyIsoCode: null,
    closeDate: null,
    createdDate: STAMP,
    isClosed: false,
    isWon: false,
    isDeleted: false,
    inScope: true,
    systemModstamp: STAMP,
  };
}

/** Accounts: L (linked to a company, mirrored), M (linked, never mirrored), U (no company, one opportunity), N (no use). */
async function world() {
  const store = new MemoryStore();
  await store.saveCompanyLinks(
    ['001L', '001M'].map((id) => ({
      salesforceId: id,
      hubspotId: `c${id}`,
      matchedBy: 'id',
      rollupHash: null,
    })),
  );
  await store.saveAccounts([
    { Id: '001L', Name: 'Linked', Website: 'linked.example', SystemModstamp: STAMP },
  ]);
  await store.saveOpportunities([opp('006U', '001U'), opp('006D', '001D')]);
  const reads: string[][] = [];
  const salesforce = {
    async accountsByIds(ids: string[]): Promise<SfAccount[]> {
      reads.push(ids);
      return ids.map((Id) => ({ Id, Name: `Read ${Id}`, Website: null, SystemModstamp: STAMP }));
    },
  };
  return { store, salesforce, reads };
}

test('an update merges onto the mirror row: no read; rollups owed for accounts with a company', async () => {
  const w = await world();
  const work = await planAccountChanges(w, changes([event('UPDATE', ['001L'], { Name: 'Linked Ltd' })]));
  assert.deepEqual(work.mirror, [
    { Id: '001L', Name: 'Linked Ltd', Website: 'linked.example', SystemModstamp: STAMP },
  ]);
  assert.deepEqual(work.rollupAccountIds, ['001L']);
  assert.deepEqual(work.resyncOpportunityIds, []);
  assert.deepEqual(w.reads, []);
});

test('an update of an account the mirror lacks is read by id; a create carries the whole account', async () => {
  const w = await world();
  const work = await planAccountChanges(
    w,
    changes([event('UPDATE', ['001M'], { Name: 'M 2' }), event('CREATE', ['001U'], { Name: 'U' })]),
  );
  assert.deepEqual(w.reads, [['001M']]);
  assert.equal(work.readById, 1);
  assert.deepEqual(
    work.mirror.map((a) => [a.Id, a.Name, a.Website]),
    [
      ['001U', 'U', null],
      ['001M', 'Read 001M', null],
    ],
  );
  assert.deepEqual(
    work.resyncOpportunityIds,
    ['006U'],
    'an account without a company re-syncs its opportunities',
  );
});

test('an update that carries Name and Website needs no mirror row; a gap is read; an account of no use is left alone', async () => {
  const w = await world();
  const work = await planAccountChanges(
    w,
    changes([
      event('UPDATE', ['001M'], { Name: 'M', Website: 'm.example' }),
      event('GAP_UPDATE', ['001L']),
      event('UPDATE', ['001N'], { Name: 'Nobody' }),
    ]),
  );
  assert.deepEqual(w.reads, [['001L']]);
  assert.deepEqual(
    work.mirror.map((a) => [a.Id, a.Name]),
    [
      ['001M', 'M'],
      ['001L', 'Read 001L'],
    ],
  );
});

test('a deleted account re-reads its opportunities (queryAll shows them deleted with it)', async () => {
  const w = await world();
  const work = await planAccountChanges(w, changes([event('DELETE', ['001D'])]));
  assert.deepEqual(work.resyncOpportunityIds, ['006D']);
  assert.deepEqual(work.mirror, []);
  assert.deepEqual(w.reads, []);
});
