// Batched writes to HubSpot (≤ 100 inputs per call) that never let one bad input block the rest:
// when HubSpot rejects a whole batch because of its content, the batch is split in halves until
// the bad inputs stand alone (log2(100) ≈ 7 extra calls per bad input), and every other input is
// written. Errors that are about the connection, not the content (429s spent, 5xx, auth), stop the
// pass instead: retrying them record by record would only make things worse.
import type { HsAssociationInput } from '../../domain/hubspot.js';
import { DealbridgeError } from '../../errors/index.js';
import { codeOf, isPassLevel } from '../record-errors.js';
import { createOnlyProperties } from '../mapping/index.js';
import type {
  BatchOutcome,
  DealCreateInput,
  DealUpsertInput,
  DealUpsertResult,
  HubspotPort,
} from '../ports/remote.js';
import { BatchRejectedError } from '../ports/remote.js';
import { chunk } from '../../lib/chunk.js';

export const BATCH_SIZE = 100;
/**
 * Inputs per association batch create: HubSpot's v4 maximum, 2,000 (the adapter splits further
 * when a portal states a lower limit).
 */
export const ASSOCIATION_BATCH_SIZE = 2000;

export interface InputFailure<T> {
  input: T;
  code: string;
  message: string;
  field: string | null;
}

function rejectionCode(err: BatchRejectedError): string {
  const code = codeOf(err, '');
  if (code) return code;
  return err.status === 409 ? 'HUBSPOT_CONFLICT' : 'HUBSPOT_VALIDATION';
}

/**
 * Runs `write` over `inputs` and, when it throws a content error, bisects to isolate the inputs
 * at fault. `write` returns per-input failures it could attribute itself (a 207).
 */
export async function writeIsolating<T>(
  inputs: T[],
  write: (batch: T[]) => Promise<InputFailure<T>[]>,
): Promise<InputFailure<T>[]> {
  if (inputs.length === 0) return [];
  try {
    return await write(inputs);
  } catch (err) {
    if (isPassLevel(err)) throw err;
    // Only content errors are isolated: a rejected batch, or a record-level DealbridgeError. Anything
    // else (a bug, a network error an adapter did not classify) stops the pass rather than being
    // multiplied into 2n calls.
    const rejected = err instanceof BatchRejectedError;
    if (!rejected && !(err instanceof DealbridgeError)) throw err;
    if (inputs.length === 1) {
      const message = err instanceof Error ? err.message : String(err);
      const code = rejected ? rejectionCode(err) : codeOf(err);
      const field = rejected ? (err.property ?? null) : ((err as DealbridgeError).field ?? null);
      return [{ input: inputs[0] as T, code, message, field }];
    }
    if (rejected) {
      const culprits = [...new Set(err.culprits)].filter((i) => i >= 0 && i < inputs.length);
      if (culprits.length > 0 && culprits.length < inputs.length) {
        // HubSpot named the inputs at fault: check each alone (the naming is a hint, not proof)
        // and write the others together.
        const named = new Set(culprits);
        const suspects = inputs.filter((_, i) => named.has(i));
        const others = inputs.filter((_, i) => !named.has(i));
        const failures: InputFailure<T>[] = [];
        for (const s of suspects) failures.push(...(await writeIsolating([s], write)));
        failures.push(...(await writeIsolating(others, write)));
        return failures;
      }
    }
    const mid = Math.ceil(inputs.length / 2);
    const left = await writeIsolating(inputs.slice(0, mid), write);
    const right = await writeIsolating(inputs.slice(mid), write);
    return [...left, ...right];
  }
}

function hasCreateOnly(input: DealUpsertInput): boolean {
  return Object.keys(input.properties).some((k) => createOnlyProperties.has(k));
}

function withoutCreateOnly(input: DealUpsertInput): DealUpsertInput {
  const properties = { ...input.properties };
  for (const k of createOnlyProperties) delete properties[k];
  return { ...input, properties };
}

const isCreateOnly = (property: string | undefined): boolean =>
  property !== undefined && createOnlyProperties.has(property);

/**
 * One upsert call. Create-only values (createdate) go with deals dealbridge believes new; when the
 * deal exists after all (a crash between the write and storing its link), HubSpot refuses them as
 * read-only, and the inputs are sent again without them.
 */
