// Writes to opportunities through sObject Collections (REST API Developer Guide, "Update Records
// Using sObject Collections": ≤ 200 records a call, `allOrNone: false` so that each record
// succeeds or fails alone, SaveResults in request order). Salesforce's per-record status codes
// become catalogue codes with a message naming the record, the fields and the reason. A row lock
// (UNABLE_TO_LOCK_ROW: another transaction holds the record) is sent again alone, a few times
// within seconds, before it is reported: Salesforce's own advice for lock contention is to retry.
import { z } from 'zod';
import type { ErrorCode } from '../errors/index.js';
import type { SfOpportunityUpdate, SfWriteResult } from '../engine/ports/remote.js';
import { chunk } from '../lib/chunk.js';
import type { SalesforceClient } from './client.js';

export const COLLECTION_MAX = 200;

const saveResultsSchema = z.array(
  z.object({
    id: z.string().nullable().optional(),
    success: z.boolean(),
    errors: z
      .array(
        z.object({
          statusCode: z.string(),
          message: z.string(),
          fields: z.array(z.string()).optional(),
        }),
      )
      .default([]),
  }),
);

/** Salesforce status codes with a catalogue code of their own (docs/errors.md). */
const OWN_CODES: ReadonlySet<string> = new Set([
  'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  'REQUIRED_FIELD_MISSING',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  'DUPLICATES_DETECTED',
  'UNABLE_TO_LOCK_ROW',
  'ENTITY_IS_DELETED',
]);

/** The catalogue code of a Salesforce SaveResult error. */
export function writeErrorCode(statusCode: string): ErrorCode {
  return OWN_CODES.has(statusCode) ? (statusCode as ErrorCode) : 'SALESFORCE_WRITE_REJECTED';
}

/** How long to wait before sending a locked record again (attempt 1, 2, 3), or undefined: report it. */
export function lockRetryDelayMs(attempt: number): number | undefined {
  return attempt <= 3 ? 500 * 2 ** (attempt - 1) : undefined;
}

function failed(
  id: string,
  e: { statusCode: string; message: string; fields?: string[] | undefined },
): SfWriteResult {
  const fields = e.fields ?? [];
  const where = fields.length > 0 ? ` (${fields.join(', ')})` : '';
  return {
    id,
    ok: false,
    code: writeErrorCode(e.statusCode),
    salesforceCode: e.statusCode,
    message: `Opportunity ${id}${where}: Salesforce refused the write with ${e.statusCode}: ${e.message}`,
    fields,
  };
}

async function send(
  client: SalesforceClient,
  url: string,
  part: SfOpportunityUpdate[],
): Promise<SfWriteResult[]> {
  const res = await client.request('PATCH', url, {
    allOrNone: false,
    records: part.map((u) => ({ attributes: { type: 'Opportunity' }, id: u.id, ...u.fields })),
  });
  const results = saveResultsSchema.parse(res.data);
  return part.map((u, i) => {
    const r = results[i];
    if (!r)
      return failed(u.id, { statusCode: 'UNKNOWN_EXCEPTION', message: 'no SaveResult for this record' });
    if (r.success) return { id: u.id, ok: true };
    const first = r.errors[0] ?? { statusCode: 'UNKNOWN_EXCEPTION', message: 'no error given' };
    return failed(u.id, first);
  });
}

export async function updateOpportunities(
  client: SalesforceClient,
  url: string,
  updates: SfOpportunityUpdate[],
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<SfWriteResult[]> {
  const out: SfWriteResult[] = [];
  for (const part of chunk(updates, COLLECTION_MAX)) {
    const results = await send(client, url, part);
    for (let i = 0; i < results.length; i++) {
      let r = results[i]!;
      for (let attempt = 1; !r.ok && r.code === 'UNABLE_TO_LOCK_ROW'; attempt++) {
        const wait = lockRetryDelayMs(attempt);
        if (wait === undefined) break;
        await sleep(wait);
        r = (await send(client, url, [part[i]!]))[0]!;
      }
      out.push(r);
    }
  }
  return out;
}

/**
 * Deletes opportunities through sObject Collections (`DELETE /composite/sobjects?ids=…`, ≤ 200 a
 * call, `allOrNone=false`): one result per id, in order. One already deleted (ENTITY_IS_DELETED)
 * counts as deleted: a resent delete after a lost answer must not be an error.
 */
export async function deleteOpportunities(
  client: SalesforceClient,
  url: string,
  ids: string[],
): Promise<SfWriteResult[]> {
  const out: SfWriteResult[] = [];
  for (const part of chunk(ids, COLLECTION_MAX)) {
    const res = await client.request(
      'DELETE',
      `${url}?ids=${part.map(encodeURIComponent).join(',')}&allOrNone=false`,
    );
    const results = saveResultsSchema.parse(res.data);
    part.forEach((id, i) => {
      const r = results[i];
      const first = r?.errors[0];
      if (r?.success || first?.statusCode === 'ENTITY_IS_DELETED') out.push({ id, ok: true });
      else
        out.push(
          failed(id, first ?? { statusCode: 'UNKNOWN_EXCEPTION', message: 'no SaveResult for this record' }),
        );
    });
  }
  return out;
}
