// Sync health's "Live path" line (issue #14): Change Data Capture while its feed is live (with the
// last event's age), else polling and why. With a catalogue code (CDC_NOT_SELECTED, …) the why is
// the code's title and fix in the UI's language, as error cards show them; without one, the
// server's reason (English, marked lang="en").
import { useTranslation } from 'react-i18next';
import { duration } from '../format';
import { errorInfo } from '../i18n/errors';
import type { LivePath } from '../types';
import { CatalogueText } from './common';

const STATUS_KEYS = {
  live: 'live',
  connecting: 'connecting',
  down: 'down',
  'not-selected': 'notSelected',
  off: 'off',
} as const;

export function LivePathLine({ live }: { live: LivePath }) {
  const { t } = useTranslation();
  // The feed's status word in the UI's language; one this bundle does not know, as the server sent it.
  const key =
    live.cdc !== null && Object.hasOwn(STATUS_KEYS, live.cdc)
      ? STATUS_KEYS[live.cdc as keyof typeof STATUS_KEYS]
      : null;
  const status = key ? t(`health.cdcStatus.${key}`) : (live.cdc ?? '');
  const age =
    live.lastEventAgeSeconds === null
      ? '—'
      : t('health.liveCdcAgo', { duration: duration(live.lastEventAgeSeconds) });
  const info = live.path === 'polling' && !live.stale && live.code ? errorInfo(live.code) : null;
  const text =
    live.path === 'cdc'
      ? t('health.liveCdc', { age })
      : live.cdc === null
        ? t('health.livePolling')
        : live.stale
          ? t('health.livePollingStale')
          : info
            ? t('health.livePollingWhyCode', { status, title: info.title })
            : t('health.livePollingWhy', { status });
  const reason = !info && live.path === 'polling' && !live.stale && live.cdc !== null ? live.reason : null;
  return (
    <div>
      <dt>{t('health.livePath')}</dt>
      <dd data-testid="live-path">
        {text}
        {info && (
          <>
            {' '}
            <span className="code" translate="no">
              {live.code}
            </span>
          </>
        )}
        {reason && (
          <>
            {': '}
            <span lang="en">{reason}</span>
          </>
        )}
      </dd>
      {info?.fix && (
        <dd data-testid="live-path-fix">
          {t('health.liveFix')} <CatalogueText text={info.fix} />
        </dd>
      )}
    </div>
  );
}
