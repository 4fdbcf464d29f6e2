// Sync health's "Live path" line (issue #14): Change Data Capture while its feed is live (with the
// last event's age), else polling and why. The status and reason are the server's (English, marked).
import { useTranslation } from 'react-i18next';
import { duration } from '../format';
import type { LivePath } from '../types';

export function LivePathLine({ live }: { live: LivePath }) {
  const { t } = useTranslation();
  const age =
    live.lastEventAgeSeconds === null
      ? '—'
      : t('health.liveCdcAgo', { duration: duration(live.lastEventAgeSeconds) });
  const text =
    live.path === 'cdc'
      ? t('health.liveCdc', { age })
      : live.cdc === null
        ? t('health.livePolling')
        : live.stale
          ? t('health.livePollingStale')
          : live.reason
            ? t('health.livePollingWhyReason', { status: live.cdc, reason: live.reason })
            : t('health.livePollingWhy', { status: live.cdc });
  return (
    <div>
      <dt>{t('health.livePath')}</dt>
      <dd data-testid="live-path">{text}</dd>
    </div>
  );
}
