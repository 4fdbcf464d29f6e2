// `dealbridge import` (S5): every existing opportunity with a contact role whose contact is in
// HubSpot, through the sync's own batch machinery (mapping, scope, companies, isolating upserts,
// association diff, errors, audit). Streams the org ordered by Id (never the whole org in memory),
// checkpoints the last Id of every stored batch in the import run (same transaction as the batch's
// outcome), and resumes after it — after a crash, a kill, a spent Salesforce budget or the pause
// switch (../pause.ts: read before every batch; the batches already writing finish and are stored,
// the run is left paused and its rollups wait for the resumed run).
//
// Running next to the sync loop is safe:
// - deals are upserted by the unique `salesforce_opportunity_id`: two writers can never create two
//   deals for one opportunity, and a replayed batch creates nothing;
// - writes are skipped when the mapped values' hash equals what the link says was written last;
// - a row the sync has already stored in a newer version (mirror SystemModstamp newer than the
//   row the import streamed) is left to the sync, so the import never writes an older version;
// - rollups are recomputed from the mirror both ways, and skipped when their fingerprint is the same.
import { randomUUID } from 'node:crypto';
import { instantMs } from '../../domain/salesforce.js';
import { DealbridgeError } from '../../errors/index.js';
import { loadSyncContext } from '../mapping/sync-context.js';

import { isPassLevel } from '../record-errors.js';
import {
  addCounts,
  emptyCounts,
  storeOutcome,
  syncOpportunityBatch,
  type BatchEnv,
  type Counts,
} from '../sync/batch.js';
import type { HubspotPort, SalesforcePort, SfOpportunityWithRoles } from '../ports/remote.js';
import { RollupContextLoader } from '../rollups/rollup-context.js';

import { applyRollups, type RollupResult } from '../rollups/pass.js';
import { readSettings, type Settings } from '../user-settings.js';
import type { ImportRun, StateStore } from '../ports/store.js';
import { acquireLease, processHolder, releaseLease, renewLease } from './lease.js';
import { DeferredImportRollups } from './deferred-rollups.js';
import { groupPages } from './group.js';
import { prefetchPage } from './prefetch.js';
import { rateAndEta, type ImportProgress } from './progress.js';
import { chunk } from '../../lib/chunk.js';
import { readPause } from '../pause.js';

/** Opportunities per import batch at most, and by default (see ImportOptions.batchSize). */
export const MAX_IMPORT_BATCH = 10_000;
export const DEFAULT_IMPORT_BATCH = 4_000;

export interface ImportDeps {
  salesforce: SalesforcePort;
  hubspot: HubspotPort;
  store: StateStore;
  now?: () => Date;
}

export interface ImportOptions {
  /**
   * Opportunities per batch and checkpoint (default 4,000: two Salesforce pages; at most 10,000).
   * The batch code writes in HubSpot's batches of 100 side by side. Bigger batches fill HubSpot's
   * calls better (see group.ts) but hold more in memory; smaller ones checkpoint more often.
   * Measured on 100,000 opportunities: 2,000 → 2,088 HubSpot calls, 261 MB; 4,000 → 2,028, 289 MB;
   * 5,000 → 2,017, 300 MB.
   */
  batchSize?: number;
  onProgress?: (p: ImportProgress) => void;
  /** Batches writing to HubSpot at the same time (default 3; 1 = strictly one after the other). */
  concurrency?: number;
  /** Stops cleanly after the batch in flight (Ctrl-C); the run is left paused, to resume. */
  signal?: AbortSignal;
  /** Start a new run even when the last one is unfinished (its checkpoint is ignored). */
  restart?: boolean;
}

export interface ImportResult {
  run: ImportRun;
  resumed: boolean;
  /** Stopped by the pause switch (`dealbridge pause`): the run is paused, to resume after `resume`. */
  paused: boolean;
  rollups: RollupResult | null;
  skippedByReason: Record<string, number>;
}

/** The newest run that did not finish (resumable), if it is the newest real run. */
export async function resumableRun(store: StateStore): Promise<ImportRun | undefined> {
  const runs = (await store.listImportRuns(20)).filter((r) => r.status !== 'dry-run');
  const last = runs[0];
  return last && (last.status === 'running' || last.status === 'paused' || last.status === 'failed')
    ? last
    : undefined;
}

export function budgetReached(salesforce: SalesforcePort, settings: Settings): DealbridgeError | null {
  const u = salesforce.usage();
  if (!u || u.max <= 0) return null;
  const limit = Math.floor((u.max * settings.salesforceBudgetPercent) / 100);
  if (u.used < limit) return null;
  return new DealbridgeError(
    'SALESFORCE_LIMIT_REACHED',
    `Salesforce API usage ${u.used}/${u.max} has reached dealbridge's budget (${settings.salesforceBudgetPercent} % = ${limit}); the import resumes where it stopped with the next \`dealbridge import\``,
  );
}

