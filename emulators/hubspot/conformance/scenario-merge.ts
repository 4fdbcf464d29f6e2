// The merge step of the conformance scenario: POST /crm/v3/objects/{contacts,companies}/merge and
// the reads that follow a merge (by an old id, batch read by old ids), checked against HubSpot's
// contacts and companies OpenAPI documents by the recording client.
import assert from 'node:assert/strict';
import type { Harness } from './harness.js';

export async function merges(h: Harness): Promise<void> {
  const { c } = h;
  for (const [type, props] of [
    ['contacts', (i: number) => ({ email: `merge${i}@conformance.example` })],
    ['companies', (i: number) => ({ name: `Merge ${i}`, domain: `merge${i}.conformance.example` })],
  ] as const) {
    const a = await c.call('POST', `/crm/v3/objects/${type}`, {
      body: { properties: props(1), associations: [] },
    });
    const b = await c.call('POST', `/crm/v3/objects/${type}`, {
      body: { properties: props(2), associations: [] },
    });
    const m = await c.call('POST', `/crm/v3/objects/${type}/merge`, {
      body: { primaryObjectId: a.body.id, objectIdToMerge: b.body.id },
    });
    assert.equal(m.status, 200);
    const validated = c.exchanges.at(-1)!.operations;
    assert.ok(
      validated.some((o) => o.includes(`/crm/v3/objects/${type}/merge`)),
      `merge validated against the ${type} spec: ${validated.join(', ')}`,
    );
    const byOld = await c.call('GET', `/crm/v3/objects/${type}/${String(b.body.id)}`);
    assert.equal(byOld.status, 200);
    assert.equal(byOld.body.id, m.body.id);
    const batch = await c.call('POST', `/crm/v3/objects/${type}/batch/read`, {
      body: {
        inputs: [{ id: a.body.id }, { id: b.body.id }],
        properties: ['hs_merged_object_ids'],
        propertiesWithHistory: [],
      },
    });
    assert.equal(batch.status, 200);
  }
  h.expectConformant();
}
