import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SoqlError } from './errors.js';
import { tokenize } from './lexer.js';

const kinds = (s: string) => tokenize(s).map((t) => `${t.kind}:${t.text}`);

test('identifiers keep dotted paths together; operators and punctuation', () => {
  assert.deepEqual(kinds("SELECT Account.Owner.Email, (x) FROM Opp WHERE a<>1 AND b<=2 OR c!='x'"), [
    'ident:SELECT',
    'ident:Account.Owner.Email',
    'punct:,',
    'punct:(',
    'ident:x',
    'punct:)',
    'ident:FROM',
    'ident:Opp',
    'ident:WHERE',
    'ident:a',
    'punct:<>',
    'number:1',
    'ident:AND',
    'ident:b',
    'punct:<=',
    'number:2',
    'ident:OR',
    'ident:c',
    'punct:!=',
    "string:'x'",
    'eof:<EOF>',
  ]);
  assert.deepEqual(tokenize('Account.Owner.Email')[0]!.parts, ['Account', 'Owner', 'Email']);
});

test('string escapes as documented; LIKE keeps \\% and \\_ escaped', () => {
  const [t] = tokenize("'it\\'s \\\\ a\\nb\\t\\\"q\\\" 50\\% a\\_b'");
  assert.equal(t!.str, 'it\'s \\ a\nb\t"q" 50% a_b');
  assert.equal(t!.like, 'it\'s \\\\ a\nb\t"q" 50\\% a\\_b');
});

test('an illegal escape and an unterminated string are MALFORMED_QUERY', () => {
  assert.throws(
    () => tokenize("SELECT Id FROM A WHERE Name = 'a\\qb'"),
    (e: SoqlError) =>
      e.errorCode === 'MALFORMED_QUERY' && e.message.includes("Illegal character sequence '\\q'"),
  );
  assert.throws(
    () => tokenize("WHERE Name = 'abc"),
    (e: SoqlError) => e.errorCode === 'MALFORMED_QUERY',
  );
});

test('numbers, dates and datetimes with every documented zone form', () => {
  const toks = tokenize(
    '12 3.25 2024-05-01 2024-05-01T00:00:00Z 2024-05-01T00:00:00.000+0000 2024-05-01T01:30:00+01:30 1999-01-01T23:01:01-08:00',
  );
  assert.equal(toks[0]!.num, 12);
  assert.equal(toks[1]!.num, 3.25);
  assert.equal(toks[2]!.kind, 'date');
  assert.equal(toks[2]!.str, '2024-05-01');
  const epoch = Date.UTC(2024, 4, 1);
  assert.equal(toks[3]!.dateMs, epoch);
  assert.equal(toks[4]!.dateMs, epoch);
  assert.equal(toks[5]!.dateMs, epoch);
  assert.equal(toks[6]!.dateMs, Date.UTC(1999, 0, 2, 7, 1, 1));
});

test('impossible dates and datetimes without a zone are refused', () => {
  for (const bad of [
    '2024-02-30',
    '2023-02-29',
    '2024-13-01',
    '2024-05-01T00:00:00',
    '2024-05-01T25:00:00Z',
    '2024-5-01',
  ])
    assert.throws(
      () => tokenize(`X = ${bad}`),
      (e: SoqlError) => e.errorCode === 'MALFORMED_QUERY',
      bad,
    );
  assert.equal(tokenize('2024-02-29')[0]!.kind, 'date');
});
