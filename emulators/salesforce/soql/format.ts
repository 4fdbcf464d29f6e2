// Wire JSON of one result row, as the REST query resource returns it: `attributes` first, then the
// selected fields in select order with canonical names; parent fields nested under the relationship
// name (null when the reference is empty); child subqueries as a nested query result
// `{totalSize, done: true, records}`, or null when there are no children (REST behaviour; see
// "Understanding Query Results", SOQL and SOSL reference). Datetimes `2024-05-20T20:49:32.000+0000`.
import type { SoqlDataSource, SoqlRow } from './catalog.js';
import { formatDatetime } from './dates.js';
import { runChildren, type RunOptions } from './execute.js';
import type { OutputNode } from './plan.js';

export function formatNode(
  node: OutputNode,
  row: SoqlRow,
  ds: SoqlDataSource,
  base: string,
  opts: RunOptions,
  now: Date | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: { type: node.sobject, url: `${base}${node.sobject}/${row.Id as string}` },
  };
  for (const e of node.entries) {
    if (e.kind === 'field') {
      const v = row[e.key] ?? null;
      out[e.key] = e.cls === 'datetime' && typeof v === 'number' ? formatDatetime(v) : v;
    } else if (e.kind === 'parent') {
      const id = row[e.idField];
      const parent = typeof id === 'string' && id !== '' ? ds.get(e.target, id) : undefined;
      out[e.key] = parent ? formatNode(e.node, parent, ds, base, opts, now) : null;
    } else {
      const at = now ?? ds.now();
      const children = runChildren(e.query, e.parentField, row.Id as string, ds, opts, at);
      out[e.key] =
        children.length === 0
          ? null
          : {
              totalSize: children.length,
              done: true,
              records: children.map((c) => formatNode(e.query.output, c, ds, base, opts, at)),
            };
    }
  }
  return out;
}
