// The runs area of the StateStore (src/store/areas/runs.ts): pass summaries and import runs.
import type { ImportRun, PassSummary } from '../store.js';

export interface RunStore {
  savePassSummary(summary: PassSummary): Promise<void>;
  lastPassSummary(kind: PassSummary['kind']): Promise<PassSummary | undefined>;

  createImportRun(run: ImportRun): Promise<void>;
  updateImportRun(id: string, patch: Partial<Omit<ImportRun, 'id'>>): Promise<void>;
  getImportRun(id: string): Promise<ImportRun | undefined>;
  listImportRuns(limit: number): Promise<ImportRun[]>;
}
