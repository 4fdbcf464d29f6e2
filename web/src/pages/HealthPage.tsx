// Sync health: API calls against allocations, sync lag, the loop's state, and the error cards
// grouped by code with their fix, the affected records, "Resync selected" and CSV export; the
// warnings (records that synced with something left out) in cards of their own, below the errors.
// Dead letters (errors that failed 20 times or for 7 days) are counted in the overview and
// labelled in their cards: only "Resync selected" retries them. "Pause sync" / "Resume sync" is the
// safety switch that stops every write to HubSpot.
import { useState } from 'react';
import { send } from '../api';
import { ApiChart } from '../components/ApiChart';
import { PauseSwitch } from '../components/PauseSwitch';
import { LivePathLine } from '../components/LivePathLine';
import { Loading, Notice, useAction, useData } from '../components/common';
import { duration, num, when } from '../format';
import { useLive } from '../live';
import { navigate } from '../router';
import type { ErrorGroup, ErrorRecord, HealthView, ResyncResult } from '../types';

export function HealthPage() {
  const health = useData<HealthView>('/api/health');
  useLive(['sync', 'errors', 'import', 'settings'], () => void health.reload(), 5000);
  const h = health.data;
  const [announcement, setAnnouncement] = useState<string | null>(null);
  return (
    <>
      <h1>Sync health</h1>
      {health.error && <Notice kind="error" message={health.error} />}
      {!h && !health.error && <Loading what="sync health" />}
      {h && (
        <>
          <section className="card" aria-labelledby="overview-h">
            <h2 id="overview-h">Overview</h2>
            <dl className="stats">
              <div>
                <dt>Opportunity sync</dt>
                <dd>{h.status.paused ? 'Paused' : h.status.opportunitySync ? 'On' : 'Off'}</dd>
              </div>
              <div>
                <dt>Sync lag</dt>
                <dd data-testid="sync-lag">{h.status.opportunitySync ? duration(h.lagSeconds) : '—'}</dd>
              </div>
              {h.status.livePath && <LivePathLine live={h.status.livePath} />}
              <div>
                <dt>Last pass</dt>
                <dd>{when(h.loop.lastPassAt ?? h.status.lastPass?.finishedAt)}</dd>
              </div>
              <div>
                <dt>Records with errors</dt>
                <dd data-testid="errors-total">{num(h.status.errors.total)}</dd>
              </div>
              <div>
                <dt>Dead letters</dt>
                <dd data-testid="dead-letters">{num(h.status.deadLetters)}</dd>
              </div>
              <div>
                <dt>Records with warnings</dt>
                <dd data-testid="warnings-total">{num(h.status.warnings.total)}</dd>
              </div>
              <div>
                <dt>Contacts not yet in HubSpot</dt>
                <dd>{num(h.status.pendingContacts)}</dd>
              </div>
              <div>
                <dt>Deletes known up to</dt>
                <dd data-testid="deletes-known">{when(h.status.deletes.checkedThrough)}</dd>
              </div>
            </dl>
            {h.status.deadLetters > 0 && (
              <p className="meta" data-testid="dead-letters-hint">
                {num(h.status.deadLetters)} record{h.status.deadLetters === 1 ? '' : 's'} failed 20 times or
                for 7 days: a dead letter is retried only by hand. Fix the cause, then select it below and
                resync it.
              </p>
            )}
            {h.status.deletes.lastFullComparison && (
              <p className="meta" data-testid="full-comparison">
                Last full comparison with Salesforce (getDeleted's 15 days were exceeded),{' '}
                {when(h.status.deletes.lastFullComparison.finishedAt)}:{' '}
                {num(h.status.deletes.lastFullComparison.liveDeals)} live deals checked,{' '}
                {num(h.status.deletes.lastFullComparison.missing)} opportunities missing,{' '}
                {num(h.status.deletes.lastFullComparison.archived)} deals archived.
              </p>
            )}
            {h.status.lastPass && (
              <p className="meta">
                Last pass: {num(h.status.lastPass.created)} created, {num(h.status.lastPass.updated)} updated,{' '}
                {num(h.status.lastPass.unchanged)} unchanged, {num(h.status.lastPass.skipped)} skipped,{' '}
                {num(h.status.lastPass.failed)} failed.
              </p>
            )}
            <PauseSwitch paused={h.status.paused} since={h.status.pausedSince} reload={health.reload} />
            <p className="meta">
              {h.loop.enabled
                ? h.loop.running
                  ? `The sync loop runs every ${duration(h.loop.intervalMs / 1000)} in this server.`
                  : 'The sync loop has stopped.'
                : 'The sync loop does not run in this server (dealbridge serve --no-sync).'}
            </p>
            {h.loop.lastError && (
              <Notice
                kind="error"
                message={`${h.loop.lastError.fatal ? 'Sync stopped' : 'Last pass failed'} (${when(h.loop.lastError.at)}): ${h.loop.lastError.code}: ${h.loop.lastError.message}`}
              />
            )}
          </section>
          <section className="card" aria-labelledby="api-h">
            <h2 id="api-h">API calls, last 24 hours</h2>
            <div className="charts">
              <ApiChart id="chart-sf" name="Salesforce" side={h.api.salesforce} />
              <ApiChart id="chart-hs" name="HubSpot" side={h.api.hubspot} />
              {h.api['salesforce-events'] && (
                <ApiChart
                  id="chart-events"
                  name="Salesforce change events"
                  side={h.api['salesforce-events']}
                />
              )}
            </div>
          </section>
          <section aria-labelledby="errors-h">
            <div className="section-head">
              <h2 id="errors-h">Errors</h2>
              {h.errorGroups.length + h.warningGroups.length > 0 && (
                <a className="button secondary" href="/api/errors.csv" download>
                  Export CSV
                </a>
              )}
            </div>
            <Notice message={announcement} />
            {h.errorGroups.length === 0 ? (
              <p className="card ok-summary" data-testid="no-errors">
                No record is failing.
              </p>
            ) : (
              h.errorGroups.map((g) => (
                <ErrorCard key={g.code} g={g} reload={health.reload} announce={setAnnouncement} />
              ))
            )}
          </section>
          <section aria-labelledby="warnings-h" data-testid="warnings">
            <h2 id="warnings-h">Warnings</h2>
            <p className="meta">
              These records synced with something left out (an owner, a Type value). They are not retried by
              themselves: fix the cause, then resync them.
            </p>
            {h.warningGroups.length === 0 ? (
              <p className="card ok-summary" data-testid="no-warnings">
                No warnings.
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

function retryText(r: ErrorRecord, warning: boolean): string {
  const attempts = `${r.attempts} attempt${r.attempts === 1 ? '' : 's'}`;
  if (r.deadLetteredAt !== null)
    return `${attempts} · since ${when(r.deadLetteredAt)}, retried only by hand (Resync selected)`;
  if (warning && r.nextRetryAt === null) return 'synced, not retried';
  return `${attempts} · next retry ${when(r.nextRetryAt)}`;
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
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const action = useAction();
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
        {warning && <span className="severity">Warning</span>}
        <span className="code">{g.code}</span> {g.title}{' '}
        <span className="count" aria-label={`${g.count} records`}>
          {num(g.count)}
        </span>
      </h3>
      {g.description && <p>{g.description}</p>}
      {g.fix && (
        <p className="fix">
          <strong>How to fix:</strong> {g.fix}
        </p>
      )}
      <fieldset>
        <legend className="sr-only">Affected records with {g.code}</legend>
        <label className="check-row all">
          <input
            type="checkbox"
            checked={allSelected}
            onChange={() => setSelected(allSelected ? new Set() : new Set(all))}
          />
          Select all {g.records.length < g.count ? `${g.records.length} shown` : ''}
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
                  <strong>{r.name ?? r.recordKey}</strong>{' '}
                  {r.deadLetteredAt !== null && <span className="severity dead-letter">Dead letter</span>}{' '}
                  <span className="meta">
                    {r.recordKey} · {retryText(r, warning)}
                  </span>
                  <br />
                  <span className="message">{r.message}</span>
                </span>
              </label>
              {r.opportunityId && (
                <a
                  className="small"
                  href={`/records/${r.opportunityId}`}
                  onClick={(e) => (e.preventDefault(), navigate(`/records/${r.opportunityId}`))}
                  aria-label={`Open record ${r.name ?? r.opportunityId}`}
                >
                  Open
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
              ? 'The sync is paused: the records will sync when it resumes.'
              : !r.ran
                ? 'Opportunity sync is off: the records will sync when it is turned on.'
                : `${r.synced} record(s) synced, ${r.stillFailing.length} still failing, ${r.stillWarning.length} with a warning.${
                    r.deadLetters > 0
                      ? ` ${r.deadLetters} dead letter(s) retried, with 20 automatic attempts again.`
                      : ''
                  }`;
            // The card may vanish with its last error: the page-level notice keeps the outcome.
            announce(m);
            await reload();
            return m;
          })
        }
      >
        Resync selected{selected.size > 0 ? ` (${selected.size})` : ''}
      </button>
      <Notice message={action.message} kind={action.kind} />
    </article>
  );
}
