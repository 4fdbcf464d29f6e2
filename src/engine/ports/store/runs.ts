// The runs area of the StateStore (src/store/areas/runs.ts): pass summaries and import runs.
import type { ImportRun, PassSummary } from '../store.js';

/** The counting fields of an import run. */
export type ImportRunCounts = Pick<
  ImportRun,
  'processed' | 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed'
>;

export interface RunStore {
  savePassSummary(summary: PassSummary): Promise<void>;
  lastPassSummary(kind: PassSummary['kind']): Promise<PassSummary | undefined>;

  createImportRun(run: ImportRun): Promise<void>;
  updateImportRun(id: string, patch: Partial<Omit<ImportRun, 'id'>>): Promise<void>;
  /**
   * Adds to the run's counts in one statement (`processed = processed + n`): the batches of a run
   * the workers share (src/worker) are stored side by side, and a read-then-write would lose some.
   */
  addImportRunCounts(id: string, delta: ImportRunCounts): Promise<void>;
  getImportRun(id: string): Promise<ImportRun | undefined>;
  listImportRuns(limit: number): Promise<ImportRun[]>;
}
