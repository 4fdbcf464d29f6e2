// Conversions between HubSpot's wire shapes and ours, and the reading of whole-batch refusals:
// pure functions, kept apart from the adapter's calls.
import type { HsObject, HsPipelineStage, HsProperties } from '../domain/hubspot.js';
import { BatchRejectedError } from '../engine/ports/remote.js';
import { asErrorBody, culpritsOf, firstDetail, mapHubspotCode } from './errors.js';
import { HubspotHttpError, errorMessage } from './transport.js';
import { chunk } from '../lib/chunk.js';

/** Inputs per batch read/create/update/upsert/archive call. */
export const BATCH = 100;

/** The input limit a 400 names ("at most N inputs", "size must be between 0 and N"), if it is one. */
export function batchLimitOf(err: unknown): number | undefined {
  if (!(err instanceof HubspotHttpError) || err.status !== 400) return undefined;
  const text = `${err.message} ${JSON.stringify(err.body ?? '')}`;
  if (!/INVALID_BATCH_SIZE|batch input limit|size must be between/i.test(text)) return undefined;
  const m = /at most (\d+)|between 0 and (\d+)/i.exec(text);
  const n = Number(m?.[1] ?? m?.[2] ?? BATCH);
  return Number.isFinite(n) && n > 0 ? n : BATCH;
}

/** Batches with the index of their first input (a 207's errors name inputs by index). */
export function chunks<T>(items: readonly T[], size: number): { start: number; items: T[] }[] {
  return chunk(items, size).map((part, i) => ({ start: i * size, items: part }));
}

export function toObject(o: {
  id: string;
  properties: Record<string, string | null>;
  archived?: boolean | undefined;
}): HsObject {
  return {
    id: o.id,
    properties: o.properties,
    ...(o.archived !== undefined ? { archived: o.archived } : {}),
  };
}

/** A whole-batch 4xx as BatchRejectedError (content) — anything else passes through. */
export function rejection(
  err: unknown,
  keys: readonly string[],
  inputProps: readonly HsProperties[],
): unknown {
  if (!(err instanceof HubspotHttpError) || (err.status !== 400 && err.status !== 409 && err.status !== 422))
    return err;
  const body = asErrorBody(err.body);
  const detail = firstDetail(body);
  const code = mapHubspotCode(
    detail.code ?? (err.status === 409 ? 'CONFLICT' : undefined),
    err.status,
    detail.property,
  );
  return new BatchRejectedError(
    errorMessage(err.body) || err.message,
    err.status,
    code,
    culpritsOf(body, keys, inputProps),
    detail.property,
  );
}

export function offset(err: unknown, start: number): unknown {
  if (!(err instanceof BatchRejectedError) || start === 0) return err;
  return new BatchRejectedError(
    err.message,
    err.status,
    err.code,
    err.culprits.map((i) => i + start),
    err.property,
  );
}

export function stageOut(s: {
  id: string;
  label: string;
  displayOrder: number;
  metadata: Record<string, string>;
}): HsPipelineStage {
  return {
    id: s.id,
    label: s.label,
    displayOrder: s.displayOrder,
    probability: Number(s.metadata.probability ?? 0),
    isClosed: s.metadata.isClosed === 'true',
  };
}

export function stageIn(s: Omit<HsPipelineStage, 'id'>) {
  return {
    label: s.label,
    displayOrder: s.displayOrder,
    metadata: { probability: String(s.probability), isClosed: String(s.isClosed) },
  };
}
