// The one User Interface API resource a connector needs to build pipelines per record type:
// GET /ui-api/object-info/{object}/picklist-values/{recordTypeId}/{field}. StageName is scoped
// to the record type's sales process; the master record type (012000000000000AAA) and other
// picklists get every active value.
import type { Route } from './context.js';
import { apiError } from '../errors.js';
import { normalizeId } from '../ids.js';
import { createHash } from 'node:crypto';
import { MASTER_RECORD_TYPE_ID as MASTER, allowedStages } from '../sales-process.js';

export function resolveUiApiRoute(method: string, parts: string[]): Route | undefined {
  const [oi, object, pv, recordTypeId, field, extra] = parts;
  if (
    method !== 'GET' ||
    oi !== 'object-info' ||
    pv !== 'picklist-values' ||
    !object ||
    !recordTypeId ||
    !field ||
    extra !== undefined
  ) {
    return undefined;
  }
  return {
    name: 'ui-api.picklist-values',
    run: (ctx) => {
      const store = ctx.state.store;
      const def = store.def(object);
      const f = def?.fieldsByLower.get(field.toLowerCase());
      if (!def || !f || f.type !== 'picklist')
        throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
      const rt = normalizeId(recordTypeId);
      const known =
        rt === MASTER || (rt !== undefined && store.get('RecordType', rt)?.SobjectType === def.name);
      if (!rt || !known) throw apiError(404, 'NOT_FOUND', `Invalid record type id: ${recordTypeId}`);
      // StageName follows the record type's sales process (its active stages, in sort order);
      // labels and active flags come from the picklist as Setup last left it.
      const scoped = f.name === 'StageName' ? allowedStages(store, rt === MASTER ? null : rt) : undefined;
      const values = f.picklistValues.filter((p) => p.active && (!scoped || scoped.includes(p.value)));
      const eTag = createHash('sha1')
        .update(JSON.stringify([def.name, f.name, rt, values.map((v) => [v.value, v.label])]))
        .digest('hex');
      return {
        status: 200,
        body: {
          controllerValues: {},
          defaultValue: null,
          eTag,
          url: `/services/data/v${ctx.version}/ui-api/object-info/${def.name}/picklist-values/${rt}/${f.name}`,
          values: values.map((p) => ({ attributes: null, label: p.label, validFor: [], value: p.value })),
        },
      };
    },
  };
}
