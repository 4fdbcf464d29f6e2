// The error catalogue's texts in both languages, as the `errors` namespace: the English ones are
// the catalogue's own (src/errors/catalogue.ts), the German ones src/errors/catalogue-de.ts; both
// are pure data that docs/errors.md is checked against. Codes this bundle does not know (a newer
// server) fall back to the text the server sent.
import i18next from 'i18next';
import {
  errorCatalogue,
  httpErrorCatalogue,
  type ErrorCode,
  type HttpErrorCode,
} from '../../../src/errors/catalogue.js';
import { germanErrorTexts, germanHttpErrorTexts } from '../../../src/errors/catalogue-de.js';

type Code = ErrorCode | HttpErrorCode;
// A type alias, not an interface: i18next's key types descend only into plain object types.
type Texts = { title: string; description: string; fix: string };
export type ErrorTexts = { [C in Code]: Texts };

const pick = ({ title, description, fix }: Texts): Texts => ({ title, description, fix });
const english = Object.fromEntries(
  [...Object.values(errorCatalogue), ...Object.values(httpErrorCatalogue)].map((i) => [i.code, pick(i)]),
) as ErrorTexts;

export const errorTexts: Record<'en' | 'de', ErrorTexts> = {
  en: english,
  de: { ...germanErrorTexts, ...germanHttpErrorTexts },
};

const known = (code: string): code is Code => Object.hasOwn(english, code);

/** Title, meaning and fix of a code in the current language; `fallback` for an unknown code. */
export function errorInfo(code: string, fallback: Partial<Texts> = {}): Texts {
  if (!known(code))
    return {
      title: fallback.title ?? code,
      description: fallback.description ?? '',
      fix: fallback.fix ?? '',
    };
  return {
    title: i18next.t(`${code}.title`, { ns: 'errors' }),
    description: i18next.t(`${code}.description`, { ns: 'errors' }),
    fix: i18next.t(`${code}.fix`, { ns: 'errors' }),
  };
}
