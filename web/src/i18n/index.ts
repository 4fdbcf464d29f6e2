// The UI's languages (i18next + react-i18next). The language is the one the user picked with the
// switch in the header (kept in localStorage), else the browser's first language we have, else
// English. <html lang> follows it, so screen readers and hyphenation use the right language. The
// choice is also kept in a cookie (not a secret, readable by the page) so that the server's login
// page (src/server/login-page.ts), which comes before any script, is in the same language.
//
// The error catalogue (src/errors) is a namespace of its own, `errors`, built from the same texts
// the CLI prints and docs/errors.md holds. Why the browser renders error cards from the code rather
// than the server sending finished text: the code is already in every API answer, the catalogue is
// pure data with no server dependency, and a language switch then needs no refetch; the server's
// English title/fix stay in the answer as a fallback for a code this bundle does not know.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { de } from './de';
import { en } from './en';
import { errorTexts } from './errors';

export const languages = ['en', 'de'] as const;
export type Language = (typeof languages)[number];
export const STORAGE_KEY = 'dealbridge.language';

const isLanguage = (v: string | null | undefined): v is Language =>
  v !== null && v !== undefined && (languages as readonly string[]).includes(v);

function stored(): Language | null {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(v) ? v : null;
  } catch {
    return null; // storage disabled: the browser's language it is
  }
}

/** The browser's first preferred language we have ("de-AT" → de), else English. */
export function browserLanguage(
  prefs: readonly string[] = navigator.languages ?? [navigator.language],
): Language {
  for (const p of prefs) {
    const base = p.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

function rememberInCookie(lng: Language): void {
  document.cookie = `${STORAGE_KEY}=${lng}; path=/; max-age=31536000; SameSite=Strict`;
}

const chosen = stored();
if (chosen) rememberInCookie(chosen);

export const resources = {
  en: { translation: en, errors: errorTexts.en },
  de: { translation: de, errors: errorTexts.de },
} as const;

void i18next.use(initReactI18next).init({
  resources,
  lng: chosen ?? browserLanguage(),
  fallbackLng: 'en',
  ns: ['translation', 'errors'],
  defaultNS: 'translation',
  // React escapes what it renders; i18next must not escape a second time.
  interpolation: { escapeValue: false },
  returnNull: false,
});

const setHtmlLang = (lng: string) => document.documentElement.setAttribute('lang', lng);
setHtmlLang(i18next.language);
i18next.on('languageChanged', setHtmlLang);

export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : 'en';
}

/** The switch: remembered in this browser, applied at once. */
export function setLanguage(lng: Language): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    /* not remembered, still applied */
  }
  rememberInCookie(lng);
  void i18next.changeLanguage(lng);
}

export { i18next };
