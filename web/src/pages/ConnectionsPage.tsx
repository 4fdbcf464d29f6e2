// Connections › Salesforce: who is connected (org, user, instance, last successful call), "Connect
// Salesforce" / "Reconnect" through Salesforce's own sign-in (the OAuth web-server flow with PKCE:
// the server gives the authorize URL, the browser goes there and comes back through the server's
// callback to this page), "Check connection" and "Disconnect" (revoke + forget).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { send } from '../api';
import { CatalogueText, Loading, Notice, useAction, useData } from '../components/common';
import { when } from '../format';
import { errorInfo } from '../i18n/errors';

type LoginKind = 'production' | 'sandbox' | 'mydomain';

interface SalesforceStatus {
  source: 'configuration' | 'stored' | 'none';
  connected: boolean;
  loginUrl: string | null;
  clientId: string | null;
  hasClientSecret: boolean;
  organizationId: string | null;
  username: string | null;
  displayName: string | null;
  instanceUrl: string | null;
  connectedAt: string | null;
  lastSuccessAt: string | null;
  callbackUrl: string;
}

const KINDS: Record<string, LoginKind> = {
  'https://login.salesforce.com': 'production',
  'https://test.salesforce.com': 'sandbox',
};

/** What the callback page sent this page: `?salesforce=connected` or `?error=CODE`. */
function callbackOutcome(): { ok: boolean; code?: string } | null {
  const q = new URLSearchParams(window.location.search);
  if (q.get('salesforce') === 'connected') return { ok: true };
  const code = q.get('error');
  return code ? { ok: false, code } : null;
}

interface HubspotStatus {
  source: 'configuration' | 'stored' | 'none';
  connected: boolean;
  portalId: number | null;
  tier: string | null;
  scopes: string[] | null;
  missingScopes: string[] | null;
  connectedAt: string | null;
  lastSuccessAt: string | null;
}

export function ConnectionsPage() {
  const { t } = useTranslation();
  const sf = useData<SalesforceStatus>('/api/connections/salesforce');
  const hs = useData<HubspotStatus>('/api/connections/hubspot');
  return (
    <>
      <h1>{t('connections.h1')}</h1>
      {sf.error && <Notice message={sf.error} kind="error" />}
      {!sf.data && !sf.error && <Loading what={t('connections.loadingWhat')} />}
      {sf.data && <SalesforceCard s={sf.data} reload={sf.reload} />}
      {hs.error && <Notice message={hs.error} kind="error" />}
      {hs.data && <HubspotCard s={hs.data} reload={hs.reload} />}
    </>
  );
}

function HubspotCard({ s, reload }: { s: HubspotStatus; reload: () => Promise<void> }) {
  const { t } = useTranslation();
  const action = useAction();
  const [token, setToken] = useState('');
  return (
    <section className="card" aria-labelledby="hs-h">
      <h2 id="hs-h">{t('connections.hubspot.h')}</h2>
      {s.source === 'configuration' && <p className="hint">{t('connections.hubspot.fromConfig')}</p>}
      <p className="connection-state" id="hs-state">
        {s.connected ? (
          <>
            {t('connections.hubspot.connectedTo')} <span translate="no">{s.portalId}</span>
          </>
        ) : (
          t('connections.hubspot.notConnected')
        )}
      </p>
      {s.connected && (
        <>
          <dl className="facts">
            <dt>{t('connections.hubspot.tier')}</dt>
            <dd translate="no">{s.tier ?? t('connections.hubspot.tierUnknown')}</dd>
            <dt>{t('connections.hubspot.scopes')}</dt>
            <dd id="hs-scopes">
              {s.missingScopes === null
                ? t('connections.hubspot.scopesUnknown')
                : s.missingScopes.length === 0
                  ? t('connections.hubspot.scopesAll')
                  : `${t('connections.hubspot.scopesMissing')}:`}
              {s.missingScopes && s.missingScopes.length > 0 && (
                <>
                  <ul className="missing-scopes">
                    {s.missingScopes.map((x) => (
                      <li key={x}>
                        <code translate="no">{x}</code>
                      </li>
                    ))}
                  </ul>
                  <span className="hint">{t('connections.hubspot.scopesFix')}</span>
                </>
              )}
            </dd>
            <dt>{t('connections.salesforce.connectedAt')}</dt>
            <dd>{when(s.connectedAt)}</dd>
            <dt>{t('connections.salesforce.lastSuccess')}</dt>
            <dd>{when(s.lastSuccessAt)}</dd>
          </dl>
          <div className="buttons">
            <button
              type="button"
              className="secondary"
              disabled={action.busy}
              onClick={() =>
                void action.run(async () => {
                  await send('POST', '/api/connections/hubspot/disconnect');
                  await reload();
                  return t('connections.hubspot.disconnected');
                })
              }
            >
              {t('connections.hubspot.disconnect')}
            </button>
          </div>
        </>
      )}
      <form
        className="row-form"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            await send('POST', '/api/connections/hubspot/token', { token });
            setToken('');
            await reload();
            return t('connections.hubspot.connected');
          });
        }}
      >
        <div className="field">
          <label htmlFor="hs-token">{t('connections.hubspot.token')}</label>
          <input
            id="hs-token"
            type="password"
            autoComplete="off"
            required
            minLength={10}
            value={token}
            onChange={(e) => setToken(e.target.value)}
          />
          <p className="hint">{t('connections.hubspot.tokenHint')}</p>
        </div>
        <button type="submit" disabled={action.busy}>
          {t('connections.hubspot.connect')}
        </button>
      </form>
      <Notice message={action.message} kind={action.kind} />
    </section>
  );
}

