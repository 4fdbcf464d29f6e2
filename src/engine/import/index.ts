export {
  DEFAULT_IMPORT_BATCH,
  MAX_IMPORT_BATCH,
  runImport,
  resumableRun,
  type ImportDeps,
  type ImportOptions,
  type ImportResult,
} from './run.js';
export { previewImport, type ImportPreview, type PreviewRow, type PreviewAction } from './preview.js';
export { progressLine, formatDuration, type ImportProgress } from './progress.js';
export { ImportRunningError, IMPORT_LEASE_SETTING } from './lease.js';
