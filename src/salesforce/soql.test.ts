import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  allOpportunitiesSoql,
  allOpportunityIdsSoql,
  contactRolesChangedSoql,
  cursorCondition,
  datetimeLiteral,
  fieldName,
  idLiteral,
  opportunitiesByIdsSoql,
  likeLiteral,
  opportunitiesChangedSoql,
  quote,
} from './soql.js';
import { readdirSync, readFileSync } from 'node:fs';
import { chunk } from '../lib/chunk.js';

const OPP = '006000000000001AAA';

describe('SOQL building', () => {
  it('quotes strings with SOQL escapes', () => {
    assert.equal(quote("O'Brien"), "'O\\'Brien'");
    assert.equal(quote('a\\b'), "'a\\\\b'");
    assert.equal(quote('line\nnext\t"x"'), '\'line\\nnext\\t\\"x\\"\'');
    assert.equal(quote("' OR Name != '"), "'\\' OR Name != \\''");
  });

  it('quote: backslashes and quotes escaped, % and _ plain (they are wildcards only in LIKE)', () => {
    assert.equal(quote('100% _done_'), "'100% _done_'");
    assert.equal(quote("\\'"), "'\\\\\\''", 'backslash then quote: both escaped, in order');
    assert.equal(quote('end\\'), "'end\\\\'", 'a trailing backslash cannot escape the closing quote');
    assert.equal(quote('\b\f\r'), "'\\b\\f\\r'");
  });

  it('likeLiteral: % and _ match themselves; the wildcards added are the only ones', () => {
    assert.equal(likeLiteral('Ter%'), "'Ter\\%'");
    assert.equal(likeLiteral('Ter%', 'prefix'), "'Ter\\%%'");
    assert.equal(likeLiteral('a_b', 'contains'), "'%a\\_b%'");
    assert.equal(likeLiteral("O'Brien \\ co", 'contains'), "'%O\\'Brien \\\\ co%'");
  });

  it('every string survives quote and likeLiteral unchanged, and never ends the literal early', () => {
    // SOQL's own reading of a quoted literal: backslash escapes, the literal ends at a bare quote.
    const unescape = (lit: string, like: boolean): { value: string; rest: string } => {
      assert.equal(lit[0], "'");
      let out = '';
      for (let i = 1; i < lit.length; i++) {
        const c = lit[i]!;
        if (c === "'") return { value: out, rest: lit.slice(i + 1) };
        if (c !== '\\') {
          out += c;
          continue;
        }
        const n = lit[++i]!;
        const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
        if (map[n] !== undefined) out += map[n];
        else if (`\\'"`.includes(n) || (like && '%_'.includes(n)))
          out += like && '%_'.includes(n) ? `<${n}>` : n;
        else assert.fail(`stray escape \\${n} in ${lit}`);
      }
      return assert.fail(`unterminated literal ${lit}`);
    };
    const alphabet = ['a', "'", '"', '\\', '%', '_', '\n', '\r', '\t', '\b', '\f', ' ', 'é', ')'];
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 500; i++) {
      const v = Array.from(
        { length: 1 + Math.floor(rand() * 12) },
        () => alphabet[Math.floor(rand() * alphabet.length)],
      ).join('');
      assert.deepEqual(unescape(quote(v), false), { value: v, rest: '' }, JSON.stringify(v));
      const literalPattern = v.replace(/[%_]/g, (c) => `<${c}>`);
      assert.deepEqual(
        unescape(likeLiteral(v), true),
        { value: literalPattern, rest: '' },
        JSON.stringify(v),
      );
    }
  });

  it('no SOQL outside soql.ts pastes a value into quotes itself', () => {
    const dir = new URL('./', import.meta.url);
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      if (name === 'soql.ts') continue;
      const text = readFileSync(new URL(name, dir), 'utf8');
      assert.doesNotMatch(
        text,
        /(WHERE|AND|OR|IN|=|LIKE)\s*\(?'\$\{/,
        `${name} builds a quoted SOQL value by hand`,
      );
    }
  });

  it('refuses field names and ids that could change the query', () => {
    assert.equal(fieldName('Custom_Field__c'), 'Custom_Field__c');
    assert.equal(fieldName('Account.Name'), 'Account.Name');
    assert.throws(() => fieldName('Amount, (SELECT Id FROM User)'));
    assert.throws(() => fieldName('1abc'));
    assert.equal(idLiteral(OPP), `'${OPP}'`);
    assert.equal(idLiteral('006000000000001'), "'006000000000001'");
    assert.throws(() => idLiteral("006' OR Id != '"));
  });

  it('datetime literals are UTC, unquoted, floored to the second', () => {
    assert.equal(datetimeLiteral('2024-05-20T20:49:32.999Z'), '2024-05-20T20:49:32Z');
    assert.equal(datetimeLiteral('2024-05-20T22:49:32.000+02:00'), '2024-05-20T20:49:32Z');
    assert.throws(() => datetimeLiteral('yesterday'));
  });

  it('cursor condition reads (SystemModstamp, Id) > cursor', () => {
    assert.equal(
      cursorCondition({ modstamp: '2024-05-20T20:49:32.000Z', id: OPP }),
      `SystemModstamp >= 2024-05-20T20:49:32Z AND (SystemModstamp > 2024-05-20T20:49:32Z OR Id > '${OPP}')`,
    );
    assert.equal(
      cursorCondition({ modstamp: '2024-05-20T20:49:32.000Z', id: '' }),
      'SystemModstamp >= 2024-05-20T20:49:32Z',
    );
  });

  it('opportunity query selects the domain fields, optional and extra fields once, and the contact roles', () => {
    const q = opportunitiesChangedSoql(
      { modstamp: '2024-01-01T00:00:00.000Z', id: '' },
      { optional: ['CurrencyIsoCode'], extraFields: ['Amount', 'Next_Step__c', 'account.name'] },
    );
    assert.match(q, /^SELECT Id, Name, Amount, CloseDate, CreatedDate, StageName, IsClosed, IsWon, Type, /);
    assert.match(
      q,
      /, CurrencyIsoCode, Next_Step__c, account\.name, Account\.Website, Account\.SystemModstamp, \(SELECT Id, OpportunityId, ContactId, Role, IsPrimary, SystemModstamp, IsDeleted, Contact\.Email FROM OpportunityContactRoles\) FROM Opportunity WHERE /,
    );
    assert.equal(q.match(/\bAmount\b/g)?.length, 1);
    assert.equal(q.match(/\baccount\.name\b/gi)?.length, 1, 'a mapped parent field is selected once');
    assert.match(q, / ORDER BY SystemModstamp, Id$/);
    assert.doesNotMatch(q, /RecordTypeId/);
  });

  it('by ids, all, contact roles', () => {
    assert.match(
      opportunitiesByIdsSoql([OPP, '006000000000002AAA'], { optional: [], extraFields: [] }),
      /WHERE Id IN \('006000000000001AAA', '006000000000002AAA'\) ORDER BY Id$/,
    );
    assert.match(
      allOpportunitiesSoql(null, { optional: [], extraFields: [] }),
      /FROM Opportunity ORDER BY Id$/,
    );
    assert.match(
      allOpportunitiesSoql(OPP, { optional: [], extraFields: [] }),
      /WHERE Id > '006000000000001AAA' ORDER BY Id$/,
    );
    assert.equal(allOpportunityIdsSoql(), 'SELECT Id FROM Opportunity ORDER BY Id');
    assert.match(
      contactRolesChangedSoql({ modstamp: '2024-01-01T00:00:00Z', id: '' }),
      /^SELECT Id, OpportunityId, .* FROM OpportunityContactRole WHERE SystemModstamp >= 2024-01-01T00:00:00Z ORDER BY SystemModstamp, Id$/,
    );
  });

  it('chunks', () => {
    assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    assert.deepEqual(chunk([], 2), []);
  });
});
