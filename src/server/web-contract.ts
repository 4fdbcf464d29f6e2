// The web UI keeps its own copy of the API's response types (web/src/types.ts): the browser bundle
// must not pull in server modules (Node types, the store, the SDKs). This file makes the copy
// unable to drift: `npm run typecheck` fails as soon as a server view stops being assignable to
// what the pages read. It holds types only and emits nothing.
import type * as Web from '../../web/src/types.js';
import type { ImportPreview } from '../engine/import/preview.js';
import type { ImportProgress } from '../engine/import/progress.js';
import type { AuditEntry, ImportRun } from '../engine/ports/store.js';
import type { ResyncResult } from './actions/resync.js';
import type { ImportJob } from './import-jobs.js';
import type { ErrorGroup, HealthView } from './queries/health-view.js';
import type { OpportunityHit } from './queries/opportunity-search.js';
import type { RecordView } from './queries/record-view.js';
import type { SettingsView, StageRow } from './queries/settings-view.js';

/** Compiles only when `Server` can be handed to a page that expects `Page`. */
type Serves<Server extends Page, Page> = [Server, Page];

export type WebContract = [
  Serves<HealthView, Web.HealthView>,
  Serves<ErrorGroup, Web.ErrorGroup>,
  Serves<SettingsView, Web.SettingsView>,
  Serves<StageRow, Web.StageRow>,
  Serves<RecordView, Web.RecordView>,
  Serves<AuditEntry, Web.AuditEntry>,
  Serves<OpportunityHit, Web.OpportunityHit>,
  Serves<ImportJob, Web.ImportJob>,
  Serves<ImportProgress, Web.ImportProgress>,
  Serves<ImportPreview, Web.ImportPreview>,
  Serves<ImportRun, Web.ImportRun>,
  Serves<ResyncResult, Web.ResyncResult>,
];
