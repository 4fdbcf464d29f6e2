// The Tooling API, as far as Change Data Capture needs it: a query of PlatformEventChannelMember,
// the entities selected on the standard ChangeEvents channel (Setup › Change Data Capture).
// Other Tooling objects answer INVALID_TYPE, as for an object the org does not have.
import { apiError } from '../errors.js';
import type { Ctx, Route } from './context.js';

const QUERY_RE =
  /^\s*select\s+([\w\s,]+?)\s+from\s+PlatformEventChannelMember(?:\s+where\s+EventChannel\s*=\s*'(\w+)')?\s*$/i;
const FIELDS = ['Id', 'DeveloperName', 'EventChannel', 'SelectedEntity'];

function members(ctx: Ctx, q: string) {
  const m = QUERY_RE.exec(q);
  if (!m) {
    const object = /\bfrom\s+(\w+)/i.exec(q)?.[1] ?? '';
    throw apiError(
      400,
      'INVALID_TYPE',
      `sObject type '${object}' is not supported. (emulator: the Tooling API serves PlatformEventChannelMember)`,
    );
  }
  const wanted = m[1]!.split(',').map((f) => f.trim());
  const bad = wanted.find((f) => !FIELDS.some((x) => x.toLowerCase() === f.toLowerCase()));
  if (bad)
    throw apiError(400, 'INVALID_FIELD', `No such column '${bad}' on entity 'PlatformEventChannelMember'.`);
  const channel = m[2];
  const base = `/services/data/v${ctx.version}/tooling/sobjects/PlatformEventChannelMember`;
  const rows =
    channel !== undefined && channel !== 'ChangeEvents'
      ? []
      : [...ctx.state.store.cdcSelected].sort().map((entity, i) => {
          const id = `0v8${String(i + 1).padStart(12, '0')}AAA`;
          const all: Record<string, string> = {
            Id: id,
            DeveloperName: `ChangeEvents_${entity}ChangeEvent`,
            EventChannel: 'ChangeEvents',
            SelectedEntity: `${entity}ChangeEvent`,
          };
          const rec: Record<string, unknown> = {
            attributes: { type: 'PlatformEventChannelMember', url: `${base}/${id}` },
          };
          for (const f of wanted)
            rec[FIELDS.find((x) => x.toLowerCase() === f.toLowerCase())!] =
              all[FIELDS.find((x) => x.toLowerCase() === f.toLowerCase())!];
          return rec;
        });
  return {
    size: rows.length,
    totalSize: rows.length,
    done: true,
    queryLocator: null,
    entityTypeName: 'PlatformEventChannelMember',
    records: rows,
  };
}

export function resolveToolingRoute(method: string, rest: string[]): Route | undefined {
  if (method !== 'GET' || rest.length !== 1 || rest[0] !== 'query') return undefined;
  return {
    name: 'tooling.query',
    run: (ctx) => {
      const q = ctx.url.searchParams.get('q');
      if (!q) throw apiError(400, 'MALFORMED_QUERY', 'q is required');
      return { status: 200, body: members(ctx, q) };
    },
  };
}
