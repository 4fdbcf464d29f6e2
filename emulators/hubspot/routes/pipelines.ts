// Pipelines v3 for deals: HubSpot's default sales pipeline plus created ones; stages carry
// `metadata.probability` (required for deals) and `metadata.isClosed`, both as strings.
import { HubError, badRequest, iso, isRecord, noContent, objectBody, ok } from '../http.js';
import type { Pipeline, Portal, Stage } from '../portal.js';
import { objectType, param, route, type Ctx, type Route } from '../router.js';

function stageJson(s: Stage) {
  return {
    id: s.id,
    label: s.label,
    displayOrder: s.displayOrder,
    metadata: s.metadata,
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
    archived: s.archived,
    writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
  };
}

function pipelineJson(p: Pipeline) {
  return {
    id: p.id,
    label: p.label,
    displayOrder: p.displayOrder,
    stages: p.stages.filter((s) => !s.archived).map(stageJson),
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
    archived: p.archived,
  };
}

function dealsOnly(ctx: Ctx): void {
  if (objectType(param(ctx, 0)).name !== 'deals') {
    throw badRequest('This emulator keeps pipelines for deals only');
  }
}

let seq = 10_000_000;
const newId = () => String(++seq);

function metadata(raw: unknown, i: number): Record<string, string> {
  if (!isRecord(raw) || raw.probability === undefined) {
    throw badRequest(`stages[${i}].metadata.probability is required for deal stages`, {
      errors: [{ message: 'probability is required', code: 'REQUIRED_FIELD', in: 'metadata.probability' }],
    });
  }
  const p = Number(raw.probability);
  if (!(p >= 0 && p <= 1)) throw badRequest(`stages[${i}].metadata.probability must be between 0.0 and 1.0`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) out[k] = String(v as string);
  out.probability = String(p);
  out.isClosed = String(raw.isClosed === true || raw.isClosed === 'true');
  return out;
}

function parseStage(raw: unknown, i: number, at: number, used: Set<string>): Stage {
  if (!isRecord(raw) || typeof raw.label !== 'string') throw badRequest(`stages[${i}].label is required`);
  const id = typeof raw.stageId === 'string' && raw.stageId ? raw.stageId : newId();
  if (used.has(id)) throw new HubError(409, 'CONFLICT', `A stage with id ${id} already exists`);
  used.add(id);
  return {
    id,
    label: raw.label,
    displayOrder: typeof raw.displayOrder === 'number' ? raw.displayOrder : i,
    metadata: metadata(raw.metadata, i),
    createdAt: at,
    updatedAt: at,
    archived: false,
  };
}

function usedStageIds(portal: Portal, except?: string): Set<string> {
  const s = new Set<string>();
  for (const p of portal.pipelines.values()) if (p.id !== except) for (const st of p.stages) s.add(st.id);
  return s;
}

function getPipeline(portal: Portal, id: string): Pipeline {
  const p = portal.pipelines.get(id);
  if (!p || p.archived) throw new HubError(404, 'OBJECT_NOT_FOUND', `Unable to find pipeline ${id}`);
  return p;
}

function build(portal: Portal, body: unknown, id?: string): Pipeline {
  const b = objectBody(body);
  if (typeof b.label !== 'string') throw badRequest('label is required');
  if (!Array.isArray(b.stages) || b.stages.length === 0) throw badRequest('stages are required');
  const at = portal.now();
  const pid = id ?? (typeof b.pipelineId === 'string' && b.pipelineId ? b.pipelineId : newId());
  const used = usedStageIds(portal, pid);
  return {
    id: pid,
    label: b.label,
    displayOrder: typeof b.displayOrder === 'number' ? b.displayOrder : portal.pipelines.size,
    stages: b.stages.map((s, i) => parseStage(s, i, at, used)),
    createdAt: portal.pipelines.get(pid)?.createdAt ?? at,
    updatedAt: at,
    archived: false,
  };
}

const P = '/crm/v3/pipelines/{objectType}';

