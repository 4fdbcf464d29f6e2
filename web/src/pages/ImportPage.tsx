// Import from Salesforce › Opportunities linked to contacts: preview (dry run), start, and the
// Import status dashboard with live progress and the history of runs.
import { useTranslation } from 'react-i18next';
import { ApiError, errorText, send } from '../api';
import { Loading, Notice, TableWrap, useAction, useData } from '../components/common';
import { ProgressBar } from '../components/ProgressBar';
import { duration, money, num, when } from '../format';
import { en } from '../i18n/en';
import { useLive } from '../live';
import { navigate } from '../router';
import type { ImportJob, ImportPreview, ImportProgress, ImportRun } from '../types';

interface ImportState {
  job: ImportJob | null;
  runs: ImportRun[];
}

type Reason = keyof typeof en.import.reasons;
const isReason = (r: string): r is Reason => Object.hasOwn(en.import.reasons, r);

export function ImportPage() {
  const { t } = useTranslation();
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
      return kind === 'preview' ? t('import.previewStarted') : t('import.started');
    });
  const preview = job?.kind === 'preview' ? job : null;
  const realRuns = runs.filter((r) => r.status !== 'dry-run');
  const lastPreview = preview?.preview ?? null;
  return (
    <>
      <h1>{t('import.h1')}</h1>
      <p className="crumbs" aria-label={t('import.crumbsLabel')}>
        {t('import.h1')} <span aria-hidden="true">›</span> {t('import.olc')}
      </p>
      {state.error && <Notice kind="error" message={state.error} />}
      {!state.data && !state.error && <Loading what={t('import.loadingWhat')} />}
      <section className="card" aria-labelledby="olc-h">
        <h2 id="olc-h">{t('import.olc')}</h2>
        <p className="hint">{t('import.hint')}</p>
        <div className="buttons">
          <button
            type="button"
            className="secondary"
            disabled={running || action.busy}
            onClick={() => start('preview')}
          >
            {t('import.preview')}
          </button>
          <button type="button" disabled={running || action.busy} onClick={() => start('start')}>
            {t('import.start')}
          </button>
        </div>
        <Notice message={action.message} kind={action.kind} />
        {preview?.state === 'running' && (
          <ProgressBar
            label={t('import.previewProgress')}
            value={preview.progress?.processed ?? 0}
            max={preview.progress?.total ?? null}
          />
        )}
        {preview?.state === 'failed' && (
          <Notice
            kind="error"
            message={t('import.previewFailed', { message: preview.error?.message ?? '' })}
          />
        )}
        {lastPreview && <PreviewResult p={lastPreview} />}
      </section>
      <section className="card" aria-labelledby="status-h">
        <h2 id="status-h">{t('import.status')}</h2>
        <ImportStatus job={job?.kind === 'import' ? job : null} latest={realRuns[0] ?? null} />
      </section>
      <section className="card" aria-labelledby="history-h">
        <h2 id="history-h">{t('import.history')}</h2>
        {runs.length === 0 ? (
          <p className="hint">{t('import.noRuns')}</p>
        ) : (
          <TableWrap label={t('import.runsLabel')}>
            <table className="stack">
              <thead>
                <tr>
                  <th scope="col">{t('import.col.started')}</th>
                  <th scope="col">{t('import.col.status')}</th>
                  {(['processed', 'created', 'updated', 'unchanged', 'skipped', 'failed'] as const).map(
                    (c) => (
                      <th key={c} scope="col" className="n">
                        {t(`import.col.${c}`)}
                      </th>
                    ),
                  )}
                  <th scope="col">{t('import.col.finished')}</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{when(r.startedAt)}</th>
                    <td data-label={t('import.col.status')}>
                      <span className={`tag ${r.status}`}>{t(`import.runStatus.${r.status}`)}</span>
                    </td>
                    <td className="n" data-label={t('import.col.processed')}>
                      {num(r.processed)}
                      {r.total ? ` / ${num(r.total)}` : ''}
                    </td>
                    {(['created', 'updated', 'unchanged', 'skipped', 'failed'] as const).map((c) => (
                      <td key={c} className="n" data-label={t(`import.col.${c}`)}>
                        {num(r[c])}
                      </td>
                    ))}
                    <td data-label={t('import.col.finished')}>{when(r.finishedAt)}</td>
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
  const { t } = useTranslation();
  const reason = (r: string | undefined) => (r && isReason(r) ? t(`import.reasons.${r}`) : (r ?? ''));
  const samples = [...p.samples.create, ...p.samples.update, ...p.samples.skip, ...p.samples.unchanged];
  return (
    <div className="preview" aria-labelledby="preview-h">
      <h3 id="preview-h">{t('import.previewH')}</h3>
      <dl className="stats" aria-label={t('import.previewStats')}>
        <div>
          <dt>{t('import.toCreate')}</dt>
          <dd data-testid="preview-create">{num(p.create)}</dd>
        </div>
        <div>
          <dt>{t('import.toUpdate')}</dt>
          <dd>{num(p.update)}</dd>
        </div>
        <div>
          <dt>{t('import.col.unchanged')}</dt>
          <dd>{num(p.unchanged)}</dd>
        </div>
        <div>
          <dt>{t('import.col.skipped')}</dt>
          <dd>{num(p.skip)}</dd>
        </div>
      </dl>
      {Object.keys(p.skippedByReason).length > 0 && (
        <p className="hint">
          {t('import.skippedList', {
            list: Object.entries(p.skippedByReason)
              .map(([k, n]) => `${num(n)} ${reason(k)}`)
              .join(', '),
          })}
        </p>
      )}
      <TableWrap label={t('import.samples')}>
        <table className="stack">
          <caption>{t('import.samples')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('import.colOpportunity')}</th>
              <th scope="col">{t('import.colAction')}</th>
              <th scope="col">{t('import.colWhat')}</th>
            </tr>
          </thead>
          <tbody>
            {samples.map((r) => (
              <tr key={`${r.action}-${r.opportunityId}`}>
                <th scope="row" translate="no">
                  {r.name} <span className="meta">{r.opportunityId}</span>
                </th>
                <td data-label={t('import.colAction')}>
                  <span className={`tag ${r.action}`}>{t(`import.action.${r.action}`)}</span>
                </td>
                <td data-label={t('import.colWhat')}>
                  {r.action === 'skip' ? (
                    reason(r.reason)
                  ) : r.properties ? (
                    <>
                      <span translate="no">{r.properties.dealstage ?? '—'}</span> ·{' '}
                      {r.properties.amount ? money(r.properties.amount) : t('import.noAmount')}
                    </>
                  ) : (
                    t('import.noChange')
                  )}
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
  const { t } = useTranslation();
  const stopAction = useAction();
  if (!p) return <p className="hint">{t('import.none')}</p>;
  const phase = t(`import.phase.${job?.state === 'stopping' ? 'stopping' : p.phase}`);
  const done = p.phase === 'done' && p.total !== null ? p.total : p.processed;
  return (
    <div data-testid="import-status">
      <p className="phase" data-testid="import-phase">
        {phase}
      </p>
      <ProgressBar
        label={t('import.progress')}
        value={p.phase === 'done' ? done : p.processed}
        max={p.phase === 'done' && p.total === null ? p.processed : p.total}
      />
      <dl className="stats" aria-label={t('import.counts')}>
        <div>
          <dt>{t('import.col.processed')}</dt>
          <dd>
            {num(p.processed)}
            {p.total !== null ? ` / ${num(p.total)}` : ''}
          </dd>
        </div>
        <div>
          <dt>{t('import.col.created')}</dt>
          <dd data-testid="import-created">{num(p.created)}</dd>
        </div>
        <div>
          <dt>{t('import.col.updated')}</dt>
          <dd>{num(p.updated)}</dd>
        </div>
        <div>
          <dt>{t('import.col.unchanged')}</dt>
          <dd>{num(p.unchanged)}</dd>
        </div>
        <div>
          <dt>{t('import.col.skipped')}</dt>
          <dd>{num(p.skipped)}</dd>
        </div>
        <div>
          <dt>{t('import.errors')}</dt>
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
          <dt>{t('import.rate')}</dt>
          <dd>
            {p.ratePerSecond > 0 ? t('import.perSecond', { n: num(Math.round(p.ratePerSecond)) }) : '—'}
          </dd>
        </div>
        <div>
          <dt>{t('import.timeLeft')}</dt>
          <dd>{p.phase === 'deals' ? duration(p.etaSeconds) : '—'}</dd>
        </div>
      </dl>
      {job?.error && (
        <Notice kind="error" message={errorText(new ApiError(0, job.error.code, job.error.message))} />
      )}
      {latest?.message && p.phase !== 'deals' && (
        <p className="meta" lang="en">
          {latest.message}
        </p>
      )}
      {job?.state === 'running' && (
        <button
          type="button"
          className="secondary"
          disabled={stopAction.busy}
          onClick={() => void stopAction.run(async () => void (await send('POST', '/api/import/stop')))}
        >
          {t('import.stop')}
        </button>
      )}
    </div>
  );
}
