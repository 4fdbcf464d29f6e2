// Recursive-descent SOQL grammar (the subset in docs/emulators/salesforce-soql.md):
//   query     := SELECT item (',' item)* FROM name [WHERE cond] [ORDER BY order (',' order)*]
//                [LIMIT int] [OFFSET int]
//   item      := path | COUNT '(' ')' | '(' query ')'            -- subquery only at top level
//   cond      := unary (AND unary)* | unary (OR unary)*          -- mixing needs parentheses, as in SOQL
//   unary     := NOT unary | '(' cond ')' | path op value | path [NOT] IN '(' value (',' value)* ')'
//   order     := path [ASC|DESC] [NULLS FIRST|LAST]
// Constructs Salesforce has but this emulator does not are refused with MALFORMED_QUERY by name.
import type { CompareOp, Condition, FieldPath, Literal, OrderItem, QueryNode, SelectItem } from './ast.js';
import type { SoqlError } from './errors.js';
import { errorAt } from './errors.js';
import { tokenize, type Token } from './lexer.js';

/** Date literals with no parameter (calendar periods in UTC, weeks starting on Sunday). */
export const DATE_LITERALS = new Set([
  'YESTERDAY',
  'TODAY',
  'TOMORROW',
  'LAST_WEEK',
  'THIS_WEEK',
  'NEXT_WEEK',
  'LAST_MONTH',
  'THIS_MONTH',
  'NEXT_MONTH',
  'LAST_90_DAYS',
  'NEXT_90_DAYS',
  'LAST_QUARTER',
  'THIS_QUARTER',
  'NEXT_QUARTER',
  'LAST_YEAR',
  'THIS_YEAR',
  'NEXT_YEAR',
]);

/** Date literals written `NAME:n`. */
export const N_DATE_LITERALS = new Set([
  'LAST_N_DAYS',
  'NEXT_N_DAYS',
  'N_DAYS_AGO',
  'LAST_N_WEEKS',
  'NEXT_N_WEEKS',
  'LAST_N_MONTHS',
  'NEXT_N_MONTHS',
  'LAST_N_QUARTERS',
  'NEXT_N_QUARTERS',
  'LAST_N_YEARS',
  'NEXT_N_YEARS',
]);

const CLAUSE_END = new Set(['WHERE', 'ORDER', 'LIMIT', 'OFFSET']);
const UNSUPPORTED_CLAUSES: Record<string, string> = {
  GROUP: 'GROUP BY',
  HAVING: 'HAVING',
  WITH: 'WITH',
  FOR: 'FOR VIEW/REFERENCE/UPDATE',
  USING: 'USING SCOPE',
  UPDATE: 'UPDATE TRACKING/VIEWSTAT',
  ALL: 'ALL ROWS',
};
// Keywords of the grammar, not accepted as field or object names. GROUP and ORDER are left out:
// Group and Order are queryable standard objects (github.com/stomita/soql-parse/issues/3).
const RESERVED = new Set([
  'AND',
  'ASC',
  'DESC',
  'EXCLUDES',
  'FIRST',
  'FROM',
  'HAVING',
  'IN',
  'INCLUDES',
  'LAST',
  'LIKE',
  'LIMIT',
  'NOT',
  'NULL',
  'NULLS',
  'OR',
  'SELECT',
  'WHERE',
  'WITH',
]);
const COMPARE_OPS = new Set(['=', '!=', '<>', '<', '<=', '>', '>=']);

export function parseSoql(text: string): QueryNode {
  return new Parser(text).parseTop();
}

