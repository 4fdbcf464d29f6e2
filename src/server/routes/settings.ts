// Settings page API. Every write goes through the engine's functions the CLI uses: writeSetting
// with the CLI's own parsers (`dealbridge settings set`), runSetup (`dealbridge setup`), the
// engine's validateStageMap and checkMappingCompatibility; the result is stored where the
// engine reads it, and the engine's cached mapping context is dropped.
import type { FastifyInstance } from 'fastify';
import {
  CUSTOM_MAPPINGS_SETTING,
  STAGE_MAP_SETTING,
  stageMapFromJson,
  type StoredStageMap,
} from '../../engine/mapping/sync-context.js';
import { checkMappingCompatibility } from '../../engine/mapping/custom.js';
import { overridableDefaults, protectedProperties } from '../../engine/mapping/deal.js';
import type { FieldMapping, SyncRule } from '../../engine/mapping/types.js';
import {
  isSettingKey,
  settingParsers,
  SettingValueError,
  writeSetting,
  type SettingKey,
} from '../../engine/user-settings.js';
import { runSetup } from '../../engine/setup/run-setup.js';
import { validateStageMap } from '../../engine/setup/plan.js';
import type { ServerContext } from '../context.js';
import { sendError } from '../http-errors.js';
import { withRule } from '../../engine/mapping/rules.js';
import { HUBSPOT_ALLOCATION_SETTING, settingsView } from '../queries/settings-view.js';

const RULES: readonly SyncRule[] = [
  'prefer_salesforce_unless_blank',
  'always_salesforce',
  'two_way',
  'dont_sync',
];

// Route schemas check each body's shape (Fastify answers bad_request naming the field); the
// handlers check only what needs the store or the remote facts.
const text = { type: 'string' } as const;
const nonEmpty = { type: 'string', minLength: 1 } as const;
const ruleSchema = { type: 'string', enum: RULES } as const;
const objectOf = <K extends string>(required: readonly K[], properties: Record<K, object>) =>
  ({ type: 'object', required, properties }) as const;

const settingBody = objectOf(['value'], { value: text });
const stageMapBody = objectOf(['recordType', 'stage', 'pipelineId', 'stageId'], {
  recordType: nonEmpty,
  stage: nonEmpty,
  pipelineId: nonEmpty,
  stageId: nonEmpty,
});
const mappingCheckBody = objectOf(['salesforceField', 'hubspotProperty'], {
  salesforceField: nonEmpty,
  hubspotProperty: nonEmpty,
});
const mappingBody = objectOf(['salesforceField', 'hubspotProperty', 'rule'], {
  salesforceField: nonEmpty,
  hubspotProperty: nonEmpty,
  rule: ruleSchema,
});
const defaultRuleBody = objectOf(['rule'], { rule: ruleSchema });

interface MappingBody {
  salesforceField: string;
  hubspotProperty: string;
  rule: SyncRule;
}

