import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseJsonKeepingNumbers, plainDecimal } from './lossless-json.js';

describe('parseJsonKeepingNumbers', () => {
  it('keeps number literals as text, leaves strings, booleans and null alone', () => {
    const v = parseJsonKeepingNumbers(
      '{"a": 1234567890123456.78, "b": "x 12 \\"3\\" y", "c": [true, false, null, -0.5, 1.39E8], "d": {"e": 0}}',
    );
    assert.deepEqual(v, {
      a: '1234567890123456.78',
      b: 'x 12 "3" y',
      c: [true, false, null, '-0.5', '1.39E8'],
      d: { e: '0' },
    });
  });

  it('handles escaped backslashes before a closing quote', () => {
    assert.deepEqual(parseJsonKeepingNumbers('["a\\\\", 5]'), ['a\\', '5']);
  });

  it('float parsing would have lost digits that we keep', () => {
    const text = '{"Amount": 9007199254740993.01}';
    assert.notEqual(String((JSON.parse(text) as { Amount: number }).Amount), '9007199254740993.01');
    assert.deepEqual(parseJsonKeepingNumbers(text), { Amount: '9007199254740993.01' });
  });
});

describe('plainDecimal', () => {
  const table: [string, string][] = [
    ['15000.0', '15000.0'],
    ['1234.5', '1234.5'],
    ['-7', '-7'],
    ['1.39E8', '139000000'],
    ['1.0E7', '10000000'],
    ['1.234567E3', '1234.567'],
    ['1.5e-3', '0.0015'],
    ['-2.5E+2', '-250'],
    ['0.00123E2', '0.123'],
    ['12345678901234567.8E1', '123456789012345678'],
    ['0E5', '0'],
  ];
  for (const [input, want] of table) it(`${input} → ${want}`, () => assert.equal(plainDecimal(input), want));
  it('rejects non-numbers', () => assert.throws(() => plainDecimal('abc')));
});

it('digits inside strings with escaped quotes and backslashes stay strings; numbers around them are kept', () => {
  const text = String.raw`{"a":"x\"1\\","b":12.50,"c":["\\\"2",-3E2,"\\"],"d":"7","e":{"f":0,"g":true,"h":null}}`;
  assert.deepEqual(parseJsonKeepingNumbers(text), {
    a: 'x"1\\',
    b: '12.50',
    c: ['\\"2', '-3E2', '\\'],
    d: '7',
    e: { f: '0', g: true, h: null },
  });
  assert.deepEqual(parseJsonKeepingNumbers('{"s":"no numbers 9 here"}'), { s: 'no numbers 9 here' });
  assert.throws(() => parseJsonKeepingNumbers('{"a":"unterminated'));
});
