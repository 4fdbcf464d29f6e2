// The import as the web UI runs it: the same `previewImport` / `runImport` as `dealbridge import
// [--dry-run]`, started in the background, with their progress kept for the "Import status" view
// and pushed to open tabs. One job at a time (the engine's lease also guards against an import
// started from the CLI or another process).
import { previewImport, runImport, type ImportPreview, type ImportProgress } from '../engine/import/index.js';
import type { Runtime } from '../composition/runtime.js';
import type { LiveHub } from './live.js';
import { publicError } from './redact.js';

export type JobKind = 'preview' | 'import';

export interface ImportJob {
  kind: JobKind;
  state: 'running' | 'done' | 'failed' | 'stopping';
  startedAt: string;
  finishedAt: string | null;
  progress: ImportProgress | null;
  preview: ImportPreview | null;
  error: { code: string; message: string } | null;
}

export class JobBusyError extends Error {
  readonly code = 'IMPORT_RUNNING';
  constructor(kind: JobKind) {
    super(`a${kind === 'import' ? 'n import' : ' preview'} is already running`);
  }
}

/** Progress pushes are thinned to this interval (the last one of a run is always sent). */
const PUSH_EVERY_MS = 250;

export class ImportJobs {
  current: ImportJob | null = null;
  private controller: AbortController | null = null;
  private running: Promise<void> | null = null;
  private lastPush = 0;

  constructor(
    private readonly runtime: Runtime,
    private readonly hub: LiveHub,
    private readonly secrets: readonly string[],
    /** Called after an import wrote records (the sync's mapping context stays valid). */
    private readonly onFinished: () => void = () => {},
  ) {}

  start(kind: JobKind): ImportJob {
    if (this.current && (this.current.state === 'running' || this.current.state === 'stopping'))
      throw new JobBusyError(this.current.kind);
    const job: ImportJob = {
      kind,
      state: 'running',
      startedAt: new Date().toISOString(),
      finishedAt: null,
      progress: null,
      preview: null,
      error: null,
    };
    this.current = job;
    this.controller = new AbortController();
    const signal = this.controller.signal;
    this.running = this.execute(job, signal);
    this.publish(job, true);
    return job;
  }

  /** Stops an import after the batch in flight; the run stays paused and resumes with the next start. */
  stop(): boolean {
    if (!this.current || this.current.state !== 'running' || this.current.kind !== 'import') return false;
    this.current.state = 'stopping';
    this.controller?.abort();
    this.publish(this.current, true);
    return true;
  }

  /** Waits for the job in flight (server shutdown, tests). */
  async settle(): Promise<void> {
    this.controller?.abort();
    await this.running;
  }

  private async execute(job: ImportJob, signal: AbortSignal): Promise<void> {
    const onProgress = (p: ImportProgress) => {
      job.progress = p;
      this.publish(job, p.phase !== 'deals');
    };
    try {
      const deps = {
        salesforce: await this.runtime.salesforce(),
        hubspot: await this.runtime.hubspot(),
        store: this.runtime.store,
      };
      if (job.kind === 'preview') job.preview = await previewImport(deps, { samples: 5, onProgress });
      else await runImport(deps, { onProgress, signal });
      job.state = 'done';
    } catch (err) {
      job.state = 'failed';
      job.error = publicError(err, this.secrets);
    } finally {
      job.finishedAt = new Date().toISOString();
      this.publish(job, true);
      if (job.kind === 'import') this.onFinished();
    }
  }

  private publish(job: ImportJob, force: boolean): void {
    const t = Date.now();
    if (!force && t - this.lastPush < PUSH_EVERY_MS) return;
    this.lastPush = t;
    this.hub.publish('import', {
      kind: job.kind,
      state: job.state,
      ...(job.progress
        ? {
            phase: job.progress.phase,
            processed: job.progress.processed,
            total: job.progress.total,
          }
        : {}),
    });
  }
}
