// The dry run's scratch copy (scratch-copy.ts): every state area reads back the same from the copy,
// writes to the copy never reach the original, and the append-only logs start empty. SQL only: the
// copy reads the SQL tables (the engine's in-memory test store has none).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { account, dealLink, importRun, opp, role, sfId, syncError } from './testing/fixtures.js';
import { describeEachSqlDialect } from './testing/dialects.js';

describeEachSqlDialect('store: the scratch copy of sync --dry-run', (h) => {
  test('reads back every area as the original, past one page, and keeps booleans', async () => {
    const store = await h.open();
    await store.setSetting('opportunitySync', true);
    await store.setSetting('stageMap', { source: 'setup', map: { default: { Prospecting: 'x' } } });
    await store.setCursor('opportunity', { modstamp: '2024-05-20T20:49:32.000Z', id: '006A' });
    const opps = Array.from({ length: 5001 }, (_, i) => opp(sfId('006', i), { isWon: i % 2 === 0 }));
    await store.saveOpportunities(opps);
    await store.saveDealLinks([
      dealLink('006A'),
      dealLink('006B', { archived: true, dealId: '77' }),
      dealLink('006C', { dealId: null }),
    ]);
    await store.saveContactLinks([
      { salesforceId: '003A', hubspotId: '501', matchedBy: 'email', rollupHash: 'r' },
    ]);
    await store.saveContactStages([{ hubspotId: '501', value: 'lead', readAt: '2024-05-20T20:00:00.000Z' }]);
    await store.saveCompanyLinks([
      { salesforceId: '001A', hubspotId: '601', matchedBy: 'created', rollupHash: null },
    ]);
    await store.replaceContactRoles(
      [sfId('006', 1)],
      [role('00KA', sfId('006', 1), '003A', { IsPrimary: true }), role('00KB', sfId('006', 1), '003B')],
    );
    await store.saveAccounts([account('001A')]);
    await store.recordErrors([
      syncError('opportunity:006A'),
      syncError('contact:003A', { severity: 'warning' }),
    ]);
    await store.createImportRun(importRun('run-1', { status: 'completed', total: 5 }));
    await store.appendAudit([
      {
        at: '2024-05-20T20:49:32.000Z',
        target: 'deal:1',
        sourceKey: 'opportunity:006A',
        field: 'dealname',
        oldValue: null,
        newValue: 'A',
        reason: 'sync',
        runId: null,
      },
    ]);
    await store.recordApiCalls('hubspot', 3, '2024-05-20T20:49:32.000Z');

    const copy = await store.scratchCopy();
    try {
      assert.deepEqual(await copy.listSettings(), await store.listSettings());
      assert.deepEqual(await copy.getCursor('opportunity'), await store.getCursor('opportunity'));
      const ids = opps.map((o) => o.id);
      assert.deepEqual(await copy.getOpportunities(ids), await store.getOpportunities(ids));
      const links = ['006A', '006B', '006C'];
      assert.deepEqual(await copy.getDealLinks(links), await store.getDealLinks(links));
      assert.deepEqual(await copy.liveDealOpportunityIds(null, 10), ['006A']);
      assert.deepEqual(await copy.getContactLinks(['003A']), await store.getContactLinks(['003A']));
      assert.deepEqual(await copy.getCompanyLinks(['001A']), await store.getCompanyLinks(['001A']));
      assert.deepEqual(
        await copy.opportunitiesOfContacts(['003A', '003B']),
        await store.opportunitiesOfContacts(['003A', '003B']),
      );
      assert.deepEqual(await copy.getAccounts(['001A']), await store.getAccounts(['001A']));
      assert.deepEqual(await copy.listErrors(), await store.listErrors());
      assert.deepEqual(await copy.getImportRun('run-1'), await store.getImportRun('run-1'));

      // The logs a pass only appends to start empty: what the dry pass adds is all they hold.
      assert.deepEqual(await copy.auditFor('deal:1', 10), []);
      assert.deepEqual(await copy.apiCalls('hubspot', '2024-01-01T00:00:00.000Z'), []);

      // Writes to the copy stay there.
      await copy.setCursor('opportunity', { modstamp: '2025-01-01T00:00:00.000Z', id: '006Z' });
      await copy.saveDealLinks([dealLink('006D')]);
      await copy.clearErrors(['opportunity:006A']);
      assert.deepEqual(await store.getCursor('opportunity'), {
        modstamp: '2024-05-20T20:49:32.000Z',
        id: '006A',
      });
      assert.equal((await store.getDealLinks(['006D'])).size, 0);
      assert.equal((await store.listErrors({ recordKeys: ['opportunity:006A'] })).length, 1);
    } finally {
      await copy.close();
    }
  });
});
