import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChangeEvent } from '../ports/change-events.js';
import type { SfOpportunityWithRoles } from '../ports/remote.js';
import { ImageCache } from './images.js';
import { placeRoles, planEvents } from './plan.js';

let replay = 0;
function event(
  entityName: string,
  changeType: string,
  recordIds: string[],
  extra: Partial<ChangeEvent> = {},
): ChangeEvent {
  return {
    replayId: String(++replay),
    header: {
      entityName,
      recordIds,
      changeType,
      changedFields: [],
      commitTimestamp: Date.parse('2026-12-04T10:00:00.400Z'),
      commitNumber: replay,
      commitUser: '005000000000001AAA',
      transactionKey: `t${replay}`,
      sequenceNumber: 1,
      changeOrigin: '',
    },
    fields: {},
    ...extra,
  };
}

const created = (id: string) =>
  event('Opportunity', 'CREATE', [id], {
    opportunity: {
      Name: 'New',
      StageName: 'Prospecting',
      CreatedDate: '2026-12-04T10:00:00.000Z',
      IsClosed: false,
      IsWon: false,
      Amount: '10',
      SystemModstamp: '2026-12-04T10:00:00.000Z',
      extra: {},
    },
  });

function synced(id: string): SfOpportunityWithRoles {
  return {
    Id: id,
    Name: 'Old',
    Amount: '5',
    CloseDate: '2027-01-31',
    CreatedDate: '2026-01-01T00:00:00.000Z',
    StageName: 'Prospecting',
    IsClosed: false,
    IsWon: false,
    Type: null,
    Description: 'kept',
    OwnerId: null,
    AccountId: null,
    RecordTypeId: null,
    CurrencyIsoCode: null,
    SystemModstamp: '2026-01-01T00:00:00.000Z',
    IsDeleted: false,
    extra: {},
    contactRoles: [
      {
        Id: '00K1',
        OpportunityId: id,
        ContactId: '0031',
        Role: null,
        IsPrimary: true,
        SystemModstamp: '2026-01-01T00:00:00.000Z',
        IsDeleted: false,
      },
    ],
  };
}

test('a create makes a whole image; an update merges only its fields; no read', () => {
  const cache = new ImageCache();
  const plan = planEvents(cache, [
    created('006A'),
    event('Opportunity', 'UPDATE', ['006A'], {
      opportunity: { Amount: '20', SystemModstamp: '2026-12-04T10:00:01.000Z', extra: {} },
    }),
  ]);
  assert.deepEqual(plan.changed, ['006A']);
  assert.equal(plan.read.size, 0);
  assert.equal(cache.get('006A')?.Amount, '20');
  assert.equal(cache.get('006A')?.Name, 'New');
  assert.equal(cache.get('006A')?.SystemModstamp, '2026-12-04T10:00:01.000Z');
});

test('an update of an unseen record, and gap events, are read by id', () => {
  const cache = new ImageCache();
  cache.remember([synced('006B')]);
  const plan = planEvents(cache, [
    event('Opportunity', 'UPDATE', ['006X'], { opportunity: { Amount: '1', extra: {} } }),
    event('Opportunity', 'GAP_UPDATE', ['006B']),
  ]);
  assert.deepEqual([...plan.read].sort(), ['006B', '006X']);
  assert.deepEqual(plan.changed, []);
  assert.equal(cache.get('006B'), undefined, 'a gap makes the image stale');
});

test('GAP_OVERFLOW asks for a cursor comparison, account changes do not; a delete of an unseen record is archived from the mirror', () => {
  const cache = new ImageCache();
  const plan = planEvents(cache, [
    event('Opportunity', 'GAP_OVERFLOW', []),
    event('Opportunity', 'DELETE', ['006Z']),
  ]);
  assert.match(plan.poll ?? '', /GAP_OVERFLOW/);
  assert.deepEqual(plan.gone, ['006Z']);
  const accounts = planEvents(cache, [
    event('Account', 'UPDATE', ['0011'], { fields: { Website: 'acme.example' } }),
  ]);
  assert.equal(accounts.poll, undefined, 'an account change is applied from the event');
  assert.deepEqual(accounts.accounts.get('0011')?.fields, { Website: 'acme.example' });
});

