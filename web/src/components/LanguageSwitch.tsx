// English / Deutsch, in the header of every page. The choice is kept in this browser
// (localStorage) and wins over the browser's language from then on. Each language is named in
// itself, as language pickers do, and marked with its lang so a screen reader says it right.
import { useTranslation } from 'react-i18next';
import { currentLanguage, languages, setLanguage, type Language } from '../i18n';

const names: Record<Language, string> = { en: 'English', de: 'Deutsch' };

export function LanguageSwitch() {
  const { t } = useTranslation();
  return (
    <label className="language">
      <span className="sr-only">{t('app.language')}</span>
      <select
        value={currentLanguage()}
        onChange={(e) => setLanguage(e.target.value as Language)}
        data-testid="language-switch"
      >
        {languages.map((l) => (
          <option key={l} value={l} lang={l}>
            {names[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
