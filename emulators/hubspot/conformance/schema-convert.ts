// OpenAPI 3.0 schema objects → JSON Schema that ajv validates: `nullable: true` becomes a
// `null` member of `type` (and of `enum`), local `#/components/...` refs are pointed at the
// document's ajv id, and annotation-only keywords OpenAPI adds are dropped.

const DROP = new Set(['example', 'nullable', 'xml', 'externalDocs', 'discriminator', 'deprecated']);

export function convertSchema(node: unknown, docId: string): unknown {
  if (Array.isArray(node)) return node.map((n) => convertSchema(n, docId));
  if (typeof node !== 'object' || node === null) return node;
  const src = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(src)) {
    if (DROP.has(k)) continue;
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#/')) out[k] = `${docId}${v}`;
    else if (k === 'properties' && typeof v === 'object' && v !== null) {
      // Property names are data, not keywords: convert each value, keep every name.
      out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, convertSchema(s, docId)]));
    } else out[k] = convertSchema(v, docId);
  }
  if (src.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    if (out.type === undefined && out.$ref !== undefined) return { anyOf: [{ type: 'null' }, out] };
  }
  return out;
}
