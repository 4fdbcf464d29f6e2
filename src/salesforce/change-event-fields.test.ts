import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseChangeMessage } from './change-events.js';

/** A message as faye hands it over: the CometD JSON already parsed, numbers as doubles. */
function message(json: string) {
  return JSON.parse(
    `{"schema":"s","event":{"replayId":7},"payload":{"ChangeEventHeader":{"entityName":"Opportunity","recordIds":["006000000000001AAA"],"changeType":"UPDATE","changedFields":["Amount"],"commitTimestamp":1764000000000,"commitNumber":1,"commitUser":"005000000000001AAA","transactionKey":"t","sequenceNumber":1,"changeOrigin":""},${json}}}`,
  ) as unknown;
}

test('an Amount of 16 significant digits or more is marked inexact (the record is read by id)', () => {
  const e = parseChangeMessage(message('"Amount":1234567890123456.78'));
  assert.deepEqual(e?.inexact, ['Amount']);
  assert.deepEqual(parseChangeMessage(message('"Amount":-10000000000000'))?.inexact, ['Amount']);
});

test('below 1e13 the double gives back the decimal Salesforce sent: taken from the event', () => {
  for (const text of ['9999999999999.99', '1234567890123.45', '0.1', '-42.07']) {
    const e = parseChangeMessage(message(`"Amount":${text}`));
    assert.equal(e?.inexact, undefined, text);
    assert.equal(e?.opportunity?.Amount, text);
  }
  assert.equal(parseChangeMessage(message('"Amount":null'))?.inexact, undefined);
});
