// Sync health: API calls against allocations, sync lag, the loop's state, and the error cards
// grouped by code with their fix, the affected records, "Resync selected" and CSV export; the
// warnings (records that synced with something left out) in cards of their own, below the errors.
// Dead letters (errors that failed 20 times or for 7 days) are counted in the overview and
// labelled in their cards: only "Resync selected" retries them. "Pause sync" / "Resume sync" is the
// safety switch that stops every write to HubSpot.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorText, send } from '../api';
import { ApiChart } from '../components/ApiChart';
import { PauseSwitch } from '../components/PauseSwitch';
import { LivePathLine } from '../components/LivePathLine';
import { CatalogueText, Loading, Notice, useAction, useData } from '../components/common';
import { duration, num, when } from '../format';
import { errorInfo } from '../i18n/errors';
import { useLive } from '../live';
import { navigate } from '../router';
import type { ErrorGroup, ErrorRecord, HealthView, ResyncResult } from '../types';

export function HealthPage() {
  const { t } = useTranslation();
  const health = useData<HealthView>('/api/health');
  useLive(['sync', 'errors', 'import', 'settings'], () => void health.reload(), 5000);
  const h = health.data;
  const [announcement, setAnnouncement] = useState<string | null>(null);
  return (
    <>
      <h1>{t('health.h1')}</h1>
      {health.error && <Notice kind="error" message={health.error} />}
      {!h && !health.error && <Loading what={t('health.loadingWhat')} />}
      {h && (
        <>
          <section className="card" aria-labelledby="overview-h">
            <h2 id="overview-h">{t('health.overview')}</h2>
            <dl className="stats">
              <div>
                <dt>{t('health.opportunitySync')}</dt>
                <dd>
                  {h.status.paused
                    ? t('app.paused')
                    : h.status.opportunitySync
                      ? t('common.on')
                      : t('common.off')}
                </dd>
              </div>
              <div>
                <dt>{t('health.lag')}</dt>
                <dd data-testid="sync-lag">{h.status.opportunitySync ? duration(h.lagSeconds) : '—'}</dd>
              </div>
              {h.status.livePath && <LivePathLine live={h.status.livePath} />}
              <div>
                <dt>{t('health.lastPass')}</dt>
                <dd>{when(h.loop.lastPassAt ?? h.status.lastPass?.finishedAt)}</dd>
              </div>
              <div>
                <dt>{t('health.recordsWithErrors')}</dt>
                <dd data-testid="errors-total">{num(h.status.errors.total)}</dd>
              </div>
              <div>
                <dt>{t('health.deadLetters')}</dt>
                <dd data-testid="dead-letters">{num(h.status.deadLetters)}</dd>
              </div>
              <div>
                <dt>{t('health.recordsWithWarnings')}</dt>
                <dd data-testid="warnings-total">{num(h.status.warnings.total)}</dd>
              </div>
              <div>
                <dt>{t('health.pendingContacts')}</dt>
                <dd>{num(h.status.pendingContacts)}</dd>
              </div>
              <div>
                <dt>{t('health.deletesKnown')}</dt>
                <dd data-testid="deletes-known">{when(h.status.deletes.checkedThrough)}</dd>
              </div>
            </dl>
            {h.status.deadLetters > 0 && (
              <p className="meta" data-testid="dead-letters-hint">
                {t('health.deadLettersHint', { count: h.status.deadLetters, n: num(h.status.deadLetters) })}
              </p>
            )}
            {h.status.deletes.lastFullComparison && (
              <p className="meta" data-testid="full-comparison">
                {t('health.fullComparison', {
                  at: when(h.status.deletes.lastFullComparison.finishedAt),
                  live: num(h.status.deletes.lastFullComparison.liveDeals),
                  missing: num(h.status.deletes.lastFullComparison.missing),
                  archived: num(h.status.deletes.lastFullComparison.archived),
                })}
              </p>
            )}
            {h.status.lastPass && (
              <p className="meta">
                {t('health.lastPassCounts', {
                  created: num(h.status.lastPass.created),
                  updated: num(h.status.lastPass.updated),
                  unchanged: num(h.status.lastPass.unchanged),
                  skipped: num(h.status.lastPass.skipped),
                  failed: num(h.status.lastPass.failed),
                })}
              </p>
            )}
            <PauseSwitch paused={h.status.paused} since={h.status.pausedSince} reload={health.reload} />
            <p className="meta">
              {h.loop.enabled
                ? h.loop.running
                  ? t('health.loopRuns', { every: duration(h.loop.intervalMs / 1000) })
                  : t('health.loopStopped')
                : t('health.loopOff')}
            </p>
            {h.loop.lastError && (
              <Notice
                kind="error"
                message={`${h.loop.lastError.fatal ? t('health.syncStopped') : t('health.lastPassFailed')} (${when(h.loop.lastError.at)}): ${errorText(new ApiError(0, h.loop.lastError.code, h.loop.lastError.message))}`}
              />
            )}
          </section>
          <section className="card" aria-labelledby="api-h">
            <h2 id="api-h">{t('health.apiCalls')}</h2>
            <div className="charts">
              <ApiChart id="chart-sf" name="Salesforce" side={h.api.salesforce} />
              <ApiChart id="chart-hs" name="HubSpot" side={h.api.hubspot} />
              {h.api['salesforce-events'] && (
                <ApiChart id="chart-events" name={t('chart.eventsName')} side={h.api['salesforce-events']} />
              )}
            </div>
          </section>
          <section aria-labelledby="errors-h">
            <div className="section-head">
              <h2 id="errors-h">{t('health.errors')}</h2>
              {h.errorGroups.length + h.warningGroups.length > 0 && (
                <a className="button secondary" href="/api/errors.csv" download>
                  {t('health.exportCsv')}
                </a>
              )}
            </div>
            <Notice message={announcement} />
            {h.errorGroups.length === 0 ? (
              <p className="card ok-summary" data-testid="no-errors">
                {t('health.noErrors')}
              </p>
            ) : (
              h.errorGroups.map((g) => (
                <ErrorCard key={g.code} g={g} reload={health.reload} announce={setAnnouncement} />
              ))
            )}
          </section>
          <section aria-labelledby="warnings-h" data-testid="warnings">
            <h2 id="warnings-h">{t('health.warnings')}</h2>
            <p className="meta">{t('health.warningsHint')}</p>
            {h.warningGroups.length === 0 ? (
              <p className="card ok-summary" data-testid="no-warnings">
                {t('health.noWarnings')}
              </p>
            ) : (
              h.warningGroups.map((g) => (
                <ErrorCard key={g.code} g={g} reload={health.reload} announce={setAnnouncement} />
              ))
            )}
          </section>
        </>
      )}
    </>
  );
}

