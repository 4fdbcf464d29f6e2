import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import type { Bulk, ColumnKind } from '../backend.js';

const CAST: Record<ColumnKind, RawBuilder<unknown> | null> = {
  text: null,
  bool: sql`::boolean`,
  int: sql`::integer`,
};

/**
 * Postgres text cannot hold U+0000 (`->>` refuses `\u0000`: "unsupported Unicode escape
 * sequence"), and one NUL in a description failed the whole batch's transaction. Salesforce text
 * may carry it, so it is stored as U+FFFD, the replacement character; every other character as is.
 */
const storable = (v: unknown): unknown =>
  typeof v === 'string' && v.includes('\u0000') ? v.replaceAll('\u0000', '\ufffd') : v;

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
    )} from json_array_elements(${JSON.stringify(rows.map((r) => r.map(storable)))}::json) as r`,
};
