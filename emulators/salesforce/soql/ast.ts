// Syntax tree of one SOQL query, as written (names not yet checked against the catalogue).

export interface FieldPath {
  /** Segments as written, e.g. ['Account', 'Owner', 'Email']. */
  parts: string[];
  pos: number;
}

export type SelectItem =
  | { kind: 'field'; path: FieldPath }
  | { kind: 'count'; pos: number }
  | { kind: 'subquery'; query: QueryNode; pos: number };

export type Literal =
  | { kind: 'string'; value: string; like: string; pos: number }
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'date'; value: string; pos: number }
  | { kind: 'datetime'; value: number; pos: number }
  | { kind: 'boolean'; value: boolean; pos: number }
  | { kind: 'null'; pos: number }
  /** TODAY, LAST_N_DAYS:n, … (`n` for the parameterised ones). */
  | { kind: 'dateLiteral'; name: string; n?: number; pos: number };

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE';

export type Condition =
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; field: FieldPath; op: CompareOp; value: Literal }
  | { kind: 'in'; field: FieldPath; negated: boolean; values: Literal[] };

export interface OrderItem {
  path: FieldPath;
  descending: boolean;
  nullsLast: boolean;
}

export interface QueryNode {
  select: SelectItem[];
  from: { name: string; pos: number };
  where?: Condition;
  orderBy: OrderItem[];
  limit?: { value: number; pos: number };
  offset?: { value: number; pos: number };
}
