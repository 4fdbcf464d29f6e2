import assert from 'node:assert/strict';
import { test } from 'node:test';
import { opportunityIdsOfRoles } from './contact-role-lookup.js';

test('roles by id: queryAll (deleted roles seen), 500 ids a query, roles not returned absent', async () => {
  const asked: { q: string; all: boolean }[] = [];
  const ids = Array.from({ length: 501 }, (_, i) => `00K${String(i).padStart(15, '0')}`);
  const got = await opportunityIdsOfRoles(
    {
      async *pages(q, all) {
        asked.push({ q, all });
        yield [{ Id: ids[0], OpportunityId: '006000000000001AAA' }, { Id: 'x' }];
      },
    },
    [...ids, ids[0]!],
  );
  assert.equal(asked.length, 2);
  assert.ok(asked.every((a) => a.all));
  assert.match(asked[0]!.q, /^SELECT Id, OpportunityId FROM OpportunityContactRole WHERE Id IN \('00K0+'/);
  assert.deepEqual(Object.fromEntries(got), { [ids[0]!]: '006000000000001AAA' });
  await assert.rejects(
    opportunityIdsOfRoles({ pages: () => ({ async *[Symbol.asyncIterator]() {} }) }, ["x') OR Id != ('"]),
  );
});
