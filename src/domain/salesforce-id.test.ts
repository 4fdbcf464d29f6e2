import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalSalesforceId, to18 } from './salesforce-id.js';

// 15-char ids and their 18-char forms, as worked examples of the algorithm give them (chunks of
// five, bit i set when character i of the chunk is upper-case, A–Z then 0–5).
const KNOWN: [string, string][] = [
  ['0019000000B98de', '0019000000B98deAAB'],
  ['001A0000006Vm9r', '001A0000006Vm9rIAC'],
  ['003000000000001', '003000000000001AAA'],
];

describe('Salesforce ids', () => {
  it('to18 appends the case-safe suffix: one letter per five characters, a bit per capital', () => {
    for (const [id15, id18] of KNOWN) assert.equal(to18(id15), id18);
    assert.equal(to18('zzzzzzzzzzzzzzz'), 'zzzzzzzzzzzzzzzAAA', 'no capitals: AAA');
    assert.equal(to18('ZZZZZZZZZZZZZZZ'), 'ZZZZZZZZZZZZZZZ555', 'all capitals: 5 (31) thrice');
  });

  it('canonicalSalesforceId: a 15-char id gets its suffix, an 18-char id in any case its exact case', () => {
    for (const [id15, id18] of KNOWN) {
      assert.equal(canonicalSalesforceId(id15), id18);
      assert.equal(canonicalSalesforceId(id18), id18);
      assert.equal(canonicalSalesforceId(id18.toLowerCase()), id18, 'a lower-cased 18-char id');
      assert.equal(canonicalSalesforceId(id18.toUpperCase()), id18, 'an upper-cased 18-char id');
    }
  });

  it('canonicalSalesforceId: anything else is not an id', () => {
    for (const q of [
      '',
      'Acme',
      '001A0000006Vm9',
      '001A0000006Vm9rI',
      '001A0000006Vm9rIACX',
      '001A0000006Vm9r!AC',
    ])
      assert.equal(canonicalSalesforceId(q), undefined, q);
    // A 15-char id typed in another case is another id: its case is all it has.
    assert.equal(canonicalSalesforceId('001a0000006vm9r'), to18('001a0000006vm9r'));
    // Suffix letters outside A–Z0–5 (6–9) cannot be a checksum.
    assert.equal(canonicalSalesforceId('001A0000006Vm9rI9C'), undefined);
  });
});
