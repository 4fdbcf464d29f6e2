// Public API of the SOQL engine; the REST layer (emulators/salesforce) calls exactly these.
import type { SoqlDataSource, SoqlRow } from './catalog.js';
import { SoqlError } from './errors.js';
import { runTop } from './execute.js';
import { formatNode } from './format.js';
import { parseSoql } from './parser.js';
import type { ResolvedQuery } from './plan.js';
import { resolveQuery } from './resolve.js';

export { SoqlError, type SoqlErrorCode } from './errors.js';
export type { SoqlDataSource, SoqlRow } from './catalog.js';
export { toCanonicalId, to18, isIdShaped } from './ids.js';
export { formatDatetime } from './dates.js';

export interface PreparedQuery {
  /** Canonical name of the queried sObject. */
  sobject: string;
  isCount: boolean;
  text: string;
  plan: ResolvedQuery;
}

export interface SoqlResult {
  /** Rows matched after OFFSET/LIMIT (for COUNT(): the count). */
  totalSize: number;
  isCount: boolean;
  /** Matched rows, sorted, OFFSET/LIMIT applied; [] for COUNT(). */
  rows: SoqlRow[];
}

/** Parses and validates a query; throws SoqlError (MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE, …). */
export function prepareSoql(text: string, ds: SoqlDataSource): PreparedQuery {
  if (typeof text !== 'string') throw new SoqlError('MALFORMED_QUERY', 'unexpected token: <EOF>');
  const plan = resolveQuery(text, ds, parseSoql(text));
  return { sobject: plan.sobject, isCount: plan.isCount, text, plan };
}

export function executeSoql(
  q: PreparedQuery,
  ds: SoqlDataSource,
  opts: { includeDeleted: boolean },
): SoqlResult {
  const { rows, count } = runTop(q.plan, ds, opts);
  return { totalSize: count, isCount: q.isCount, rows };
}

/** One row as Salesforce's REST API writes it (only the selected fields, in select order). */
export function formatRecord(
  q: PreparedQuery,
  row: SoqlRow,
  ds: SoqlDataSource,
  apiVersion: string,
  opts: { includeDeleted: boolean },
): Record<string, unknown> {
  return formatNode(q.plan.output, row, ds, `/services/data/v${apiVersion}/sobjects/`, opts, undefined);
}
