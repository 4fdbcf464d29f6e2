import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { instantMs, normaliseDateTime } from './salesforce.js';

describe('Salesforce instants (the one parser)', () => {
  it("reads Salesforce's +0000, a colon offset, Z, any offset and up to nine fraction digits", () => {
    const t = Date.UTC(2024, 4, 20, 20, 49, 32);
    assert.equal(instantMs('2024-05-20T20:49:32.000+0000'), t);
    assert.equal(instantMs('2024-05-20T20:49:32.000+00:00'), t);
    assert.equal(instantMs('2024-05-20T20:49:32Z'), t);
    assert.equal(instantMs('2024-05-20T22:49:32.000+0200'), t);
    assert.equal(instantMs('2024-05-20T19:19:32-01:30'), t);
    assert.equal(instantMs('2024-05-20T20:49:32.123456789Z'), t + 123);
    assert.equal(normaliseDateTime('2024-05-20T00:10:00.5-0130'), '2024-05-20T01:40:00.500Z');
  });

  it('is NaN for what is not an instant: no offset (local time), no time, out-of-range fields', () => {
    for (const s of [
      '2024-05-20T20:49:32.000',
      '2024-05-20',
      '2024-05-20 20:49:32Z',
      '2024-13-20T20:49:32Z',
      '2024-05-20T24:00:00Z',
      'yesterday',
    ])
      assert.ok(Number.isNaN(instantMs(s)), s);
    assert.throws(() => normaliseDateTime('2024-05-20T20:49'), /not a datetime/);
  });
});
