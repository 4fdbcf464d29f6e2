import { StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { logout } from './api';
import { useData } from './components/common';
import { num } from './format';
import { LanguageSwitch } from './components/LanguageSwitch';
import './i18n';
import { useLive } from './live';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { HealthPage } from './pages/HealthPage';
import { ImportPage } from './pages/ImportPage';
import { RecordsPage } from './pages/RecordsPage';
import { SettingsPage } from './pages/SettingsPage';
import { navigate, usePath } from './router';
import './styles.css';

const pages = [
  { path: '/settings', key: 'settings' },
  { path: '/import', key: 'import' },
  { path: '/health', key: 'health' },
  { path: '/records', key: 'records' },
  { path: '/connections', key: 'connections' },
] as const;

interface Overview {
  opportunitySync: boolean;
  paused: boolean;
  errors: number;
  warnings: number;
  importRunning: boolean;
}

function NavLink({ path, label, active }: { path: string; label: string; active: boolean }) {
  return (
    <a
      href={path}
      aria-current={active ? 'page' : undefined}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(path);
      }}
    >
      {label}
    </a>
  );
}

function App() {
  const { t } = useTranslation();
  const path = usePath();
  const overview = useData<Overview>('/api/overview');
  useLive(['sync', 'errors', 'settings', 'import'], () => void overview.reload(), 15_000);
  const page = pages.find((p) => path === p.path || path.startsWith(`${p.path}/`));
  useEffect(() => {
    if (!page) navigate('/settings');
  }, [page]);
  useEffect(() => {
    document.title = `${page ? t(`app.title.${page.key}`) : 'dealbridge'} · dealbridge`;
  }, [page, t]);
  const o = overview.data;
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="top">
        <div className="brand">
          <span aria-hidden="true" className="logo">
            ⇄
          </span>{' '}
          dealbridge
        </div>
        <nav aria-label={t('app.navLabel')}>
          {pages.map((p) => (
            <NavLink key={p.path} path={p.path} label={t(`app.nav.${p.key}`)} active={p === page} />
          ))}
        </nav>
        <div className="session">
          {o && (
            <span
              className={`pill ${o.opportunitySync ? 'on' : 'off'}`}
              aria-label={t(`app.syncPillLabel.${o.opportunitySync ? 'on' : 'off'}`)}
            >
              {t(`app.syncPill.${o.opportunitySync ? 'on' : 'off'}`)}
            </span>
          )}
          {o?.paused && (
            <a
              className="pill warn"
              href="/health"
              onClick={(e) => (e.preventDefault(), navigate('/health'))}
            >
              {t('app.paused')}
            </a>
          )}
          {o && o.errors > 0 && (
            <a
              className="pill warn"
              href="/health"
              onClick={(e) => (e.preventDefault(), navigate('/health'))}
            >
              {t('app.errors', { count: o.errors, n: num(o.errors) })}
            </a>
          )}
          <LanguageSwitch />
          <button type="button" className="link" onClick={() => void logout()}>
            {t('app.logout')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {page?.path === '/connections' && <ConnectionsPage />}
        {page?.path === '/settings' && <SettingsPage />}
        {page?.path === '/import' && <ImportPage />}
        {page?.path === '/health' && <HealthPage />}
        {page?.path === '/records' && <RecordsPage path={path} />}
      </main>
    </>
  );
}

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
