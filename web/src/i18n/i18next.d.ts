// Types every t() call against the English messages (and the error catalogue's namespace): a key
// that does not exist fails `tsc -p web/tsconfig.json`.
import 'i18next';
import type { en } from './en';
import type { ErrorTexts } from './errors';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en; errors: ErrorTexts };
  }
}
