// What the store needs from a database backend. One folder per backend (sqlite/, postgres/) with
// the same file set: `backend.ts` opens the connection, `ddl.ts` names its column types.
import type { ColumnDataType, ColumnDefinitionBuilder, Expression, Kysely } from 'kysely';
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

export interface Backend {
  readonly dialect: DialectName;
  readonly db: Kysely<Database>;
  /** Most bind parameters one statement may carry (SQLite 32,766; Postgres 65,535). */
  readonly maxParams: number;
  readonly ddl: Ddl;
  /** Postgres: the schema the store lives in (the migrator must be told: it looks in all schemas). */
  readonly schema?: string;
  /** How a boolean is bound on this backend. */
  bool(value: boolean): SqlBool;
  close(): Promise<void>;
}
