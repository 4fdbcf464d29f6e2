// Import from Salesforce › Opportunities linked to contacts: preview (dry run), start, and the
// Import status dashboard with live progress and the history of runs.
import { send } from '../api';
import { Loading, Notice, TableWrap, useAction, useData } from '../components/common';
import { ProgressBar } from '../components/ProgressBar';
import { duration, num, when } from '../format';
import { useLive } from '../live';
import { navigate } from '../router';
import type { ImportJob, ImportPreview, ImportProgress, ImportRun } from '../types';

interface ImportState {
  job: ImportJob | null;
  runs: ImportRun[];
}

const reasonLabels: Record<string, string> = {
  no_contact_role: 'no contact role',
  no_contact_in_hubspot: 'no contact in HubSpot',
};

export function ImportPage() {
  const state = useData<ImportState>('/api/import');
  const job = state.data?.job ?? null;
  const runs = state.data?.runs ?? [];
  const running = job?.state === 'running' || job?.state === 'stopping' || runs[0]?.status === 'running';
  useLive(['import'], () => void state.reload(), running ? 2000 : 15_000);
  const action = useAction();
  const start = (kind: 'preview' | 'start') =>
    void action.run(async () => {
      await send('POST', `/api/import/${kind}`);
      await state.reload();
      return kind === 'preview' ? 'Preview started: nothing is written to HubSpot.' : 'Import started.';
    });
  const preview = job?.kind === 'preview' ? job : null;
  const realRuns = runs.filter((r) => r.status !== 'dry-run');
  const lastPreview = preview?.preview ?? null;
  return (
    <>
      <h1>Import from Salesforce</h1>
      <p className="crumbs" aria-label="Import type">
        Import from Salesforce <span aria-hidden="true">›</span> Opportunities linked to contacts
      </p>
      {state.error && <Notice kind="error" message={state.error} />}
      {!state.data && !state.error && <Loading what="imports" />}
      <section className="card" aria-labelledby="olc-h">
        <h2 id="olc-h">Opportunities linked to contacts</h2>
        <p className="hint">
          Imports every existing opportunity with a contact role whose contact is in HubSpot, through the same
          mapping as the sync. Preview first: it counts what would change, without writing to HubSpot. An
          interrupted import resumes where it stopped.
        </p>
        <div className="buttons">
          <button
            type="button"
            className="secondary"
            disabled={running || action.busy}
            onClick={() => start('preview')}
          >
            Preview import
          </button>
          <button type="button" disabled={running || action.busy} onClick={() => start('start')}>
            Start import
          </button>
        </div>
        <Notice message={action.message} kind={action.kind} />
        {preview?.state === 'running' && (
          <ProgressBar
            label="Preview progress"
            value={preview.progress?.processed ?? 0}
            max={preview.progress?.total ?? null}
          />
        )}
        {preview?.state === 'failed' && (
          <Notice kind="error" message={`Preview failed: ${preview.error?.message ?? ''}`} />
        )}
        {lastPreview && <PreviewResult p={lastPreview} />}
      </section>
      <section className="card" aria-labelledby="status-h">
        <h2 id="status-h">Import status</h2>
        <ImportStatus job={job?.kind === 'import' ? job : null} latest={realRuns[0] ?? null} />
      </section>
      <section className="card" aria-labelledby="history-h">
        <h2 id="history-h">History</h2>
        {runs.length === 0 ? (
          <p className="hint">No import has run yet.</p>
        ) : (
          <TableWrap label="Import runs">
            <table className="stack">
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="n">
                    Processed
                  </th>
                  <th scope="col" className="n">
                    Created
                  </th>
                  <th scope="col" className="n">
                    Updated
                  </th>
                  <th scope="col" className="n">
                    Unchanged
                  </th>
                  <th scope="col" className="n">
                    Skipped
                  </th>
                  <th scope="col" className="n">
                    Failed
                  </th>
                  <th scope="col">Finished</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{when(r.startedAt)}</th>
                    <td data-label="Status">
                      <span className={`tag ${r.status}`}>
                        {r.status === 'dry-run' ? 'preview' : r.status}
                      </span>
                    </td>
                    <td className="n" data-label="Processed">
                      {num(r.processed)}
                      {r.total ? ` / ${num(r.total)}` : ''}
                    </td>
                    <td className="n" data-label="Created">
                      {num(r.created)}
                    </td>
                    <td className="n" data-label="Updated">
                      {num(r.updated)}
                    </td>
                    <td className="n" data-label="Unchanged">
                      {num(r.unchanged)}
                    </td>
                    <td className="n" data-label="Skipped">
                      {num(r.skipped)}
                    </td>
                    <td className="n" data-label="Failed">
                      {num(r.failed)}
                    </td>
                    <td data-label="Finished">{when(r.finishedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
    </>
  );
}

function PreviewResult({ p }: { p: ImportPreview }) {
  const samples = [...p.samples.create, ...p.samples.update, ...p.samples.skip, ...p.samples.unchanged];
  return (
    <div className="preview" aria-labelledby="preview-h">
      <h3 id="preview-h">Preview</h3>
      <dl className="stats" aria-label="What the import would do">
        <div>
          <dt>To create</dt>
          <dd data-testid="preview-create">{num(p.create)}</dd>
        </div>
        <div>
          <dt>To update</dt>
          <dd>{num(p.update)}</dd>
        </div>
        <div>
          <dt>Unchanged</dt>
          <dd>{num(p.unchanged)}</dd>
        </div>
        <div>
          <dt>Skipped</dt>
          <dd>{num(p.skip)}</dd>
        </div>
      </dl>
      {Object.keys(p.skippedByReason).length > 0 && (
        <p className="hint">
          Skipped:{' '}
          {Object.entries(p.skippedByReason)
            .map(([k, n]) => `${num(n)} ${reasonLabels[k] ?? k}`)
            .join(', ')}
          .
        </p>
      )}
      <TableWrap label="Sample rows">
        <table className="stack">
          <caption>Sample rows</caption>
          <thead>
            <tr>
              <th scope="col">Opportunity</th>
              <th scope="col">Action</th>
              <th scope="col">Deal stage / amount, or reason</th>
            </tr>
          </thead>
          <tbody>
            {samples.map((r) => (
              <tr key={`${r.action}-${r.opportunityId}`}>
                <th scope="row">
                  {r.name} <span className="meta">{r.opportunityId}</span>
                </th>
                <td data-label="Action">
                  <span className={`tag ${r.action}`}>{r.action}</span>
                </td>
                <td data-label="Deal stage / amount, or reason">
                  {r.action === 'skip'
                    ? (reasonLabels[r.reason ?? ''] ?? r.reason)
                    : r.properties
                      ? `${r.properties.dealstage ?? '—'} · ${r.properties.amount ?? 'no amount'}`
                      : 'no change'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </div>
  );
}

function ImportStatus({ job, latest }: { job: ImportJob | null; latest: ImportRun | null }) {
  const p: ImportProgress | null =
    job?.progress ??
    (latest
      ? {
          runId: latest.id,
          phase:
            latest.status === 'running'
              ? 'deals'
              : latest.status === 'completed'
                ? 'done'
                : latest.status === 'failed'
                  ? 'failed'
                  : 'paused',
          processed: latest.processed,
          total: latest.total,
          created: latest.created,
          updated: latest.updated,
          unchanged: latest.unchanged,
          skipped: latest.skipped,
          failed: latest.failed,
          elapsedMs: 0,
          ratePerSecond: 0,
          etaSeconds: null,
        }
      : null);
  const stopAction = useAction();
  if (!p) return <p className="hint">No import yet. Preview, then start one above.</p>;
  const phase =
    job?.state === 'stopping'
      ? 'Stopping after the batch in flight…'
      : {
          deals: 'Importing opportunities…',
          rollups: 'Writing contact and company rollups…',
          done: 'Completed',
          paused: 'Paused — start the import again to resume',
          failed: 'Failed',
        }[p.phase];
  const done = p.phase === 'done' && p.total !== null ? p.total : p.processed;
  return (
    <div data-testid="import-status">
      <p className="phase" data-testid="import-phase">
        {phase}
      </p>
      <ProgressBar
        label="Import progress"
        value={p.phase === 'done' ? done : p.processed}
        max={p.phase === 'done' && p.total === null ? p.processed : p.total}
      />
      <dl className="stats" aria-label="Import counts">
        <div>
          <dt>Processed</dt>
          <dd>
            {num(p.processed)}
            {p.total !== null ? ` / ${num(p.total)}` : ''}
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd data-testid="import-created">{num(p.created)}</dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>{num(p.updated)}</dd>
        </div>
        <div>
          <dt>Unchanged</dt>
          <dd>{num(p.unchanged)}</dd>
        </div>
        <div>
          <dt>Skipped</dt>
          <dd>{num(p.skipped)}</dd>
        </div>
        <div>
          <dt>Errors</dt>
          <dd>
            {p.failed > 0 ? (
              <a href="/health" onClick={(e) => (e.preventDefault(), navigate('/health'))}>
                {num(p.failed)}
              </a>
            ) : (
              '0'
            )}
          </dd>
        </div>
        <div>
          <dt>Rate</dt>
          <dd>{p.ratePerSecond > 0 ? `${num(Math.round(p.ratePerSecond))} / s` : '—'}</dd>
        </div>
        <div>
          <dt>Time left</dt>
          <dd>{p.phase === 'deals' ? duration(p.etaSeconds) : '—'}</dd>
        </div>
      </dl>
      {job?.error && <Notice kind="error" message={`${job.error.code}: ${job.error.message}`} />}
      {latest?.message && p.phase !== 'deals' && <p className="meta">{latest.message}</p>}
      {job?.state === 'running' && (
        <button
          type="button"
          className="secondary"
          disabled={stopAction.busy}
          onClick={() => void stopAction.run(async () => void (await send('POST', '/api/import/stop')))}
        >
          Stop import
        </button>
      )}
    </div>
  );
}
