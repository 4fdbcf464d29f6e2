// Validates requests and responses against HubSpot's OpenAPI documents, in-process with ajv:
// a small path matcher (literal segments beat `{params}`), parameter and body checks, and the
// response schema for the status (or the spec's `default`). Every spec whose paths cover a
// request is checked, so `/crm/v3/objects/deals` is held to objects.v3 and to the deals spec.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { convertSchema } from './schema-convert.js';
import type { OpenApiDoc, SpecDoc } from './spec-files.js';

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => void;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

export interface Violation {
  direction: 'request' | 'response';
  spec: string;
  operationId: string;
  method: string;
  path: string;
  template: string;
  status?: number;
  where: string;
  keyword: string;
  message: string;
  /** The offending value (ajv `verbose`), so allow-list rules can look at it. */
  value?: unknown;
}

type Report = (where: string, keyword: string, message: string, value?: unknown) => void;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Record<string, unknown>;
}

interface Operation {
  spec: string;
  docId: string;
  template: string;
  method: string;
  operationId: string;
  regex: RegExp;
  paramNames: string[];
  literalCount: number;
  parameters: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }>;
}

export interface MatchedOperation {
  spec: string;
  operationId: string;
  template: string;
}

export class OpenApiValidator {
  private readonly ajv: Ajv;
  private readonly bySpec = new Map<string, Operation[]>();
  private readonly docs = new Map<string, OpenApiDoc>();
  private readonly compiled = new Map<unknown, ValidateFunction>();