/** Rows the sync has already stored in a newer version: left to the sync. */
export async function withoutStale(store: StateStore, batch: SfOpportunityWithRoles[]) {
  const mirrors = await store.getOpportunities(batch.map((o) => o.Id));
  const fresh = batch.filter((o) => {
    const m = mirrors.get(o.Id);
    return !m || instantMs(m.systemModstamp) <= instantMs(o.SystemModstamp);
  });
  return { fresh, stale: batch.length - fresh.length };
}

export async function runImport(deps: ImportDeps, opts: ImportOptions = {}): Promise<ImportResult> {
  const { store, salesforce } = deps;
  const now = deps.now ?? (() => new Date());
  const batchSize = Math.max(1, Math.min(MAX_IMPORT_BATCH, opts.batchSize ?? DEFAULT_IMPORT_BATCH));
  const window = Math.max(1, opts.concurrency ?? 3);
  const holder = processHolder();
  await acquireLease(store, holder, now());
  try {
    const settings = await readSettings(store);
    const budget = budgetReached(salesforce, settings);
    if (budget) throw budget;
    const ctx = await loadSyncContext(deps, settings, now().getTime());
    const previous = opts.restart ? undefined : await resumableRun(store);
    if (previous && opts.restart !== true) {
      await store.updateImportRun(previous.id, { status: 'running', finishedAt: null, message: null });
    }
    const total = await salesforce.countOpportunities();
    const run: ImportRun = previous
      ? { ...previous, status: 'running', finishedAt: null, message: null, total: total ?? previous.total }
      : {
          id: randomUUID(),
          status: 'running',
          startedAt: now().toISOString(),
          finishedAt: null,
          checkpointId: null,
          total,
          processed: 0,
          created: 0,
          updated: 0,
          unchanged: 0,
          skipped: 0,
          failed: 0,
          message: null,
        };
    if (!previous) await store.createImportRun(run);
    else if (total !== null) await store.updateImportRun(run.id, { total });
    await renewLeaseNow(store, holder, run.id, now());

    const pending = await DeferredImportRollups.load(store, run.id);
    const counts: Counts = emptyCounts();
    const started = now().getTime();
    const processedAtStart = run.processed;
    const progress = (phase: ImportProgress['phase']): ImportProgress => {
      const elapsedMs = now().getTime() - started;
      return {
        runId: run.id,
        phase,
        processed: run.processed,
        total: run.total,
        created: run.created,
        updated: run.updated,
        unchanged: run.unchanged,
        skipped: run.skipped,
        failed: run.failed,
        elapsedMs,
        ...rateAndEta(run.processed, processedAtStart, elapsedMs, run.total),
      };
    };

    let stopped: DealbridgeError | 'aborted' | 'paused' | null = null;
    const pausedNow = async () => (await readPause(store)).paused;
    try {
      const pages = salesforce.allOpportunities(run.checkpointId, { extraFields: ctx.extraFields });
      outer: for await (const page of groupPages(pages, batchSize)) {
        // The page's look-ups write nothing, but a paused import should not spend calls either.
        if (await pausedNow()) {
          stopped = 'paused';
          break;
        }
        await prefetchPage(deps, page, settings);
        // Up to `window` batches write to HubSpot at once (the transport paces them all); their
        // outcomes and checkpoints are stored strictly in order, so the checkpoint never passes a
        // batch that is not stored. A kill replays at most `window` batches, all idempotent.
        let chain: Promise<void> = Promise.resolve();
        const inflight: Promise<void>[] = [];
        // The chain never rejects: the first failure is kept, later links skip, and it is thrown here.
        let failure: { err: unknown } | undefined;
        for (const batch of chunk(page, batchSize)) {
          if (failure) break;
          if (opts.signal?.aborted || (await pausedNow())) {
            stopped = opts.signal?.aborted ? 'aborted' : 'paused';
            await chain;
            break outer;
          }
          const work = (async () => {
            // The import brings what the sync's scope contract leaves to it: T does not bind it.
            const env: BatchEnv = { ...deps, settings, ctx, now: now(), syncStartedAt: null };
            const { fresh, stale } = await withoutStale(store, batch);
            const outcome = await syncOpportunityBatch(env, fresh, {
              reason: 'import',
              cheapSkip: false,
              runId: run.id,
            });
            outcome.counts.unchanged += stale;
            return outcome;
          })();
          work.catch(() => undefined);
          chain = chain.then(async () => {
            if (failure) return;
            const outcome = await work;
            addCounts(counts, outcome.counts);
            const last = batch[batch.length - 1] as SfOpportunityWithRoles;
            const next = {
              checkpointId: last.Id,
              processed: run.processed + batch.length,
              created: run.created + outcome.counts.created,
              updated: run.updated + outcome.counts.updated + outcome.counts.archived,
              unchanged: run.unchanged + outcome.counts.unchanged,
              skipped: run.skipped + outcome.counts.skipped,
              failed: run.failed + outcome.counts.failed,
            };
            const writePending = pending.add(outcome);
            await storeOutcome(store, outcome, async () => {
              await store.updateImportRun(run.id, next);
              if (writePending) await writePending(store);
              await renewLease(store, holder, run.id, now());
            });
            Object.assign(run, next);
            opts.onProgress?.(progress('deals'));
          });
          chain = chain.catch((err: unknown) => {
            failure ??= { err };
          });
          inflight.push(chain);
          if (inflight.length >= window) await inflight.shift();
        }
        await chain;
        if (failure) throw failure.err;
        const spent = budgetReached(salesforce, settings);
        if (spent) {
          stopped = spent;
          break;
        }
      }
    } catch (err) {
      if (!isPassLevel(err)) {
        await store.updateImportRun(run.id, {
          status: 'failed',
          finishedAt: now().toISOString(),
          message: err instanceof Error ? err.message : String(err),
        });
        opts.onProgress?.(progress('failed'));
        throw err;
      }
      stopped = err as DealbridgeError;
    }

    // Rollups of everything the run touched (also on a clean stop: the ids stay pending, a resumed
    // run recomputes them, unchanged ones cost no call), unless paused: they write to HubSpot.
    let rollups: RollupResult | null = null;
    if (stopped !== 'paused') {
      opts.onProgress?.(progress('rollups'));
      try {
        rollups = await importRollups(deps, pending, run, {
          portalCurrency: ctx.portalCurrency,
          startedAt: new Date(started).toISOString(),
        });
        if (!stopped) await pending.clear(store);
      } catch (err) {
        if (!isPassLevel(err)) throw err;
        stopped ??= err as DealbridgeError;
      }
    }

    const rollupNote = rollups
      ? `rollups: ${rollups.contacts.updated} contacts, ${rollups.companies.updated} companies written; ${rollups.contacts.lifecycle} lifecycle stages moved; ${rollups.contacts.failed + rollups.companies.failed} failed`
      : null;
    const patch: Partial<ImportRun> = stopped
      ? {
          status: 'paused',
          message: [
            stopped === 'aborted'
              ? 'stopped by the user'
              : stopped === 'paused'
                ? 'stopped by `dealbridge pause`: after `dealbridge resume`, `dealbridge import` resumes it'
                : `${stopped.code}: ${stopped.message}`,
            rollupNote,
          ]
            .filter(Boolean)
            .join('; '),
        }
      : { status: 'completed', finishedAt: now().toISOString(), message: rollupNote };
    await store.updateImportRun(run.id, patch);
    Object.assign(run, patch);
    opts.onProgress?.(progress(stopped ? 'paused' : 'done'));
    return {
      run,
      resumed: previous !== undefined,
      paused: stopped === 'paused',
      rollups,
      skippedByReason: counts.skippedByReason,
    };
  } finally {
    await releaseLease(store, holder);
  }
}

