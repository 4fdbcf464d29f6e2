// What the store needs from a database backend. One folder per backend (sqlite/, postgres/) with
// the same file set: `backend.ts` opens the connection, `ddl.ts` names its column types,
// `bulk.ts` writes set-based statements whose rows or ids travel as one JSON / array parameter.
import type {
  ColumnDataType,
  ColumnDefinitionBuilder,
  Expression,
  Kysely,
  LogConfig,
  RawBuilder,
} from 'kysely';
import type { Database, SqlBool } from './schema.js';

/** A column type: a name Kysely knows, or raw SQL. */
export type DataTypeExpression = ColumnDataType | Expression<unknown>;

export type DialectName = 'sqlite' | 'postgres';

/** Column types that differ between the backends, for the migrations. */
export interface Ddl {
  /** Text compared byte by byte (ids and ISO timestamps sort the same on both backends). */
  readonly text: DataTypeExpression;
  readonly bool: DataTypeExpression;
  readonly int: DataTypeExpression;
  /** An auto-incrementing primary key column: its type and how to build it. */
  readonly seqType: DataTypeExpression;
  seqColumn(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
}

export type ColumnKind = 'text' | 'bool' | 'int';
export type ColumnSpec = readonly [name: string, kind: ColumnKind];

/**
 * Set-based statements with one bound parameter, whatever the number of rows. (Kysely's
 * multi-row `values()` costs ~40 µs per row to build and compile, and the bind-parameter limits
 * would cap a statement at a few thousand rows; this is 3-10× faster on both backends.)
 */
export interface Bulk {
  /** `column IN (values)`, the values bound as one parameter. */
  inList(column: string, values: readonly string[]): RawBuilder<boolean>;
  /** A SELECT yielding `rows` (arrays in `columns` order) as typed columns, for `insert … select`. */
  rows(columns: readonly ColumnSpec[], rows: readonly (readonly unknown[])[]): RawBuilder<unknown>;
}

export interface Backend {
  readonly dialect: DialectName;
  readonly db: Kysely<Database>;
  /** Most rows (or ids) one statement carries: bounds statement size and memory. */
  readonly batchSize: number;
  readonly ddl: Ddl;
  readonly bulk: Bulk;
  /** Postgres: the schema the store lives in (the migrator must be told: it looks in all schemas). */
  readonly schema?: string;
  /** How a boolean is bound on this backend. */
  bool(value: boolean): SqlBool;
  /**
   * SQLite: runs one prepared statement (cached by its text) once per row, on the connection,
   * synchronously. Only call it while holding the connection (inside a transaction). Cheaper than
   * one set-based statement there: no JSON text of the rows to build and for SQLite to re-parse
   * per column. Postgres has none (a round trip per row would cost more than the array does).
   */
  runMany?(sqlText: string, rows: Iterable<readonly unknown[]>): void;
  close(): Promise<void>;
}

export interface BackendOptions {
  /** Called after every statement the store runs (diagnostics, and tests that count round trips). */
  onQuery?(sql: string, durationMs: number): void;
}

export function queryLogger(options: BackendOptions): LogConfig | undefined {
  const onQuery = options.onQuery;
  if (onQuery === undefined) return undefined;
  return (event) => onQuery(event.query.sql, event.queryDurationMillis);
}
