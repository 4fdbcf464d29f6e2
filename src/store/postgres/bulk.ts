import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import type { Bulk, ColumnKind } from '../backend.js';

const CAST: Record<ColumnKind, RawBuilder<unknown> | null> = {
  text: null,
  bool: sql`::boolean`,
  int: sql`::integer`,
};

// `= any(text[])` binds the ids as one array parameter; json_array_elements unpacks the rows
// (arrays) bound as one json parameter, `->>` gives text, cast to the column's type.
export const postgresBulk: Bulk = {
  inList: (column, values) => sql<boolean>`${sql.ref(column)} = any(${[...values]}::text[])`,
  rows: (columns, rows) =>
    sql`select ${sql.join(
      columns.map(([, kind], i) => {
        const cast = CAST[kind];
        return cast === null ? sql`r ->> ${sql.lit(i)}` : sql`(r ->> ${sql.lit(i)})${cast}`;
      }),
    )} from json_array_elements(${JSON.stringify(rows)}::json) as r`,
};