class Parser {
  private readonly tokens: Token[];
  private i = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  parseTop(): QueryNode {
    const q = this.parseQuery(false);
    const t = this.peek();
    if (t.kind !== 'eof') throw this.unexpected(t);
    return q;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  private isKeyword(t: Token, word: string): boolean {
    return t.kind === 'ident' && t.parts!.length === 1 && t.text.toUpperCase() === word;
  }

  private expectKeyword(word: string): Token {
    const t = this.next();
    if (!this.isKeyword(t, word)) throw this.unexpected(t);
    return t;
  }

  private expectPunct(p: string): Token {
    const t = this.next();
    if (t.kind !== 'punct' || t.text !== p) throw this.unexpected(t);
    return t;
  }

  unexpected(t: Token): SoqlError {
    return errorAt(this.text, t.pos, 'MALFORMED_QUERY', `unexpected token: '${t.text}'`);
  }

  private unsupported(t: Token, what: string): SoqlError {
    return errorAt(
      this.text,
      t.pos,
      'MALFORMED_QUERY',
      `${what} is not supported by the dealbridge Salesforce emulator`,
    );
  }

  private parseQuery(isSub: boolean): QueryNode {
    this.expectKeyword('SELECT');
    const select: SelectItem[] = [];
    do select.push(this.parseSelectItem(isSub));
    while (this.peek().kind === 'punct' && this.peek().text === ',' && this.next());
    const fromTok = this.peek();
    if (!this.isKeyword(fromTok, 'FROM')) throw this.unexpected(fromTok);
    this.next();
    const nameTok = this.fieldToken();
    const q: QueryNode = { select, from: { name: nameTok.text, pos: nameTok.pos }, orderBy: [] };
    this.refuseUnsupportedClause();
    const alias = this.peek();
    if (alias.kind === 'ident' && alias.parts!.length === 1 && !CLAUSE_END.has(alias.text.toUpperCase()))
      throw this.unsupported(alias, 'An alias on the FROM object');
    if (this.isKeyword(this.peek(), 'WHERE')) {
      this.next();
      q.where = this.parseCondition();
      this.refuseUnsupportedClause();
    }
    if (this.isKeyword(this.peek(), 'ORDER')) {
      this.next();
      this.expectKeyword('BY');
      do q.orderBy.push(this.parseOrderItem());
      while (this.peek().kind === 'punct' && this.peek().text === ',' && this.next());
      this.refuseUnsupportedClause();
    }
    if (this.isKeyword(this.peek(), 'LIMIT')) {
      this.next();
      q.limit = this.parseCount();
      this.refuseUnsupportedClause();
    }
    if (this.isKeyword(this.peek(), 'OFFSET')) {
      this.next();
      q.offset = this.parseCount();
      this.refuseUnsupportedClause();
    }
    return q;
  }

  /** After FROM and each clause: name the Salesforce clauses this emulator does not implement. */
  private refuseUnsupportedClause(): void {
    const t = this.peek();
    if (t.kind !== 'ident') return;
    const word = t.text.toUpperCase();
    if (word in UNSUPPORTED_CLAUSES) throw this.unsupported(t, UNSUPPORTED_CLAUSES[word]!);
  }

  private parseSelectItem(isSub: boolean): SelectItem {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === '(') {
      if (isSub) throw this.unsupported(t, 'A subquery nested in a subquery');
      this.next();
      const query = this.parseQuery(true);
      this.expectPunct(')');
      return { kind: 'subquery', query, pos: t.pos };
    }
    if (t.kind !== 'ident' || (t.parts!.length === 1 && RESERVED.has(t.text.toUpperCase())))
      throw this.unexpected(t);
    if (this.isKeyword(t, 'TYPEOF')) throw this.unsupported(t, 'TYPEOF');
    const after = this.peek(1);
    if (after.kind === 'punct' && after.text === '(') {
      if (this.isKeyword(t, 'COUNT')) {
        this.next();
        this.next();
        const close = this.peek();
        if (close.kind !== 'punct' || close.text !== ')') throw this.unsupported(t, 'COUNT(fieldName)');
        this.next();
        return { kind: 'count', pos: t.pos };
      }
      throw this.unsupported(t, `The function ${t.text}()`);
    }
    this.next();
    return { kind: 'field', path: { parts: t.parts!, pos: t.pos } };
  }

  /** The next token as a field path; reserved words are not names. */
  private fieldToken(): Token {
    const t = this.next();
    if (t.kind !== 'ident' || (t.parts!.length === 1 && RESERVED.has(t.text.toUpperCase())))
      throw this.unexpected(t);
    return t;
  }

  private parseCount(): { value: number; pos: number } {
    const t = this.next();
    if (t.kind !== 'number' || !Number.isInteger(t.num) || t.text.includes('.')) throw this.unexpected(t);
    return { value: t.num!, pos: t.pos };
  }

  private parseOrderItem(): OrderItem {
    const t = this.fieldToken();
    if (this.peek().kind === 'punct' && this.peek().text === '(')
      throw this.unsupported(t, `ORDER BY ${t.text}()`);
    let descending = false;
    if (this.isKeyword(this.peek(), 'ASC')) this.next();
    else if (this.isKeyword(this.peek(), 'DESC')) {
      this.next();
      descending = true;
    }
    let nullsLast = descending;
    if (this.isKeyword(this.peek(), 'NULLS')) {
      this.next();
      const w = this.next();
      if (this.isKeyword(w, 'FIRST')) nullsLast = false;
      else if (this.isKeyword(w, 'LAST')) nullsLast = true;
      else throw this.unexpected(w);
    }
    return { path: { parts: t.parts!, pos: t.pos }, descending, nullsLast };
  }