/**
 * The rollups at the end of a run: everything it touched up to its checkpoint, in pages read from
 * the mirror (memory stays flat whatever the number of contacts). Stages the look-ups of this run
 * read (kept with the links) are reused when read since `startedAt` (≤ 30 min old).
 */
export async function importRollups(
  deps: ImportDeps,
  pending: DeferredImportRollups,
  run: Pick<ImportRun, 'id' | 'checkpointId'>,
  opts: { portalCurrency: string | undefined; startedAt: string },
): Promise<RollupResult> {
  const context = await new RollupContextLoader(deps).load({ portalCurrency: opts.portalCurrency });
  const sum = emptyRollupResult();
  for await (const part of pending.touched(run.checkpointId)) {
    addRollups(
      sum,
      await applyRollups(deps, part, { context, runId: run.id, stagesReadSince: opts.startedAt }),
    );
  }
  return sum;
}

function emptyRollupResult(): RollupResult {
  const zero = () => ({ updated: 0, unchanged: 0, notLinked: 0, failed: 0, lifecycle: 0 });
  return { contacts: zero(), companies: zero() };
}

function addRollups(into: RollupResult, r: RollupResult): void {
  for (const kind of ['contacts', 'companies'] as const) {
    for (const k of Object.keys(r[kind]) as (keyof RollupResult['contacts'])[]) into[kind][k] += r[kind][k];
  }
}

async function renewLeaseNow(store: StateStore, holder: string, runId: string, at: Date): Promise<void> {
  await store.transaction(() => renewLease(store, holder, runId, at));
}
