// The settings page's "HubSpot property labels" section.
import { useTranslation } from 'react-i18next';
import { send } from '../api';
import type { SettingsView } from '../types';
import { Notice, useAction } from './common';

/**
 * The `language` setting: the language of the labels `dealbridge setup` gives the HubSpot
 * properties and property group it creates (not the UI's language, which is this browser's).
 */
export function PropertyLabelsSection({ v, reload }: { v: SettingsView; reload: () => Promise<void> }) {
  const { t } = useTranslation();
  const action = useAction();
  return (
    <section className="card" aria-labelledby="labels-h">
      <h2 id="labels-h">{t('settings.labels.h')}</h2>
      <div className="field">
        <label htmlFor="property-language">{t('settings.labels.label')}</label>
        <select
          id="property-language"
          value={v.settings.language}
          disabled={action.busy}
          aria-describedby="property-language-hint"
          onChange={(e) => {
            const value = e.target.value;
            void action.run(async () => {
              await send('PUT', '/api/settings/language', { value });
              await reload();
              return t('settings.labels.savedRun');
            });
          }}
        >
          <option value="en">{t('settings.labels.en')}</option>
          <option value="de">{t('settings.labels.de')}</option>
        </select>
        <p id="property-language-hint" className="hint">
          {t('settings.labels.hint')}
        </p>
      </div>
      <Notice message={action.message} kind={action.kind} />
    </section>
  );
}