  private parseCondition(): Condition {
    const first = this.parseUnary();
    const t = this.peek();
    const joiner = this.isKeyword(t, 'AND') ? 'AND' : this.isKeyword(t, 'OR') ? 'OR' : undefined;
    if (!joiner) return first;
    const items = [first];
    for (;;) {
      const j = this.peek();
      if (this.isKeyword(j, joiner)) {
        this.next();
        items.push(this.parseUnary());
      } else if (this.isKeyword(j, joiner === 'AND' ? 'OR' : 'AND')) {
        throw this.unexpected(j);
      } else break;
    }
    return { kind: joiner === 'AND' ? 'and' : 'or', items };
  }

  private parseUnary(): Condition {
    const t = this.peek();
    if (this.isKeyword(t, 'NOT')) {
      this.next();
      return { kind: 'not', item: this.parseUnary() };
    }
    if (t.kind === 'punct' && t.text === '(') {
      this.next();
      const inner = this.parseCondition();
      this.expectPunct(')');
      return inner;
    }
    this.fieldToken();
    const field: FieldPath = { parts: t.parts!, pos: t.pos };
    if (this.peek().kind === 'punct' && this.peek().text === '(')
      throw this.unsupported(t, `The function ${t.text}() in WHERE`);
    const opTok = this.next();
    if (opTok.kind === 'punct' && COMPARE_OPS.has(opTok.text)) {
      const op = (opTok.text === '<>' ? '!=' : opTok.text) as CompareOp;
      return { kind: 'compare', field, op, value: this.parseValue() };
    }
    if (this.isKeyword(opTok, 'LIKE'))
      return { kind: 'compare', field, op: 'LIKE', value: this.parseValue() };
    if (this.isKeyword(opTok, 'IN')) return { kind: 'in', field, negated: false, values: this.parseList() };
    if (this.isKeyword(opTok, 'NOT') && this.isKeyword(this.peek(), 'IN')) {
      this.next();
      return { kind: 'in', field, negated: true, values: this.parseList() };
    }
    if (this.isKeyword(opTok, 'INCLUDES') || this.isKeyword(opTok, 'EXCLUDES'))
      throw this.unsupported(opTok, opTok.text.toUpperCase());
    throw this.unexpected(opTok);
  }

  private parseList(): Literal[] {
    this.expectPunct('(');
    if (this.isKeyword(this.peek(), 'SELECT'))
      throw this.unsupported(this.peek(), 'A semi-join or anti-join subquery');
    const values: Literal[] = [];
    do values.push(this.parseValue());
    while (this.peek().kind === 'punct' && this.peek().text === ',' && this.next());
    this.expectPunct(')');
    return values;
  }

  private parseValue(): Literal {
    const t = this.next();
    switch (t.kind) {
      case 'string':
        return { kind: 'string', value: t.str!, like: t.like!, pos: t.pos };
      case 'number':
        return { kind: 'number', value: t.num!, pos: t.pos };
      case 'date':
        return { kind: 'date', value: t.str!, pos: t.pos };
      case 'datetime':
        return { kind: 'datetime', value: t.dateMs!, pos: t.pos };
      case 'punct': {
        if (t.text === '-' || t.text === '+') {
          const num = this.peek();
          if (num.kind === 'number' && num.pos === t.pos + 1) {
            this.next();
            return { kind: 'number', value: t.text === '-' ? -num.num! : num.num!, pos: t.pos };
          }
        }
        if (t.text === ':') {
          throw errorAt(this.text, t.pos, 'MALFORMED_QUERY', 'Bind variables only allowed in Apex code');
        }
        throw this.unexpected(t);
      }
      case 'ident': {
        const word = t.text.toUpperCase();
        if (word === 'NULL') return { kind: 'null', pos: t.pos };
        if (word === 'TRUE' || word === 'FALSE')
          return { kind: 'boolean', value: word === 'TRUE', pos: t.pos };
        if (DATE_LITERALS.has(word)) return { kind: 'dateLiteral', name: word, pos: t.pos };
        if (N_DATE_LITERALS.has(word)) {
          this.expectPunct(':');
          const n = this.next();
          if (n.kind !== 'number' || !Number.isInteger(n.num) || n.text.includes('.'))
            throw this.unexpected(n);
          return { kind: 'dateLiteral', name: word, n: n.num!, pos: t.pos };
        }
        if (word.includes('FISCAL')) throw this.unsupported(t, `The fiscal date literal ${word}`);
        throw this.unexpected(t);
      }
      default:
        throw this.unexpected(t);
    }
  }
}