export const pipelineRoutes: Route[] = [
  route('GET', P, (ctx) => {
    dealsOnly(ctx);
    return ok({ results: [...ctx.portal.pipelines.values()].filter((p) => !p.archived).map(pipelineJson) });
  }),
  route('POST', P, (ctx) => {
    dealsOnly(ctx);
    const b = objectBody(ctx.body);
    if (
      typeof b.label === 'string' &&
      [...ctx.portal.pipelines.values()].some((p) => !p.archived && p.label === b.label)
    ) {
      throw new HubError(409, 'CONFLICT', `A pipeline with label "${b.label}" already exists`);
    }
    const p = build(ctx.portal, ctx.body);
    ctx.portal.pipelines.set(p.id, p);
    ctx.portal.invalidateStages();
    return ok(pipelineJson(p), 201);
  }),
  route('GET', `${P}/{pipelineId}`, (ctx) => {
    dealsOnly(ctx);
    return ok(pipelineJson(getPipeline(ctx.portal, param(ctx, 1))));
  }),
  route('PUT', `${P}/{pipelineId}`, (ctx) => {
    dealsOnly(ctx);
    getPipeline(ctx.portal, param(ctx, 1));
    const p = build(ctx.portal, ctx.body, param(ctx, 1));
    ctx.portal.pipelines.set(p.id, p);
    ctx.portal.invalidateStages();
    return ok(pipelineJson(p));
  }),
  route('PATCH', `${P}/{pipelineId}`, (ctx) => {
    dealsOnly(ctx);
    const p = getPipeline(ctx.portal, param(ctx, 1));
    const b = objectBody(ctx.body);
    if (typeof b.label === 'string') p.label = b.label;
    if (typeof b.displayOrder === 'number') p.displayOrder = b.displayOrder;
    if (b.archived === true) p.archived = true;
    p.updatedAt = ctx.portal.now();
    ctx.portal.invalidateStages();
    return ok(pipelineJson(p));
  }),
  route('DELETE', `${P}/{pipelineId}`, (ctx) => {
    dealsOnly(ctx);
    const p = getPipeline(ctx.portal, param(ctx, 1));
    let inUse = false;
    for (const r of ctx.portal.objects.deals.values()) {
      if (!r.archivedAt && r.p.pipeline === p.id) {
        inUse = true;
        break;
      }
    }
    if (inUse) throw badRequest(`Pipeline ${p.id} has deals; move them before archiving it`);
    p.archived = true;
    ctx.portal.invalidateStages();
    return noContent();
  }),
  route('GET', `${P}/{pipelineId}/stages`, (ctx) => {
    dealsOnly(ctx);
    return ok({
      results: getPipeline(ctx.portal, param(ctx, 1))
        .stages.filter((s) => !s.archived)
        .map(stageJson),
    });
  }),
  route('POST', `${P}/{pipelineId}/stages`, (ctx) => {
    dealsOnly(ctx);
    const p = getPipeline(ctx.portal, param(ctx, 1));
    const s = parseStage(ctx.body, p.stages.length, ctx.portal.now(), usedStageIds(ctx.portal));
    p.stages.push(s);
    ctx.portal.invalidateStages();
    return ok(stageJson(s), 201);
  }),
  route('GET', `${P}/{pipelineId}/stages/{stageId}`, (ctx) => {
    dealsOnly(ctx);
    const s = getPipeline(ctx.portal, param(ctx, 1)).stages.find(
      (x) => x.id === param(ctx, 2) && !x.archived,
    );
    if (!s) throw new HubError(404, 'OBJECT_NOT_FOUND', `Unable to find stage ${param(ctx, 2)}`);
    return ok(stageJson(s));
  }),
  route('PATCH', `${P}/{pipelineId}/stages/{stageId}`, (ctx) => {
    dealsOnly(ctx);
    const s = getPipeline(ctx.portal, param(ctx, 1)).stages.find(
      (x) => x.id === param(ctx, 2) && !x.archived,
    );
    if (!s) throw new HubError(404, 'OBJECT_NOT_FOUND', `Unable to find stage ${param(ctx, 2)}`);
    const b = objectBody(ctx.body);
    if (typeof b.label === 'string') s.label = b.label;
    if (typeof b.displayOrder === 'number') s.displayOrder = b.displayOrder;
    if (b.metadata !== undefined)
      s.metadata = metadata({ ...s.metadata, ...(isRecord(b.metadata) ? b.metadata : {}) }, 0);
    s.updatedAt = ctx.portal.now();
    ctx.portal.invalidateStages();
    return ok(stageJson(s));
  }),
  route('DELETE', `${P}/{pipelineId}/stages/{stageId}`, (ctx) => {
    dealsOnly(ctx);
    const s = getPipeline(ctx.portal, param(ctx, 1)).stages.find((x) => x.id === param(ctx, 2));
    if (s) s.archived = true;
    ctx.portal.invalidateStages();
    return noContent();
  }),
];