  constructor(specs: SpecDoc[]) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, verbose: true });
    addFormats(this.ajv);
    for (const { file, doc } of specs) {
      const docId = `hubspot-${file}`;
      this.docs.set(file, doc);
      const schemas = Object.fromEntries(
        Object.entries(doc.components?.schemas ?? {}).map(([k, s]) => [k, convertSchema(s, docId)]),
      );
      this.ajv.addSchema({ $id: docId, components: { schemas } });
      this.bySpec.set(file, operationsOf(file, docId, doc));
    }
  }

  /** The operation each spec assigns to a request (at most one per spec). */
  match(method: string, path: string): (Operation & { params: Record<string, string> })[] {
    const m = method.toLowerCase();
    const out: (Operation & { params: Record<string, string> })[] = [];
    for (const ops of this.bySpec.values()) {
      let best: (Operation & { params: Record<string, string> }) | undefined;
      for (const op of ops) {
        if (op.method !== m) continue;
        const hit = op.regex.exec(path);
        if (!hit) continue;
        if (best && best.literalCount >= op.literalCount) continue;
        const params: Record<string, string> = {};
        op.paramNames.forEach((n, i) => (params[n] = decodeURIComponent(hit[i + 1] ?? '')));
        best = { ...op, params };
      }
      if (best) out.push(best);
    }
    return out;
  }

  matchedOperations(method: string, path: string): MatchedOperation[] {
    return this.match(method, path).map(({ spec, operationId, template }) => ({
      spec,
      operationId,
      template,
    }));
  }

  validateRequest(method: string, path: string, query: URLSearchParams, body: unknown): Violation[] {
    const out: Violation[] = [];
    for (const op of this.match(method, path)) {
      const v: Report = (where, keyword, message, value) => {
        out.push({
          direction: 'request',
          spec: op.spec,
          operationId: op.operationId,
          method,
          path,
          template: op.template,
          where,
          keyword,
          message,
          ...(value === undefined ? {} : { value }),
        });
      };
      for (const p of op.parameters) {
        if (p.in === 'path') this.checkValue(op, p, [op.params[p.name] ?? ''], v);
        if (p.in !== 'query') continue;
        const values = query.getAll(p.name);
        if (values.length === 0) {
          if (p.required) v(`query.${p.name}`, 'required', `missing required query parameter ${p.name}`);
          continue;
        }
        this.checkValue(op, p, values, v);
      }
      const rb = op.requestBody;
      if (!rb) continue;
      if (body === undefined) {
        if (rb.required) v('body', 'required', 'request body is required');
        continue;
      }
      const schema = rb.content?.['application/json']?.schema;
      if (schema) this.apply(op, schema, body, 'body', v);
    }
    return out;
  }

  validateResponse(method: string, path: string, status: number, body: unknown): Violation[] {
    const out: Violation[] = [];
    for (const op of this.match(method, path)) {
      const v: Report = (where, keyword, message, value) => {
        out.push({
          direction: 'response',
          spec: op.spec,
          operationId: op.operationId,
          method,
          path,
          template: op.template,
          status,
          where,
          keyword,
          message,
          ...(value === undefined ? {} : { value }),
        });
      };
      const declared =
        op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`] ?? op.responses.default;
      if (!declared) {
        v(
          'status',
          'status',
          `status ${status} is not declared (declared: ${Object.keys(op.responses).join(', ')})`,
        );
        continue;
      }
      const resp = this.deref(op.spec, declared) as { content?: Record<string, { schema?: unknown }> };
      const content = resp.content ?? {};
      const media = content['application/json'] ?? content['*/*'];
      if (!media?.schema) {
        if (body !== undefined && body !== '')
          v('body', 'body', `no body is declared for ${status} but one was sent`);
        continue;
      }
      if (body === undefined || body === '') {
        v('body', 'required', `a JSON body is declared for ${status} but none was sent`);
        continue;
      }
      this.apply(op, media.schema, body, 'body', v);
    }
    return out;
  }

  private deref(spec: string, node: { $ref?: string }): unknown {
    if (!node.$ref?.startsWith('#/')) return node;
    let cur: unknown = this.docs.get(spec);
    for (const part of node.$ref.slice(2).split('/'))
      cur = (cur as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    return cur;
  }

  private checkValue(op: Operation, p: Parameter, values: string[], v: Report): void {
    if (!p.schema) return;
    const coerce = (s: Record<string, unknown>, raw: string): unknown => {
      if (s.type === 'integer' || s.type === 'number')
        return raw.trim() !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
      if (s.type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
      return raw;
    };
    const items = (p.schema.items ?? {}) as Record<string, unknown>;
    const value =
      p.schema.type === 'array' ? values.map((x) => coerce(items, x)) : coerce(p.schema, values[0] ?? '');
    this.apply(op, p.schema, value, `${p.in}.${p.name}`, v);
  }

  private apply(op: Operation, schema: unknown, value: unknown, where: string, v: Report): void {
    let fn = this.compiled.get(schema);
    if (!fn) {
      fn = this.ajv.compile(convertSchema(schema, op.docId) as object);
      this.compiled.set(schema, fn);
    }
    if (fn(value)) return;
    for (const e of fn.errors ?? []) v(`${where}${e.instancePath}`, e.keyword, describeError(e), e.data);
  }
}

function describeError(e: ErrorObject): string {
  const extra =
    e.keyword === 'required'
      ? ''
      : e.keyword === 'enum'
        ? ` (${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)})`
        : '';
  return `${e.message ?? e.keyword}${extra}`;
}

function operationsOf(file: string, docId: string, doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const shared = (item.parameters ?? []) as Parameter[];
    const paramNames: string[] = [];
    let literalCount = 0;
    const pattern = template
      .split('/')
      .map((seg) => {
        const m = /^\{(.+)\}$/.exec(seg);
        if (m) {
          paramNames.push(m[1]!);
          return '([^/]+)';
        }
        if (seg) literalCount++;
        return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    for (const method of METHODS) {
      const raw = item[method] as Record<string, unknown> | undefined;
      if (!raw) continue;
      const own = (raw.parameters ?? []) as Parameter[];
      const names = new Set(own.map((p) => `${p.in}:${p.name}`));
      ops.push({
        spec: file,
        docId,
        template,
        method,
        operationId: (raw.operationId as string | undefined) ?? `${method} ${template}`,
        regex: new RegExp(`^${pattern}/?$`),
        paramNames,
        literalCount,
        parameters: [...shared.filter((p) => !names.has(`${p.in}:${p.name}`)), ...own],
        ...(raw.requestBody ? { requestBody: raw.requestBody as Operation['requestBody'] } : {}),
        responses: (raw.responses ?? {}) as Operation['responses'],
      });
    }
  }
  return ops;
}