function retryText(t: ReturnType<typeof useTranslation>['t'], r: ErrorRecord, warning: boolean): string {
  const attempts = t('card.attempts', { count: r.attempts });
  if (r.deadLetteredAt !== null) return t('card.deadSince', { attempts, at: when(r.deadLetteredAt) });
  if (warning && r.nextRetryAt === null) return t('card.syncedNotRetried');
  return t('card.nextRetry', { attempts, at: when(r.nextRetryAt) });
}

function ErrorCard({
  g,
  reload,
  announce,
}: {
  g: ErrorGroup;
  reload: () => Promise<void>;
  announce: (m: string) => void;
}) {
  const { t } = useTranslation();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const action = useAction();
  // Title, meaning and fix in the UI's language from the code; the server's English as fallback.
  const info = errorInfo(g.code, g);
  const all = g.records.map((r) => r.recordKey);
  const allSelected = all.length > 0 && all.every((k) => selected.has(k));
  const toggle = (key: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(key)) n.delete(key);
      else n.add(key);
      return n;
    });
  const warning = g.severity === 'warning';
  const id = `card-${g.severity}-${g.code}`;
  return (
    <article
      className={`card error-card${warning ? ' warning-card' : ''}`}
      aria-labelledby={id}
      data-code={g.code}
      data-severity={g.severity}
    >
      <h3 id={id}>
        {warning && <span className="severity">{t('common.warning')}</span>}
        <span className="code">{g.code}</span> {info.title}{' '}
        <span className="count" aria-label={t('card.records', { count: g.count, n: num(g.count) })}>
          {num(g.count)}
        </span>
      </h3>
      {info.description && (
        <p>
          <CatalogueText text={info.description} />
        </p>
      )}
      {info.fix && (
        <p className="fix">
          <strong>{t('common.howToFix')}</strong> <CatalogueText text={info.fix} />
        </p>
      )}
      <fieldset>
        <legend className="sr-only">{t('card.affected', { code: g.code })}</legend>
        <label className="check-row all">
          <input
            type="checkbox"
            checked={allSelected}
            onChange={() => setSelected(allSelected ? new Set() : new Set(all))}
          />
          {t('card.selectAll')}{' '}
          {g.records.length < g.count ? t('card.shown', { n: num(g.records.length) }) : ''}
        </label>
        <ul className="records">
          {g.records.map((r) => (
            <li key={r.recordKey}>
              <label className="check-row">
                <input
                  type="checkbox"
                  checked={selected.has(r.recordKey)}
                  onChange={() => toggle(r.recordKey)}
                />
                <span>
                  <strong translate="no">{r.name ?? r.recordKey}</strong>{' '}
                  {r.deadLetteredAt !== null && (
                    <span className="severity dead-letter">{t('common.deadLetter')}</span>
                  )}{' '}
                  <span className="meta">
                    <span translate="no">{r.recordKey}</span> · {retryText(t, r, warning)}
                  </span>
                  <br />
                  {/* The engine's message about this record, in English: it names the field and values. */}
                  <span className="message" lang="en">
                    {r.message}
                  </span>
                </span>
              </label>
              {r.opportunityId && (
                <a
                  className="small"
                  href={`/records/${r.opportunityId}`}
                  onClick={(e) => (e.preventDefault(), navigate(`/records/${r.opportunityId}`))}
                  aria-label={t('card.openRecord', { name: r.name ?? r.opportunityId })}
                >
                  {t('card.open')}
                </a>
              )}
            </li>
          ))}
        </ul>
      </fieldset>
      <button
        type="button"
        disabled={selected.size === 0 || action.busy}
        onClick={() =>
          void action.run(async () => {
            const r = await send<ResyncResult>('POST', '/api/resync', { recordKeys: [...selected] });
            setSelected(new Set());
            const m = r.paused
              ? t('card.paused')
              : !r.ran
                ? t('card.off')
                : `${t('card.outcome', {
                    synced: num(r.synced),
                    failing: num(r.stillFailing.length),
                    warning: num(r.stillWarning.length),
                  })}${r.deadLetters > 0 ? t('card.deadRetried', { n: num(r.deadLetters) }) : ''}`;
            // The card may vanish with its last error: the page-level notice keeps the outcome.
            announce(m);
            await reload();
            return m;
          })
        }
      >
        {selected.size > 0 ? t('card.resyncN', { n: num(selected.size) }) : t('card.resync')}
      </button>
      <Notice message={action.message} kind={action.kind} />
    </article>
  );
}
