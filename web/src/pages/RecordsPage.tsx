// Records: find an opportunity by name or ID; see its deal, associations, last sync and
// field-by-field history from the audit log; "Resync now".
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { send } from '../api';
import { CatalogueText, Loading, Notice, TableWrap, useAction, useData } from '../components/common';
import { day, money, num, shown, when } from '../format';
import { en } from '../i18n/en';
import { errorInfo } from '../i18n/errors';
import { useLive } from '../live';
import { navigate } from '../router';
import type { OpportunityHit, RecordView, ResyncResult } from '../types';

export function RecordsPage({ path }: { path: string }) {
  const { t } = useTranslation();
  const id = path.startsWith('/records/') ? decodeURIComponent(path.slice('/records/'.length)) : null;
  return (
    <>
      <h1>{t('records.h1')}</h1>
      <Search />
      {id && <RecordDetail key={id} id={id} />}
    </>
  );
}

function Search() {
  const { t } = useTranslation();
  const initial = new URLSearchParams(window.location.search).get('q') ?? '';
  const [q, setQ] = useState(initial);
  const [submitted, setSubmitted] = useState(initial);
  const results = useData<{ results: OpportunityHit[] }>(
    submitted ? `/api/records?q=${encodeURIComponent(submitted)}` : null,
  );
  return (
    <section className="card" aria-labelledby="search-h">
      <h2 id="search-h" className="sr-only">
        {t('records.search')}
      </h2>
      <form
        role="search"
        className="search"
        onSubmit={(e) => {
          e.preventDefault();
          setSubmitted(q.trim());
        }}
      >
        <label htmlFor="record-q">{t('records.find')}</label>
        <div className="inline">
          <input
            id="record-q"
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            autoComplete="off"
          />
          <button type="submit">{t('records.searchButton')}</button>
        </div>
      </form>
      {submitted && (
        <div aria-live="polite">
          {results.error && <Notice kind="error" message={results.error} />}
          {!results.data && !results.error && <Loading what={t('records.loadingResults')} />}
          {results.data && results.data.results.length === 0 && (
            <p>{t('records.noMatch', { q: submitted })}</p>
          )}
          {results.data && results.data.results.length > 0 && (
            <ul className="results" aria-label={t('records.matching')}>
              {results.data.results.map((r) => (
                <li key={r.id}>
                  <a
                    href={`/records/${r.id}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(`/records/${r.id}`);
                    }}
                  >
                    <span translate="no">{r.name}</span>
                  </a>{' '}
                  <span className="meta">
                    <span translate="no">{r.id}</span>
                    {r.amount ? ` · ${money(r.amount)}` : ''}
                    {r.closeDate ? t('records.closes', { date: day(r.closeDate) }) : ''}
                    {r.isDeleted ? t('records.deleted') : r.inScope ? '' : t('records.notInScope')}
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

type Reason = keyof typeof en.records.reason;
type Match = keyof typeof en.records.matchedHow;
const isMatch = (m: string): m is Match => Object.hasOwn(en.records.matchedHow, m);
const isReason = (r: string): r is Reason => Object.hasOwn(en.records.reason, r);

function RecordDetail({ id }: { id: string }) {
  const { t } = useTranslation();
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
    f === '@contacts' ? t('records.contactsField') : f === '@company' ? t('records.companyField') : f;
  if (view.error) return <Notice kind="error" message={view.error} />;
  if (!v) return <Loading what={t('records.loadingRecord')} />;
  const errInfo = v.error ? errorInfo(v.error.code, v.error) : null;
  const o = v.opportunity;
  const props = [...new Set([...Object.keys(v.deal.lastWritten), ...Object.keys(v.deal.current ?? {})])]
    .filter((p) => !p.startsWith('@') && !['hs_lastmodifieddate', 'hs_object_id'].includes(p))
    .sort();
  return (
    <article className="record" aria-labelledby="record-h">
      <div className="section-head">
        <h2 id="record-h" tabIndex={-1} translate="no">
          {o.name}
        </h2>
        <button
          type="button"
          disabled={action.busy}
          onClick={() =>
            void action.run(async () => {
              const r = await send<ResyncResult>('POST', `/api/records/${encodeURIComponent(id)}/resync`);
              await view.reload();
              if (r.paused) return t('records.resyncPaused');
              if (!r.ran) return t('records.resyncOff');
              if (r.notFound.length) return t('records.resyncGone');
              if (r.stillFailing.length) return t('records.resyncFailing');
              return r.stillWarning.length ? t('records.resyncWarning') : t('records.resynced');
            })
          }
        >
          {t('records.resyncNow')}
        </button>
      </div>
      <Notice message={action.message} kind={action.kind} />
      <dl className="stats">
        <div>
          <dt>{t('records.id')}</dt>
          <dd translate="no">{o.id}</dd>
        </div>
        <div>
          <dt>{t('records.amount')}</dt>
          <dd data-testid="record-amount">{money(o.amount, v.currency)}</dd>
        </div>
        <div>
          <dt>{t('records.closeDate')}</dt>
          <dd data-testid="record-close-date">{day(o.closeDate)}</dd>
        </div>
        <div>
          <dt>{t('records.state')}</dt>
          <dd>
            {o.isDeleted
              ? t('records.stateDeleted')
              : o.isWon
                ? t('records.stateWon')
                : o.isClosed
                  ? t('records.stateLost')
                  : t('records.stateOpen')}
          </dd>
        </div>
        <div>
          <dt>{t('records.inScope')}</dt>
          <dd>{o.inScope ? t('common.yes') : t('records.notInScopeWhy')}</dd>
        </div>
        <div>
          <dt>{t('records.lastSync')}</dt>
          <dd data-testid="last-sync">{when(v.deal.lastSyncedAt)}</dd>
        </div>
      </dl>
      {v.error && errInfo && (
        <div
          className={`card error-card${v.error.severity === 'warning' ? ' warning-card' : ''}`}
          role="group"
          aria-label={v.error.severity === 'warning' ? t('records.syncWarning') : t('records.syncError')}
        >
          <h3>
            {v.error.severity === 'warning' && <span className="severity">{t('common.warning')}</span>}
            <span className="code">{v.error.code}</span> {errInfo.title}
          </h3>
          {/* The engine's message about this record, in English: it names the field and values. */}
          <p className="message" lang="en">
            {v.error.message}
          </p>
          {errInfo.fix && (
            <p className="fix">
              <strong>{t('common.howToFix')}</strong> <CatalogueText text={errInfo.fix} />
            </p>
          )}
          <p className="meta">
            {v.error.deadLetteredAt !== null
              ? t('records.deadLetter', { n: num(v.error.attempts) })
              : v.error.severity === 'warning' && v.error.nextRetryAt === null
                ? t('records.warningNotRetried')
                : t('records.nextRetry', {
                    attempts: t('card.attempts', { count: v.error.attempts }),
                    at: when(v.error.nextRetryAt),
                  })}
          </p>
        </div>
      )}
      <section aria-labelledby="deal-h">
        <h3 id="deal-h">
          {t('records.deal')} {v.deal.id ? <span className="meta">{v.deal.id}</span> : null}
          {v.deal.archived ? t('records.archived') : ''}
        </h3>
        {!v.deal.id ? (
          <p className="hint">{t('records.noDeal')}</p>
        ) : (
          <>
            {v.deal.currentError && <Notice kind="error" message={v.deal.currentError} />}
            <TableWrap label={t('records.dealProps')}>
              <table className="stack">
                <thead>
                  <tr>
                    <th scope="col">{t('records.colProperty')}</th>
                    <th scope="col">{t('records.colWritten')}</th>
                    <th scope="col">{t('records.colNow')}</th>
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
                          <code translate="no">{p}</code>
                        </th>
                        <td data-label={t('records.colWritten')} translate="no">
                          {label(p, a)}
                        </td>
                        <td data-label={t('records.colNow')}>
                          <span translate="no">{b === undefined ? '—' : label(p, b)}</span>
                          {differs && <span className="sr-only">{t('records.differs')}</span>}
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
        <h3 id="assoc-h">{t('records.associations')}</h3>
        <ul className="plain">
          {v.contacts.map((c) => (
            <li key={c.salesforceId}>
              {t('records.contact')} <span translate="no">{c.salesforceId}</span> →{' '}
              {c.hubspotId ? t('records.hsContact', { id: c.hubspotId }) : t('records.notInHubspot')}
              {c.matchedBy ? (
                <span className="meta">
                  {t('records.matchedBy', {
                    by: isMatch(c.matchedBy) ? t(`records.matchedHow.${c.matchedBy}`) : c.matchedBy,
                  })}
                </span>
              ) : null}
            </li>
          ))}
          {v.contacts.length === 0 && <li>{t('records.noRoles')}</li>}
          {v.company && (
            <li>
              {t('records.account')} <span translate="no">{v.company.name ?? v.company.accountId}</span> →{' '}
              {v.company.hubspotId
                ? t('records.hsCompany', { id: v.company.hubspotId })
                : t('records.noCompany')}
            </li>
          )}
        </ul>
      </section>
      {v.conflicts.length > 0 && (
        <section aria-labelledby="conflicts-h">
          <h3 id="conflicts-h">{t('records.conflicts')}</h3>
          <p className="hint">{t('records.conflictsHint')}</p>
          <TableWrap label={t('records.conflicts')}>
            <table className="stack" data-testid="conflicts">
              <thead>
                <tr>
                  <th scope="col">{t('records.colField')}</th>
                  <th scope="col">{t('records.colWon')}</th>
                  <th scope="col">{t('records.colLost')}</th>
                  <th scope="col">{t('records.colSalesforceAt')}</th>
                  <th scope="col">{t('records.colHubspotAt')}</th>
                </tr>
              </thead>
              <tbody>
                {v.conflicts.map((e, i) => (
                  <tr key={`${e.at}-${e.field}-${i}`}>
                    <th scope="row">
                      <code translate="no">{e.field}</code>
                    </th>
                    <td data-label={t('records.colWon')} translate="no">
                      {e.newValue ?? '—'}
                    </td>
                    <td className="old" data-label={t('records.colLost')} translate="no">
                      {e.oldValue ?? '—'}
                    </td>
                    <td data-label={t('records.colSalesforceAt')}>
                      {e.salesforceAt ? when(e.salesforceAt) : '—'}
                    </td>
                    <td data-label={t('records.colHubspotAt')}>{e.hubspotAt ? when(e.hubspotAt) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </section>
      )}
      <section aria-labelledby="history-h">
        <h3 id="history-h">{t('records.history')}</h3>
        {v.history.length === 0 ? (
          <p className="hint">{t('records.nothingWritten')}</p>
        ) : (
          <TableWrap label={t('records.fieldHistory')}>
            <table className="stack" data-testid="history">
              <thead>
                <tr>
                  <th scope="col">{t('records.colWhen')}</th>
                  <th scope="col">{t('records.colField')}</th>
                  <th scope="col">{t('records.colOld')}</th>
                  <th scope="col">{t('records.colNew')}</th>
                  <th scope="col">{t('records.colWhy')}</th>
                </tr>
              </thead>
              <tbody>
                {v.history.map((e, i) => (
                  <tr key={`${e.at}-${e.field}-${i}`}>
                    <td data-label={t('records.colWhen')}>{when(e.at)}</td>
                    <th scope="row">
                      <code translate={e.field.startsWith('@') ? undefined : 'no'}>{fieldName(e.field)}</code>
                    </th>
                    <td className="old" data-label={t('records.colOld')} translate="no">
                      {label(e.field, e.oldValue)}
                    </td>
                    <td data-label={t('records.colNew')} translate="no">
                      {label(e.field, e.newValue)}
                    </td>
                    <td data-label={t('records.colWhy')}>
                      {isReason(e.reason) ? t(`records.reason.${e.reason}`) : e.reason}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <p className="meta">{t('records.changes', { count: v.history.length, n: num(v.history.length) })}</p>
      </section>
    </article>
  );
}
