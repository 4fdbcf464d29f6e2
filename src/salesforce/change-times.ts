// When opportunities last changed, and by whom (SalesforcePort.opportunityChangeTimes): the
// Salesforce side of a two-way conflict. `LastModifiedDate` dates the whole record; where the org
// tracks a field's history (Setup › Set History Tracking), `OpportunityFieldHistory` dates that
// field itself, which is what "the later change wins" should compare. An org that tracks no field
// (or one whose query is refused: INVALID_TYPE) falls back to LastModifiedDate.
import { normaliseDateTime } from '../domain/salesforce.js';
import type { SfChangeTimes } from '../engine/ports/remote.js';
import { DealbridgeError } from '../errors/index.js';
import { chunk } from '../lib/chunk.js';
import { idLiteral } from './soql.js';

type Pages = (q: string, all: boolean) => AsyncIterable<Record<string, unknown>[]>;

const IDS_PER_QUERY = 500;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export async function opportunityChangeTimes(
  pages: Pages,
  ids: string[],
  fields: string[],
): Promise<Map<string, SfChangeTimes>> {
  const out = new Map<string, SfChangeTimes>();
  const tracked = fields.filter((f) => FIELD_NAME.test(f));
  for (const part of chunk([...new Set(ids)], IDS_PER_QUERY)) {
    const list = part.map(idLiteral).join(', ');
    const q = `SELECT Id, LastModifiedDate, LastModifiedById FROM Opportunity WHERE Id IN (${list})`;
    for await (const page of pages(q, false)) {
      for (const r of page) {
        const id = text(r.Id);
        const at = text(r.LastModifiedDate);
        if (!id || !at) continue;
        out.set(id, {
          lastModifiedDate: normaliseDateTime(at),
          lastModifiedById: text(r.LastModifiedById),
          fields: {},
        });
      }
    }
    if (tracked.length === 0) continue;
    const names = tracked.map((f) => `'${f}'`).join(', ');
    // Newest first: the first row of each (opportunity, field) is the one that dates it.
    const h = `SELECT OpportunityId, Field, CreatedDate, CreatedById FROM OpportunityFieldHistory WHERE OpportunityId IN (${list}) AND Field IN (${names}) ORDER BY CreatedDate DESC`;
    try {
      for await (const page of pages(h, false)) {
        for (const r of page) {
          const times = out.get(text(r.OpportunityId) ?? '');
          const field = text(r.Field);
          const at = text(r.CreatedDate);
          if (!times || !field || !at || times.fields[field]) continue;
          times.fields[field] = { at: normaliseDateTime(at), byId: text(r.CreatedById) };
        }
      }
    } catch (err) {
      // A 400 (INVALID_TYPE, INVALID_FIELD): no field history to read; LastModifiedDate dates it.
      if (!(err instanceof DealbridgeError) || err.code !== 'SALESFORCE_QUERY_FAILED') throw err;
    }
  }
  return out;
}