async function upsertOnce(
  hubspot: HubspotPort,
  part: DealUpsertInput[],
): Promise<BatchOutcome<DealUpsertResult>> {
  let outcome: BatchOutcome<DealUpsertResult>;
  try {
    outcome = await hubspot.upsertDeals(part);
  } catch (err) {
    if (!(err instanceof BatchRejectedError) || !isCreateOnly(err.property) || !part.some(hasCreateOnly))
      throw err;
    // Strip create-only values from the deals HubSpot names (they exist already) and only from
    // them: a new deal in the same batch must keep its createdate. When HubSpot names none, a
    // batch is split by the caller until the existing deal stands alone.
    const culprits = new Set(err.culprits);
    if (culprits.size > 0)
      return hubspot.upsertDeals(
        part.map((input, i) => (culprits.has(i) ? withoutCreateOnly(input) : input)),
      );
    if (part.length > 1) throw err;
    return hubspot.upsertDeals(part.map(withoutCreateOnly));
  }
  const again = outcome.errors.filter(
    (e) => isCreateOnly(e.property) && part[e.index] && hasCreateOnly(part[e.index]!),
  );
  if (again.length === 0) return outcome;
  const retryInputs = again.map((e) => withoutCreateOnly(part[e.index]!));
  const retried = await hubspot.upsertDeals(retryInputs);
  const retriedIndexes = new Set(again.map((e) => e.index));
  return {
    results: [...outcome.results, ...retried.results],
    errors: [
      ...outcome.errors.filter((e) => !retriedIndexes.has(e.index)),
      ...retried.errors.map((e) => ({ ...e, index: again[e.index]?.index ?? e.index })),
    ],
  };
}

export async function upsertDeals(
  hubspot: HubspotPort,
  inputs: DealUpsertInput[],
): Promise<{ results: DealUpsertResult[]; failures: InputFailure<DealUpsertInput>[] }> {
  const results: DealUpsertResult[] = [];
  // Batches of ≤ 100 side by side (the transport paces them); each isolates its own bad inputs.
  const failures = await Promise.all(
    chunk(inputs, BATCH_SIZE).map((batch) =>
      writeIsolating(batch, async (part) => {
        const outcome = await upsertOnce(hubspot, part);
        results.push(...outcome.results);
        return outcome.errors.flatMap((e) => {
          const input = part[e.index];
          return input ? [{ input, code: e.code, message: e.message, field: e.property ?? null }] : [];
        });
      }),
    ),
  );
  return { results, failures: failures.flat() };
}

/**
 * Upserts `upserts`, and creates `creates` (deals believed new) with their associations inline.
 * A create batch HubSpot refuses as a whole — a deal that exists after all
 * (crash replay: its `salesforce_opportunity_id` is taken), an association to a record gone
 * meanwhile, one bad input — and inputs it refuses one by one go the upsert way instead, which
 * isolates bad inputs; their associations are then written by the caller's diff.
 * `inline` holds the opportunities whose associations were created with the deal.
 */
export async function writeDeals(
  hubspot: HubspotPort,
  upserts: DealUpsertInput[],
  creates: DealCreateInput[],
): Promise<{
  results: DealUpsertResult[];
  failures: InputFailure<DealUpsertInput>[];
  inline: Set<string>;
}> {
  const inline = new Set<string>();
  const fallback: DealUpsertInput[] = [];
  const created: DealUpsertResult[] = [];
  await Promise.all(
    chunk(creates, BATCH_SIZE).map(async (part) => {
      let outcome: BatchOutcome<DealUpsertResult>;
      try {
        outcome = await hubspot.createDeals(part);
      } catch (err) {
        if (isPassLevel(err) || !(err instanceof BatchRejectedError || err instanceof DealbridgeError))
          throw err;
        fallback.push(...part.map(toUpsert));
        return;
      }
      const refused = new Set(outcome.errors.map((e) => e.index));
      const answered = new Set(outcome.results.map((r) => r.opportunityId));
      for (const r of outcome.results) {
        created.push(r);
        inline.add(r.opportunityId);
      }
      part.forEach((input, i) => {
        if (refused.has(i) || !answered.has(input.opportunityId)) fallback.push(toUpsert(input));
      });
    }),
  );
  const upserted = await upsertDeals(hubspot, [...upserts, ...fallback]);
  return { results: [...created, ...upserted.results], failures: upserted.failures, inline };
}

function toUpsert(input: DealCreateInput): DealUpsertInput {
  return { opportunityId: input.opportunityId, properties: input.properties };
}

/** Writes association changes; returns the inputs that could not be written. */
export async function writeAssociations(
  hubspot: HubspotPort,
  op: 'associate' | 'dissociate',
  toType: 'contacts' | 'companies',
  inputs: HsAssociationInput[],
): Promise<InputFailure<HsAssociationInput>[]> {
  // Creates go in batches of up to ASSOCIATION_BATCH_SIZE; removals (batch/archive) in 100s.
  const size = op === 'associate' ? ASSOCIATION_BATCH_SIZE : BATCH_SIZE;
  const failures = await Promise.all(
    chunk(inputs, size).map((batch) =>
      writeIsolating(batch, async (part) => {
        await hubspot[op](toType, part);
        return [];
      }),
    ),
  );
  return failures.flat();
}
