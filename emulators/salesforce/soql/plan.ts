// The checked, name-resolved form of a query that execute.ts and format.ts run.
import type { CompareOp } from './ast.js';
import type { SoqlDataSource, SoqlFieldInfo, SoqlObjectInfo, SoqlRow, SoqlValue } from './catalog.js';

/** How values of a field compare: text case-insensitively, ids on their canonical 18-character form. */
export type ValueClass = 'text' | 'id' | 'number' | 'boolean' | 'date' | 'datetime';

export type Getter = (row: SoqlRow, ds: SoqlDataSource) => SoqlValue;

export interface ResolvedField {
  /** Canonical dotted path, e.g. `Account.Owner.Email`. */
  path: string;
  field: SoqlFieldInfo;
  cls: ValueClass;
  get: Getter;
  /** True for a field of the queried object itself (no relationship hops). */
  direct: boolean;
}

/** A filter value after type checking; date literals stay relative until execution (clock). */
export type FilterValue =
  | { kind: 'null' }
  | { kind: 'value'; v: string | number | boolean }
  | { kind: 'range'; name: string; n?: number };

export type ResolvedCond =
  | { kind: 'and' | 'or'; items: ResolvedCond[] }
  | { kind: 'not'; item: ResolvedCond }
  | { kind: 'compare'; field: ResolvedField; op: CompareOp; value: FilterValue; like?: string }
  | { kind: 'in'; field: ResolvedField; negated: boolean; values: FilterValue[] };

export interface OrderKey {
  field: ResolvedField;
  descending: boolean;
  nullsLast: boolean;
}

export type OutputEntry =
  | { kind: 'field'; key: string; cls: ValueClass; type: SoqlFieldInfo['type'] }
  | { kind: 'parent'; key: string; idField: string; target: string; node: OutputNode }
  | { kind: 'children'; key: string; query: ResolvedQuery; parentField: string };

export interface OutputNode {
  sobject: string;
  entries: OutputEntry[];
}

/** Rows fetched by id (`Id = …`, `Id IN (…)`) or through a parent index (`OpportunityId IN (…)`). */
export type AccessPath =
  { kind: 'ids'; ids: string[] } | { kind: 'children'; field: string; parentIds: string[] };

export interface ResolvedQuery {
  sobject: string;
  info: SoqlObjectInfo;
  isCount: boolean;
  where?: ResolvedCond;
  orderBy: OrderKey[];
  limit?: number;
  offset: number;
  output: OutputNode;
  access?: AccessPath;
}

export function valueClass(type: SoqlFieldInfo['type']): ValueClass {
  switch (type) {
    case 'id':
    case 'reference':
      return 'id';
    case 'double':
    case 'currency':
    case 'percent':
    case 'int':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    default:
      return 'text';
  }
}
