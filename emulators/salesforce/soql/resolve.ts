// Semantic checking of a parsed query against SoqlDataSource.describe: object and field names
// (case-insensitive in, canonical out), the select list's output tree, filters, ordering, limits.
import type { QueryNode } from './ast.js';
import type { SoqlDataSource, SoqlObjectInfo } from './catalog.js';
import { badChildRelationship, errorAt, SoqlError, unsupportedType } from './errors.js';
import { resolveField } from './fields.js';
import { resolveCondition } from './filters.js';
import type { AccessPath, OutputEntry, OutputNode, ResolvedCond, ResolvedQuery } from './plan.js';

export const MAX_OFFSET = 2000;

interface Ctx {
  text: string;
  ds: SoqlDataSource;
}

export function resolveQuery(text: string, ds: SoqlDataSource, ast: QueryNode): ResolvedQuery {
  const info = ds.describe(ast.from.name);
  if (!info) throw errorAt(text, ast.from.pos, 'INVALID_TYPE', unsupportedType(ast.from.name));
  const q = resolveBody({ text, ds }, ast, info, false);
  for (const item of ast.select) {
    if (item.kind === 'subquery' && item.query.offset && q.limit !== 1)
      throw errorAt(
        text,
        item.query.offset.pos,
        'MALFORMED_QUERY',
        'OFFSET in a subquery is only allowed when the outer query has LIMIT 1',
      );
  }
  return q;
}

function resolveBody(ctx: Ctx, ast: QueryNode, info: SoqlObjectInfo, isSub: boolean): ResolvedQuery {
  const { text, ds } = ctx;
  const output: OutputNode = { sobject: info.name, entries: [] };
  const seen = new Set<string>();
  let countPos: number | undefined;
  let others = 0;
  for (const item of ast.select) {
    if (item.kind === 'count') {
      if (isSub) throw errorAt(text, item.pos, 'MALFORMED_QUERY', 'COUNT() is not supported in a subquery');
      countPos = item.pos;
      continue;
    }
    others++;
    if (item.kind === 'field') {
      const f = resolveField(text, ds, info, item.path);
      const key = f.path.toLowerCase();
      if (seen.has(key))
        throw errorAt(text, item.path.pos, 'INVALID_FIELD', `duplicate field selected: ${f.path}`);
      seen.add(key);
      let node = output;
      for (const hop of f.hops) {
        let entry = node.entries.find(
          (e): e is Extract<OutputEntry, { kind: 'parent' }> =>
            e.kind === 'parent' && e.key === hop.relationshipName,
        );
        if (!entry) {
          entry = {
            kind: 'parent',
            key: hop.relationshipName,
            idField: hop.idField,
            target: hop.target,
            node: { sobject: hop.target, entries: [] },
          };
          node.entries.push(entry);
        }
        node = entry.node;
      }
      node.entries.push({ kind: 'field', key: f.field.name, cls: f.cls, type: f.field.type });
    } else {
      // `FROM Contacts` or, qualified by the parent object, `FROM Account.Contacts`.
      const written = item.query.from.name.toLowerCase();
      const prefix = info.name.toLowerCase() + '.';
      const relName = written.startsWith(prefix) ? written.slice(prefix.length) : written;
      const rel = info.childRelationships.find((r) => r.relationshipName.toLowerCase() === relName);
      const childInfo = rel && ds.describe(rel.childSObject);
      if (!rel || !childInfo)
        throw errorAt(text, item.query.from.pos, 'INVALID_TYPE', badChildRelationship(item.query.from.name));
      const key = rel.relationshipName.toLowerCase();
      if (seen.has(key))
        throw errorAt(text, item.pos, 'INVALID_FIELD', `duplicate field selected: ${rel.relationshipName}`);
      seen.add(key);
      const sub = resolveBody(ctx, item.query, childInfo, true);
      output.entries.push({
        kind: 'children',
        key: rel.relationshipName,
        query: sub,
        parentField: rel.field,
      });
    }
  }
  if (countPos !== undefined && others > 0)
    throw errorAt(
      text,
      countPos,
      'MALFORMED_QUERY',
      'COUNT() cannot be combined with other fields or subqueries in the SELECT list',
    );
  const where = ast.where && resolveCondition(text, ds, info, ast.where);
  const orderBy = ast.orderBy.map((o) => ({
    field: resolveField(text, ds, info, o.path),
    descending: o.descending,
    nullsLast: o.nullsLast,
  }));
  if (ast.offset && ast.offset.value > MAX_OFFSET)
    throw new SoqlError('NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
  return {
    sobject: info.name,
    info,
    isCount: countPos !== undefined,
    where,
    orderBy,
    limit: ast.limit?.value,
    offset: ast.offset?.value ?? 0,
    output,
    access: where && accessPath(ds, info, where),
  };
}

/** An index the store offers for this filter: ids (`ds.get`) or a parent id (`ds.children`). */
function accessPath(ds: SoqlDataSource, info: SoqlObjectInfo, where: ResolvedCond): AccessPath | undefined {
  const candidates = where.kind === 'and' ? where.items : [where];
  let childPath: AccessPath | undefined;
  for (const c of candidates) {
    let field;
    let ids: string[];
    if (c.kind === 'compare' && c.op === '=' && c.value.kind === 'value') {
      field = c.field;
      ids = [c.value.v as string];
    } else if (c.kind === 'in' && !c.negated) {
      field = c.field;
      ids = c.values.flatMap((v) => (v.kind === 'value' ? [v.v as string] : []));
    } else continue;
    if (!field.direct || field.cls !== 'id') continue;
    if (field.field.type === 'id') return { kind: 'ids', ids: [...new Set(ids)] };
    if (childPath) continue;
    const parentType = field.field.referenceTo?.[0];
    const parentInfo = parentType === undefined ? undefined : ds.describe(parentType);
    const indexed = parentInfo?.childRelationships.some(
      (r) => r.childSObject === info.name && r.field === field.field.name,
    );
    if (indexed) childPath = { kind: 'children', field: field.field.name, parentIds: [...new Set(ids)] };
  }
  return childPath;
}