export function registerSettingsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store } = ctx.runtime;

  app.get('/api/settings', async () => settingsView(ctx));

  app.put<{ Params: { key: string }; Body: { value: string } }>(
    '/api/settings/:key',
    { schema: { body: settingBody } },
    async (req, reply) => {
      const { key } = req.params;
      const { value } = req.body;
      if (key === 'hubspotDailyAllocation') {
        const n = Number(value);
        if (value !== '' && (!Number.isInteger(n) || n <= 0))
          return sendError(
            reply,
            'bad_request',
            'hubspotDailyAllocation: expected a whole number of calls per day',
            {
              field: 'value',
              reason: 'expected a whole number of calls per day, or "" for none',
            },
          );
        await store.setSetting(HUBSPOT_ALLOCATION_SETTING, value === '' ? null : n);
        ctx.hub.publish('settings', { key });
        return { key, value: value === '' ? null : n, changed: true };
      }
      if (!isSettingKey(key)) return sendError(reply, 'not_found', `unknown setting "${key}"`);
      let parsed;
      try {
        parsed = settingParsers[key](value);
      } catch (err) {
        if (err instanceof SettingValueError)
          return sendError(reply, 'bad_request', `${key}: ${err.message}`, {
            field: 'value',
            reason: err.message,
          });
        throw err;
      }
      const result = await ctx.lock.run(async () => {
        const needsSalesforce = key === 'opportunitySync' && parsed === true;
        const r = await writeSetting(
          store,
          key as SettingKey,
          parsed,
          needsSalesforce ? { salesforce: await ctx.runtime.salesforce() } : {},
        );
        await ctx.invalidateEngine();
        return r;
      });
      ctx.hub.publish('settings', { key });
      return { key, value: parsed, ...result };
    },
  );

  // One row of the stage map: Salesforce stage (per record type) → HubSpot pipeline stage.
  app.put<{ Body: { recordType: string; stage: string; pipelineId: string; stageId: string } }>(
    '/api/stage-map',
    { schema: { body: stageMapBody } },
    async (req, reply) => {
      const { recordType, stage, pipelineId, stageId } = req.body;
      const facts = await ctx.facts.get();
      const pipeline = facts.pipelines.find((p) => p.id === pipelineId);
      if (!pipeline?.stages.some((s) => s.id === stageId))
        return sendError(reply, 'bad_request', `HubSpot stage ${stageId} is not in pipeline ${pipelineId}`, {
          field: 'stageId',
          reason: `is not a stage of pipeline ${pipelineId}`,
        });
      if (!facts.stages.some((s) => s.ApiName === stage))
        return sendError(reply, 'bad_request', `unknown Salesforce stage "${stage}"`, {
          field: 'stage',
          reason: 'is not an OpportunityStage of the org',
        });
      const problems = await ctx.lock.run(async () => {
        const stored = (await store.getSetting<StoredStageMap>(STAGE_MAP_SETTING)) ?? {
          source: 'user',
          map: {},
        };
        const map = {
          ...stored.map,
          [recordType]: { ...stored.map[recordType], [stage]: { pipelineId, stageId } },
        };
        // A map the user edited is theirs: setup validates it from now on instead of rebuilding it.
        await store.setSetting(STAGE_MAP_SETTING, {
          ...stored,
          source: 'user',
          map,
        } satisfies StoredStageMap);
        const found = validateStageMap(stageMapFromJson(map), facts.stages, facts.pipelines, stored.required);
        // Records that failed for want of a stage may sync now (as after `dealbridge setup`).
        const waiting = (await store.listErrors({ code: 'STAGE_NOT_MAPPED' })).map((e) => e.recordKey);
        if (waiting.length > 0) await store.scheduleRetryNow(waiting, ctx.now().toISOString());
        await ctx.invalidateEngine();
        return found;
      });
      ctx.hub.publish('settings', { key: 'stageMap' });
      return { ok: problems.length === 0, problems };
    },
  );

  // The type check a new mapping must pass, before it is saved.
  app.post<{ Body: Omit<MappingBody, 'rule'> }>(
    '/api/field-mappings/check',
    { schema: { body: mappingCheckBody } },
    async (req) => checkCustom(ctx, req.body.salesforceField, req.body.hubspotProperty),
  );

  app.post<{ Body: MappingBody }>(
    '/api/field-mappings',
    { schema: { body: mappingBody } },
    async (req, reply) => {
      const { salesforceField, hubspotProperty, rule } = req.body;
      const check = await checkCustom(ctx, salesforceField, hubspotProperty);
      if (!check.ok) return sendError(reply, 'incompatible', check.problem);
      const saved = await saveMappings(ctx, (list) => [
        ...list.filter((m) => !(m.custom && m.hubspotProperty === hubspotProperty)),
        { salesforceField, hubspotProperty, rule, custom: true },
      ]);
      return { ok: true, mappings: saved };
    },
  );

  app.delete<{ Params: { property: string } }>('/api/field-mappings/:property', async (req) => {
    const saved = await saveMappings(ctx, (list) =>
      list.filter((m) => !(m.custom && m.hubspotProperty === req.params.property)),
    );
    return { ok: true, mappings: saved };
  });

  // The sync rule of a default mapping (Amount, CloseDate, Type, Description, OwnerId, stage).
  app.put<{ Params: { property: string }; Body: Pick<MappingBody, 'rule'> }>(
    '/api/field-mappings/default/:property',
    { schema: { body: defaultRuleBody } },
    async (req, reply) => {
      const property = req.params.property;
      const { rule } = req.body;
      if (!Object.hasOwn(overridableDefaults, property))
        return sendError(reply, 'bad_request', `the rule of "${property}" cannot be changed`, {
          field: 'property',
          reason: `is not one of the default mappings whose rule can change (${Object.keys(overridableDefaults).join(', ')})`,
        });
      let refused: string | undefined;
      const saved = await saveMappings(ctx, (list) => {
        const next = withRule(list, property, rule);
        if (!next.ok) refused = next.reason;
        return next.ok ? next.mappings : list;
      });
      if (refused !== undefined)
        return sendError(reply, 'bad_request', `the rule of "${property}" cannot be ${rule}`, {
          field: 'rule',
          reason: refused,
        });
      return { ok: true, mappings: saved };
    },
  );

  // `dealbridge setup` from the page: rereads owners, pipelines and properties.
  app.post('/api/setup', async () => {
    const report = await ctx.lock.run(async () => {
      const r = await runSetup({
        salesforce: await ctx.runtime.salesforce(),
        hubspot: await ctx.runtime.hubspot(),
        store,
      });
      ctx.facts.invalidate();
      await ctx.invalidateEngine();
      return r;
    });
    ctx.hub.publish('settings', { key: 'setup' });
    return report;
  });
}

async function checkCustom(
  ctx: ServerContext,
  salesforceField: string,
  hubspotProperty: string,
): Promise<{ ok: true } | { ok: false; problem: string }> {
  const facts = await ctx.facts.get();
  const field = facts.opportunityFields.find((f) => f.name === salesforceField);
  if (!field) return { ok: false, problem: `Opportunity has no field "${salesforceField}"` };
  if (protectedProperties.has(hubspotProperty))
    return {
      ok: false,
      problem: `"${hubspotProperty}" is written by the default mapping and cannot be mapped again`,
    };
  const prop = facts.dealProperties.find((p) => p.name === hubspotProperty);
  if (!prop) return { ok: false, problem: `HubSpot has no deal property "${hubspotProperty}"` };
  const issue = checkMappingCompatibility(field.type, prop);
  return issue ? { ok: false, problem: issue.message } : { ok: true };
}

async function saveMappings(
  ctx: ServerContext,
  change: (list: FieldMapping[]) => FieldMapping[],
): Promise<FieldMapping[]> {
  const { store } = ctx.runtime;
  const saved = await ctx.lock.run(async () => {
    const list = (await store.getSetting<FieldMapping[]>(CUSTOM_MAPPINGS_SETTING)) ?? [];
    const next = change(list);
    await store.setSetting(CUSTOM_MAPPINGS_SETTING, next);
    await ctx.invalidateEngine();
    return next;
  });
  ctx.hub.publish('settings', { key: 'fieldMappings' });
  return saved;
}
