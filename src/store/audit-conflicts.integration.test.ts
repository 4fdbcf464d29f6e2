// Migration 0010: an audit entry of a two-way conflict keeps when each side changed the field;
// every other entry reads back without those times.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDialect } from './testing/dialects.js';

describeEachDialect('store: conflict times in the audit log (migration 0010)', (h) => {
  test('a conflict keeps both change times, other entries have none', async () => {
    const store = await h.open();
    const base = {
      at: '2026-12-06T10:00:00.000Z',
      target: 'opportunity:006A',
      sourceKey: 'deal:9',
      field: 'Amount',
      runId: null,
    };
    await store.appendAudit([
      { ...base, oldValue: '1000', newValue: '1500', reason: 'hubspot' },
      {
        ...base,
        at: '2026-12-06T10:00:01.000Z',
        oldValue: '2000',
        newValue: '2500',
        reason: 'conflict',
        salesforceAt: '2026-12-06T09:59:00.000Z',
        hubspotAt: '2026-12-06T09:59:30.000Z',
      },
    ]);
    const [conflict, write] = await store.auditFor('opportunity:006A', 10);
    assert.equal(conflict?.reason, 'conflict');
    assert.equal(conflict?.salesforceAt, '2026-12-06T09:59:00.000Z');
    assert.equal(conflict?.hubspotAt, '2026-12-06T09:59:30.000Z');
    assert.equal(write?.reason, 'hubspot');
    assert.equal('salesforceAt' in (write ?? {}), false);
  });
});
