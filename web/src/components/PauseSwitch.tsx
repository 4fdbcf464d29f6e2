// "Pause sync" / "Resume sync" (issue #17): the safety switch every writer reads before it writes
// (sync passes, the import, resync), in the store, so it reaches a loop in any process at once.
import { send } from '../api';
import { useAction, Notice } from './common';
import { when } from '../format';

interface PauseState {
  paused: boolean;
  since: string | null;
  changed: boolean;
}

export function PauseSwitch({
  paused,
  since,
  reload,
}: {
  paused: boolean;
  since: string | null;
  reload: () => Promise<void>;
}) {
  const action = useAction();
  return (
    <div className="pause-switch" data-testid="pause-switch">
      <p className={paused ? 'paused-banner' : 'meta'} data-testid="pause-state">
        {paused
          ? `Sync paused since ${when(since)}: nothing is written to HubSpot (sync, import, resync). The change feeds keep their place; resuming syncs what changed meanwhile.`
          : 'Pausing stops every write to HubSpot at once; the change feeds keep their place.'}
      </p>
      <button
        type="button"
        className={paused ? undefined : 'secondary'}
        disabled={action.busy}
        onClick={() =>
          void action.run(async () => {
            const s = await send<PauseState>('POST', paused ? '/api/sync/resume' : '/api/sync/pause');
            await reload();
            return s.paused
              ? 'Sync paused: a pass in flight stops before its next batch.'
              : 'Sync resumed: the next pass syncs what changed meanwhile.';
          })
        }
      >
        {paused ? 'Resume sync' : 'Pause sync'}
      </button>
      <Notice message={action.message} kind={action.kind} />
    </div>
  );
}
