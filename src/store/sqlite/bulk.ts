import { sql } from 'kysely';
import type { Bulk } from '../backend.js';

// json_each walks a JSON array bound as one text parameter. `->>` yields SQL values: JSON
// strings as TEXT, integers as INTEGER, true/false as 1/0 (our boolean encoding), null as NULL.
// The `where true` is SQLite's documented way to keep `insert … select … on conflict` parseable.
export const sqliteBulk: Bulk = {
  inList: (column, values) =>
    sql<boolean>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(values)}))`,
  rows: (columns, rows) =>
    sql`select ${sql.join(columns.map((_, i) => sql`value ->> ${sql.lit(i)}`))} from json_each(${JSON.stringify(rows)}) where true`,
};