test('account changes: whole from a create or undelete, merged by later updates, gaps and deletes read', () => {
  const at = (e: ChangeEvent, iso: string) => {
    e.fields.LastModifiedDate = iso;
    return e;
  };
  const plan = planEvents(new ImageCache(), [
    at(event('Account', 'CREATE', ['001A'], { fields: { Name: 'Acme' } }), '2026-12-04T10:00:00.000Z'),
    at(
      event('Account', 'UPDATE', ['001A', '001B'], { fields: { Name: 'Acme 2' } }),
      '2026-12-04T10:00:01.000Z',
    ),
    event('Account', 'GAP_UPDATE', ['001C']),
    event('Account', 'DELETE', ['001D']),
    event('Account', 'UPDATE', ['001C'], { fields: { Website: 'c.example' } }),
  ]);
  const a = plan.accounts;
  assert.deepEqual(
    { ...a.get('001A'), stamp: undefined },
    {
      id: '001A',
      fields: { Name: 'Acme 2', Website: null },
      whole: true,
      gap: false,
      deleted: false,
      stamp: undefined,
    },
  );
  assert.equal(a.get('001A')?.stamp, '2026-12-04T10:00:01.000Z');
  assert.deepEqual(a.get('001B')?.fields, { Name: 'Acme 2' });
  assert.equal(a.get('001B')?.whole, false, 'an update alone is not the whole account');
  assert.equal(a.get('001C')?.gap, true, 'an update after a gap does not make the account known');
  assert.equal(a.get('001D')?.deleted, true);
});

test('contact roles: a new role on a known opportunity, a delete, and one the cache cannot place', () => {
  const cache = new ImageCache();
  cache.remember([synced('006C')]);
  const add = event('OpportunityContactRole', 'CREATE', ['00K2'], {
    contactRole: { OpportunityId: '006C', ContactId: '0032', IsPrimary: false },
  });
  const plan = planEvents(cache, [add, event('OpportunityContactRole', 'DELETE', ['00K1'])]);
  assert.deepEqual(plan.roleChanged, ['006C']);
  assert.deepEqual(
    cache.get('006C')?.contactRoles.map((r) => r.ContactId),
    ['0032'],
  );
  const unknown = planEvents(cache, [
    event('OpportunityContactRole', 'UPDATE', ['00K9'], { contactRole: { Role: 'x' } }),
  ]);
  assert.deepEqual(unknown.unplacedRoles, ['00K9']);
  assert.equal(unknown.poll, undefined, 'the mirror and Salesforce are asked first');
  placeRoles(unknown, cache, new Map([['00K9', '006C']]));
  assert.deepEqual([...unknown.read], ['006C']);
  assert.deepEqual(unknown.roleChanged, ['006C']);
  assert.equal(cache.get('006C'), undefined, 'read by id: the image may lack the role');
  const nowhere = planEvents(cache, [event('OpportunityContactRole', 'DELETE', ['00K8'])]);
  placeRoles(nowhere, cache, new Map());
  assert.match(nowhere.poll ?? '', /contact role 00K8 that dealbridge cannot place/);
});

test('a gap on a contact role reads its opportunity when the cache knows the role, else places it', () => {
  const cache = new ImageCache();
  const o = synced('006G');
  o.contactRoles = [
    {
      Id: '00KG',
      OpportunityId: '006G',
      ContactId: '003G',
      Role: null,
      IsPrimary: false,
      SystemModstamp: '2026-01-01T00:00:00.000Z',
      IsDeleted: false,
    },
  ];
  cache.remember([o]);
  const plan = planEvents(cache, [event('OpportunityContactRole', 'GAP_UPDATE', ['00KG', '00KH'])]);
  assert.deepEqual([...plan.read], ['006G']);
  assert.deepEqual(plan.roleChanged, ['006G']);
  assert.deepEqual(plan.unplacedRoles, ['00KH']);
});

test('an undelete brings the record back with the roles the cache held', () => {
  const cache = new ImageCache();
  cache.remember([synced('006D')]);
  planEvents(cache, [event('Opportunity', 'DELETE', ['006D'])]);
  assert.equal(cache.get('006D')?.IsDeleted, true);
  const un = created('006D');
  un.header.changeType = 'UNDELETE';
  const plan = planEvents(cache, [un]);
  assert.deepEqual(plan.changed, ['006D']);
  assert.equal(cache.get('006D')?.IsDeleted, false);
  assert.equal(cache.get('006D')?.contactRoles.length, 1);
});

test('an opportunity event whose value may be rounded is read by id, not taken from the event', () => {
  const cache = new ImageCache();
  cache.remember([synced('006M')]);
  const big = event('Opportunity', 'UPDATE', ['006M'], {
    opportunity: { Amount: '1234567890123456.8', extra: {} },
    inexact: ['Amount'],
  });
  const plan = planEvents(cache, [big]);
  assert.deepEqual([...plan.read], ['006M']);
  assert.deepEqual(plan.changed, []);
  assert.equal(cache.get('006M'), undefined);
});
