// Records: find an opportunity by name or ID; see its deal, associations, last sync and
// field-by-field history from the audit log; "Resync now".
import { useEffect, useState } from 'react';
import { send } from '../api';
import { Loading, Notice, TableWrap, useAction, useData } from '../components/common';
import { num, shown, when } from '../format';
import { useLive } from '../live';
import { navigate } from '../router';
import type { OpportunityHit, RecordView, ResyncResult } from '../types';

export function RecordsPage({ path }: { path: string }) {
  const id = path.startsWith('/records/') ? decodeURIComponent(path.slice('/records/'.length)) : null;
  return (
    <>
      <h1>Records</h1>
      <Search />
      {id && <RecordDetail key={id} id={id} />}
    </>
  );
}

function Search() {
  const initial = new URLSearchParams(window.location.search).get('q') ?? '';
  const [q, setQ] = useState(initial);
  const [submitted, setSubmitted] = useState(initial);
  const results = useData<{ results: OpportunityHit[] }>(
    submitted ? `/api/records?q=${encodeURIComponent(submitted)}` : null,
  );
  return (
    <section className="card" aria-labelledby="search-h">
      <h2 id="search-h" className="sr-only">
        Search
      </h2>
      <form
        role="search"
        className="search"
        onSubmit={(e) => {
          e.preventDefault();
          setSubmitted(q.trim());
        }}
      >
        <label htmlFor="record-q">Find an opportunity by name or ID</label>
        <div className="inline">
          <input
            id="record-q"
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            autoComplete="off"
          />
          <button type="submit">Search</button>
        </div>
      </form>
      {submitted && (
        <div aria-live="polite">
          {results.error && <Notice kind="error" message={results.error} />}
          {!results.data && !results.error && <Loading what="results" />}
          {results.data && results.data.results.length === 0 && <p>No opportunity matches “{submitted}”.</p>}
          {results.data && results.data.results.length > 0 && (
            <ul className="results" aria-label="Matching opportunities">
              {results.data.results.map((r) => (
                <li key={r.id}>
                  <a
                    href={`/records/${r.id}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(`/records/${r.id}`);
                    }}
                  >
                    {r.name}
                  </a>{' '}
                  <span className="meta">
                    {r.id}
                    {r.amount ? ` · ${r.amount}` : ''}
                    {r.closeDate ? ` · closes ${r.closeDate}` : ''}
                    {r.isDeleted ? ' · deleted' : r.inScope ? '' : ' · not in scope'}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

const reasonLabel: Record<string, string> = {
  sync: 'sync',
  import: 'import',
  resync: 'resync',
  archive: 'archived',
  restore: 'restored',
  rollup: 'rollup',
  lifecycle: 'lifecycle',
  relink: 'relinked (contact or company deleted or merged in HubSpot)',
  recreate: 'recreated (deal deleted in HubSpot)',
};

function RecordDetail({ id }: { id: string }) {
  const view = useData<RecordView>(`/api/records/${encodeURIComponent(id)}`);
  useLive(['sync', 'errors'], () => void view.reload(), 30_000);
  const action = useAction();
  const v = view.data;
  useEffect(() => {
    if (v) document.getElementById('record-h')?.focus();
  }, [v?.opportunity.id]);
  const label = (field: string, value: string | null | undefined) => {
    const l = value ? v?.labels[`${field}:${value}`] : undefined;
    return l ? `${l} (${value})` : shown(value);
  };
  const fieldName = (f: string) =>
    f === '@contacts' ? 'associated contacts' : f === '@company' ? 'associated company' : f;
  if (view.error) return <Notice kind="error" message={view.error} />;
  if (!v) return <Loading what="the record" />;
  const o = v.opportunity;
  const props = [...new Set([...Object.keys(v.deal.lastWritten), ...Object.keys(v.deal.current ?? {})])]
    .filter((p) => !p.startsWith('@') && !['hs_lastmodifieddate', 'hs_object_id'].includes(p))
    .sort();
  return (
    <article className="record" aria-labelledby="record-h">
      <div className="section-head">
        <h2 id="record-h" tabIndex={-1}>
          {o.name}
        </h2>
        <button
          type="button"
          disabled={action.busy}
          onClick={() =>
            void action.run(async () => {
              const r = await send<ResyncResult>('POST', `/api/records/${encodeURIComponent(id)}/resync`);
              await view.reload();
              if (r.paused) return 'The sync is paused: nothing was written; it syncs after the resume.';
              if (!r.ran) return 'Opportunity sync is off: nothing was written.';
              if (r.notFound.length)
                return 'Salesforce no longer has this opportunity: the next sync pass archives its deal.';
              if (r.stillFailing.length) return 'Resynced, but it still fails: see the error below.';
              return r.stillWarning.length ? 'Resynced, with a warning: see below.' : 'Resynced.';
            })
          }
        >
          Resync now
        </button>
      </div>
      <Notice message={action.message} kind={action.kind} />
      <dl className="stats">
        <div>
          <dt>Opportunity ID</dt>
          <dd>{o.id}</dd>
        </div>
        <div>
          <dt>Amount</dt>
          <dd>
            {o.amount ?? '—'}
            {o.currencyIsoCode ? ` ${o.currencyIsoCode}` : ''}
          </dd>
        </div>
        <div>
          <dt>Close date</dt>
          <dd>{o.closeDate ?? '—'}</dd>
        </div>
        <div>
          <dt>State</dt>
          <dd>{o.isDeleted ? 'Deleted' : o.isWon ? 'Closed won' : o.isClosed ? 'Closed lost' : 'Open'}</dd>
        </div>
        <div>
          <dt>In scope</dt>
          <dd>{o.inScope ? 'Yes' : 'No (no contact in HubSpot)'}</dd>
        </div>
        <div>
          <dt>Last sync</dt>
          <dd data-testid="last-sync">{when(v.deal.lastSyncedAt)}</dd>
        </div>
      </dl>
      {v.error && (
        <div
          className={`card error-card${v.error.severity === 'warning' ? ' warning-card' : ''}`}
          role="group"
          aria-label={v.error.severity === 'warning' ? 'Sync warning' : 'Sync error'}
        >
          <h3>
            {v.error.severity === 'warning' && <span className="severity">Warning</span>}
            <span className="code">{v.error.code}</span> {v.error.title}
          </h3>
          <p className="message">{v.error.message}</p>
          {v.error.fix && (
            <p className="fix">
              <strong>How to fix:</strong> {v.error.fix}
            </p>
          )}
          <p className="meta">
            {v.error.deadLetteredAt !== null
              ? `Dead letter: ${v.error.attempts} attempts, retried only by hand (Resync now).`
              : v.error.severity === 'warning' && v.error.nextRetryAt === null
                ? 'The deal synced; not retried by itself (fix the cause, then resync).'
                : `${v.error.attempts} attempt${v.error.attempts === 1 ? '' : 's'}; next retry ${when(v.error.nextRetryAt)}`}
          </p>
        </div>
      )}
      <section aria-labelledby="deal-h">
        <h3 id="deal-h">
          HubSpot deal {v.deal.id ? <span className="meta">{v.deal.id}</span> : null}
          {v.deal.archived ? ' (archived)' : ''}
        </h3>
        {!v.deal.id ? (
          <p className="hint">No deal yet.</p>
        ) : (
          <>
            {v.deal.currentError && <Notice kind="error" message={v.deal.currentError} />}
            <TableWrap label="Deal properties">
              <table className="stack">
                <thead>
                  <tr>
                    <th scope="col">Property</th>
                    <th scope="col">Last written by dealbridge</th>
                    <th scope="col">In HubSpot now</th>
                  </tr>
                </thead>
                <tbody>
                  {props.map((p) => {
                    const a = v.deal.lastWritten[p] ?? null;
                    const b = v.deal.current ? (v.deal.current[p] ?? null) : undefined;
                    const differs = b !== undefined && (a ?? '') !== (b ?? '') && p in v.deal.lastWritten;
                    return (
                      <tr key={p} className={differs ? 'differs' : ''}>
                        <th scope="row">
                          <code>{p}</code>
                        </th>
                        <td data-label="Last written by dealbridge">{label(p, a)}</td>
                        <td data-label="In HubSpot now">
                          {b === undefined ? '—' : label(p, b)}
                          {differs && <span className="sr-only"> (differs)</span>}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableWrap>
          </>
        )}
      </section>
      <section aria-labelledby="assoc-h">
        <h3 id="assoc-h">Associations</h3>
        <ul className="plain">
          {v.contacts.map((c) => (
            <li key={c.salesforceId}>
              Contact {c.salesforceId} → {c.hubspotId ? `HubSpot contact ${c.hubspotId}` : 'not in HubSpot'}
              {c.matchedBy ? <span className="meta"> (matched by {c.matchedBy})</span> : null}
            </li>
          ))}
          {v.contacts.length === 0 && <li>No contact roles.</li>}
          {v.company && (
            <li>
              Account {v.company.name ?? v.company.accountId} →{' '}
              {v.company.hubspotId ? `HubSpot company ${v.company.hubspotId}` : 'no company yet'}
            </li>
          )}
        </ul>
      </section>
      <section aria-labelledby="history-h">
        <h3 id="history-h">History</h3>
        {v.history.length === 0 ? (
          <p className="hint">Nothing written yet.</p>
        ) : (
          <TableWrap label="Field history">
            <table className="stack" data-testid="history">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Field</th>
                  <th scope="col">Old</th>
                  <th scope="col">New</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {v.history.map((e, i) => (
                  <tr key={`${e.at}-${e.field}-${i}`}>
                    <td data-label="When">{when(e.at)}</td>
                    <th scope="row">
                      <code>{fieldName(e.field)}</code>
                    </th>
                    <td className="old" data-label="Old">
                      {label(e.field, e.oldValue)}
                    </td>
                    <td data-label="New">{label(e.field, e.newValue)}</td>
                    <td data-label="Why">{reasonLabel[e.reason] ?? e.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <p className="meta">{num(v.history.length)} change(s).</p>
      </section>
    </article>
  );
}
