// Field paths (`StageName`, `Account.Name`, `Account.Owner.Email`) resolved against describe data,
// with Salesforce's INVALID_FIELD messages, and compiled into cheap getters.
import type { FieldPath } from './ast.js';
import type { SoqlDataSource, SoqlFieldInfo, SoqlObjectInfo, SoqlRow } from './catalog.js';
import { badRelationshipInPath, errorAt, noSuchColumn } from './errors.js';
import { valueClass, type Getter, type ResolvedField } from './plan.js';

const fieldMaps = new WeakMap<SoqlObjectInfo, Map<string, SoqlFieldInfo>>();
const relMaps = new WeakMap<SoqlObjectInfo, Map<string, SoqlFieldInfo>>();

export function fieldByName(info: SoqlObjectInfo, name: string): SoqlFieldInfo | undefined {
  let m = fieldMaps.get(info);
  if (!m) {
    m = new Map(info.fields.map((f) => [f.name.toLowerCase(), f]));
    fieldMaps.set(info, m);
  }
  return m.get(name.toLowerCase());
}

export function relationshipByName(info: SoqlObjectInfo, name: string): SoqlFieldInfo | undefined {
  let m = relMaps.get(info);
  if (!m) {
    m = new Map();
    for (const f of info.fields)
      if (f.type === 'reference' && f.relationshipName && f.referenceTo?.length)
        m.set(f.relationshipName.toLowerCase(), f);
    relMaps.set(info, m);
  }
  return m.get(name.toLowerCase());
}

export interface Hop {
  /** The reference field on the child, e.g. `AccountId`. */
  idField: string;
  relationshipName: string;
  target: string;
  info: SoqlObjectInfo;
}

export interface ResolvedPath {
  hops: Hop[];
  field: SoqlFieldInfo;
}

export function resolvePath(
  text: string,
  ds: SoqlDataSource,
  root: SoqlObjectInfo,
  path: FieldPath,
): ResolvedPath {
  let parts = path.parts;
  // SOQL lets a field be qualified by its own object's name (`Opportunity.Name`) unless that name is a relationship.
  if (
    parts.length > 1 &&
    parts[0]!.toLowerCase() === root.name.toLowerCase() &&
    !relationshipByName(root, parts[0]!)
  )
    parts = parts.slice(1);
  let info = root;
  const hops: Hop[] = [];
  for (const part of parts.slice(0, -1)) {
    const ref = relationshipByName(info, part);
    const target = ref?.referenceTo?.[0];
    const targetInfo = target === undefined ? undefined : ds.describe(target);
    if (!ref || !targetInfo) throw errorAt(text, path.pos, 'INVALID_FIELD', badRelationshipInPath(part));
    hops.push({
      idField: ref.name,
      relationshipName: ref.relationshipName!,
      target: targetInfo.name,
      info: targetInfo,
    });
    info = targetInfo;
  }
  const last = parts[parts.length - 1]!;
  const field = fieldByName(info, last);
  if (!field) throw errorAt(text, path.pos, 'INVALID_FIELD', noSuchColumn(last, info.name));
  return { hops, field };
}

export function compileGetter(hops: readonly Hop[], name: string): Getter {
  if (hops.length === 0) return (row) => row[name] ?? null;
  return (row, ds) => {
    let r: SoqlRow | undefined = row;
    for (const hop of hops) {
      const id = r[hop.idField];
      if (typeof id !== 'string' || id === '') return null;
      r = ds.get(hop.target, id);
      if (!r) return null;
    }
    return r[name] ?? null;
  };
}

export function resolveField(
  text: string,
  ds: SoqlDataSource,
  root: SoqlObjectInfo,
  path: FieldPath,
): ResolvedField & { hops: Hop[] } {
  const { hops, field } = resolvePath(text, ds, root, path);
  return {
    path: [...hops.map((h) => h.relationshipName), field.name].join('.'),
    field,
    cls: valueClass(field.type),
    get: compileGetter(hops, field.name),
    direct: hops.length === 0,
    hops,
  };
}