function SalesforceCard({ s, reload }: { s: SalesforceStatus; reload: () => Promise<void> }) {
  const { t } = useTranslation();
  const action = useAction();
  const [outcome] = useState(callbackOutcome);
  const [kind, setKind] = useState<LoginKind>(s.loginUrl ? (KINDS[s.loginUrl] ?? 'mydomain') : 'production');
  const [myDomain, setMyDomain] = useState(s.loginUrl && !KINDS[s.loginUrl] ? s.loginUrl : '');
  const [clientId, setClientId] = useState(s.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const { say } = action;
  useEffect(() => {
    if (!outcome) return;
    // Shown once: a reload of the page should not repeat it.
    window.history.replaceState({}, '', '/connections');
    if (outcome.ok) say(t('connections.salesforce.connected'));
    else
      say(
        `${t('connections.salesforce.failed')} ${outcome.code ?? ''}: ${errorInfo(outcome.code ?? '').title}`,
        'error',
      );
  }, [outcome, say, t]);
  const failedCode = outcome && !outcome.ok ? outcome.code : undefined;

  const connect = () =>
    void action.run(async () => {
      const r = await send<{ authorizeUrl: string }>('POST', '/api/connections/salesforce/start', {
        loginKind: kind,
        ...(kind === 'mydomain' ? { loginUrl: myDomain } : {}),
        ...(clientId ? { clientId } : {}),
        ...(clientSecret ? { clientSecret } : {}),
      });
      window.location.assign(r.authorizeUrl);
      return t('connections.salesforce.redirecting');
    });
  const check = () =>
    void action.run(async () => {
      await send('POST', '/api/connections/salesforce/check');
      await reload();
      return t('connections.salesforce.checked');
    });
  const disconnect = () =>
    void action.run(async () => {
      await send('POST', '/api/connections/salesforce/disconnect');
      await reload();
      return t('connections.salesforce.disconnected');
    });

  return (
    <section className="card" aria-labelledby="sf-h">
      <h2 id="sf-h">{t('connections.salesforce.h')}</h2>
      {s.source === 'configuration' && <p className="hint">{t('connections.salesforce.fromConfig')}</p>}
      <p className="connection-state" id="sf-state">
        {s.connected ? (
          <>
            {t('connections.salesforce.connectedAs')}{' '}
            <span translate="no">
              {s.displayName} ({s.username})
            </span>
          </>
        ) : (
          t('connections.salesforce.notConnected')
        )}
      </p>
      {s.connected && (
        <dl className="facts">
          <dt>{t('connections.salesforce.org')}</dt>
          <dd id="sf-org" translate="no">
            {s.organizationId}
          </dd>
          <dt>{t('connections.salesforce.instance')}</dt>
          <dd translate="no">{s.instanceUrl}</dd>
          <dt>{t('connections.salesforce.connectedAt')}</dt>
          <dd>{when(s.connectedAt)}</dd>
          <dt>{t('connections.salesforce.lastSuccess')}</dt>
          <dd id="sf-last-success">{when(s.lastSuccessAt)}</dd>
        </dl>
      )}
      {s.connected && (
        <div className="buttons">
          <button type="button" onClick={check} disabled={action.busy}>
            {t('connections.salesforce.check')}
          </button>
          <button type="button" className="secondary" onClick={disconnect} disabled={action.busy}>
            {t('connections.salesforce.disconnect')}
          </button>
        </div>
      )}
      <form
        className="row-form"
        onSubmit={(e) => {
          e.preventDefault();
          connect();
        }}
      >
        <div className="field">
          <label htmlFor="sf-login-kind">{t('connections.salesforce.loginKind')}</label>
          <select id="sf-login-kind" value={kind} onChange={(e) => setKind(e.target.value as LoginKind)}>
            <option value="production">{t('connections.salesforce.production')}</option>
            <option value="sandbox">{t('connections.salesforce.sandbox')}</option>
            <option value="mydomain">{t('connections.salesforce.mydomain')}</option>
          </select>
        </div>
        {kind === 'mydomain' && (
          <div className="field">
            <label htmlFor="sf-my-domain">{t('connections.salesforce.myDomainUrl')}</label>
            <input
              id="sf-my-domain"
              type="url"
              required
              placeholder="https://acme.my.salesforce.com"
              value={myDomain}
              onChange={(e) => setMyDomain(e.target.value)}
            />
          </div>
        )}
        <div className="field">
          <label htmlFor="sf-client-id">{t('connections.salesforce.clientId')}</label>
          <input
            id="sf-client-id"
            type="text"
            required
            value={clientId}
            onChange={(e) => setClientId(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="sf-client-secret">{t('connections.salesforce.clientSecret')}</label>
          <input
            id="sf-client-secret"
            type="password"
            autoComplete="off"
            required={!s.hasClientSecret}
            placeholder={s.hasClientSecret ? t('connections.salesforce.secretStored') : ''}
            value={clientSecret}
            onChange={(e) => setClientSecret(e.target.value)}
          />
        </div>
        <p className="meta">
          {t('connections.salesforce.callback')} <code translate="no">{s.callbackUrl}</code>
        </p>
        <button type="submit" disabled={action.busy}>
          {s.connected ? t('connections.salesforce.reconnect') : t('connections.salesforce.connect')}
        </button>
      </form>
      <Notice message={action.message} kind={action.kind} />
      {failedCode && (
        <p className="fix">
          <CatalogueText text={errorInfo(failedCode).fix} />
        </p>
      )}
    </section>
  );
}
