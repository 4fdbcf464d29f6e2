// "Pause sync" / "Resume sync" (issue #17): the safety switch every writer reads before it writes
// (sync passes, the import, resync), in the store, so it reaches a loop in any process at once.
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation();
  const action = useAction();
  return (
    <div className="pause-switch" data-testid="pause-switch">
      <p className={paused ? 'paused-banner' : 'meta'} data-testid="pause-state">
        {paused ? t('pause.pausedSince', { at: when(since) }) : t('pause.hint')}
      </p>
      <button
        type="button"
        className={paused ? undefined : 'secondary'}
        disabled={action.busy}
        onClick={() =>
          void action.run(async () => {
            const s = await send<PauseState>('POST', paused ? '/api/sync/resume' : '/api/sync/pause');
            await reload();
            return s.paused ? t('pause.didPause') : t('pause.didResume');
          })
        }
      >
        {paused ? t('pause.resume') : t('pause.pause')}
      </button>
      <Notice message={action.message} kind={action.kind} />
    </div>
  );
}
