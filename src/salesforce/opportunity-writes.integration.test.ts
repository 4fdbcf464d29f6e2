// updateOpportunities against the Salesforce emulator, with what admins build around a save
// (emulators/salesforce/automation.ts): a batch of 205 (two collection calls) where a validation
// rule, a restricted picklist, a required field, a deleted record and a lasting row lock each fail
// one record with its coded error naming the record and field, a brief lock is retried alone and
// saves, and every other record is written.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSalesforceEmulator, type SalesforceEmulator } from '../../emulators/salesforce/index.js';
import { createSalesforceAdapter, type SalesforceAdapter } from './adapter.js';
import { lockRetryDelayMs, writeErrorCode } from './opportunity-writes.js';

let emu: SalesforceEmulator;
let sf: SalesforceAdapter;
before(async () => {
  emu = await createSalesforceEmulator({ seed: { kind: 'sized', opportunities: 210 } });
  sf = await createSalesforceAdapter({
    loginUrl: emu.url,
    clientId: emu.clientId,
    clientSecret: emu.clientSecret,
    apiVersion: '62.0',
    budgetPercent: 80,
    retryPolicy: { maxAttempts: 3, baseMs: 1, capMs: 10, maxWaitMs: 1000 },
  });
});
after(async () => {
  sf.close();
  await emu.close();
});

async function admin(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${emu.url}/__emulator/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as unknown;
}

test('one bad record fails alone with its code; a brief lock is retried; the rest is written', async () => {
  const ids: string[] = [];
  for await (const page of sf.allOpportunityIds()) ids.push(...page);
  assert.ok(ids.length >= 205);
  await admin('POST', 'validation-rules', {
    name: 'No_Negative_Amount',
    sobject: 'Opportunity',
    field: 'Amount',
    condition: 'less-than',
    value: 0,
    message: 'Amount cannot be negative',
    errorDisplayField: 'Amount',
  });
  const [negative, badStage, noName, deleted, briefLock, longLock] = ids.slice(10, 16) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  await admin('POST', 'row-locks', { ids: [briefLock], attempts: 2 });
  await admin('POST', 'row-locks', { ids: [longLock], attempts: 50 });
  const token = (await admin('POST', 'tokens')) as { accessToken: string };
  const del = await fetch(`${emu.url}/services/data/v62.0/sobjects/Opportunity/${deleted}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${token.accessToken}` },
  });
  assert.equal(del.status, 204);

  const updates = ids
    .slice(0, 205)
    .map((id, i) => ({ id, fields: { Amount: i + 0.5 } as Record<string, string | number | null> }));
  updates[10]!.fields = { Amount: -1 };
  updates[11]!.fields = { StageName: 'Not A Stage' };
  updates[12]!.fields = { Name: null };
  const results = await sf.updateOpportunities(updates);
  assert.equal(results.length, 205);
  const byId = new Map(results.map((r) => [r.id, r]));
  const codeOf = (id: string) => {
    const r = byId.get(id);
    return r && !r.ok ? r.code : 'ok';
  };
  assert.equal(codeOf(negative), 'FIELD_CUSTOM_VALIDATION_EXCEPTION');
  assert.equal(codeOf(badStage), 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
  assert.equal(codeOf(noName), 'REQUIRED_FIELD_MISSING');
  assert.equal(codeOf(deleted), 'ENTITY_IS_DELETED');
  assert.equal(codeOf(longLock), 'UNABLE_TO_LOCK_ROW');
  assert.equal(codeOf(briefLock), 'ok', 'locked for two attempts: written on the second retry');
  const neg = byId.get(negative);
  assert.ok(neg && !neg.ok);
  assert.equal(
    neg.message,
    `Opportunity ${negative} (Amount): Salesforce refused the write with FIELD_CUSTOM_VALIDATION_EXCEPTION: Amount cannot be negative`,
  );
  assert.deepEqual(neg.fields, ['Amount']);
  assert.equal(results.filter((r) => r.ok).length, 200);

  const written = await sf.opportunitiesByIds([ids[0]!, ids[204]!, briefLock, negative], { extraFields: [] });
  const amount = new Map(written.map((o) => [o.Id, o.Amount]));
  assert.equal(amount.get(ids[0]!), '0.5');
  assert.equal(amount.get(ids[204]!), '204.5', 'the second collection call');
  assert.equal(amount.get(briefLock), '14.5');
  assert.notEqual(amount.get(negative), '-1');
});

test('the decisions: catalogue codes of Salesforce status codes, and the lock retries', () => {
  assert.equal(writeErrorCode('DUPLICATES_DETECTED'), 'DUPLICATES_DETECTED');
  assert.equal(writeErrorCode('INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY'), 'SALESFORCE_WRITE_REJECTED');
  assert.deepEqual([1, 2, 3, 4].map(lockRetryDelayMs), [500, 1000, 2000, undefined]);
});
