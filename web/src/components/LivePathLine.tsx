// Sync health's "Live path" line (issue #14): Change Data Capture while its feed is live (with the
// last event's age), else polling and why.
import { duration } from '../format';
import type { LivePath } from '../types';

export function LivePathLine({ live }: { live: LivePath }) {
  const text =
    live.path === 'cdc'
      ? `Change Data Capture (last event ${live.lastEventAgeSeconds === null ? '—' : `${duration(live.lastEventAgeSeconds)} ago`})`
      : `Polling${live.cdc === null ? '' : live.stale ? ' (CDC feed not running)' : ` (CDC ${live.cdc}${live.reason ? `: ${live.reason}` : ''})`}`;
  return (
    <div>
      <dt>Live path</dt>
      <dd data-testid="live-path">{text}</dd>
    </div>
  );
}
