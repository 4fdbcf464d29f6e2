// The only page a logged-out browser ever sees: a form, no data, no script, and no inline style
// either (the Content-Security-Policy allows neither; its style sheet is GET /login.css). In the
// web UI's language when the server can tell it: the cookie the UI's language switch sets, else
// the browser's Accept-Language, else English.
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const LOGIN_PAGE_CSS = `body{font-family:system-ui,sans-serif;background:#f5f8fa;margin:0;display:grid;place-items:center;min-height:100vh}
form{background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002;width:min(22rem,90vw)}
h1{font-size:1.25rem;margin:0 0 1rem}label{display:block;margin-bottom:.25rem}
input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;margin-bottom:1rem}
button{padding:.5rem 1rem;font-size:1rem;background:#0b5cad;color:#fff;border:0;border-radius:4px}
.error{color:#b00020;margin:0 0 1rem}
`;

/** The cookie web/src/i18n/index.ts sets beside its localStorage entry. */
export const LANGUAGE_COOKIE = 'dealbridge.language';

export type LoginLanguage = 'en' | 'de';

/** Why a login was refused. */
export type LoginProblem =
  | { kind: 'invalid' }
  | { kind: 'throttled'; seconds: number }
  | { kind: 'tokenInLink' }
  | { kind: 'linkUsed' };

const texts: Record<
  LoginLanguage,
  { title: string; label: string; button: string; problem: (p: LoginProblem) => string }
> = {
  en: {
    title: 'dealbridge — log in',
    label: 'Admin token',
    button: 'Log in',
    problem: (p) =>
      p.kind === 'invalid'
        ? 'That token is not valid.'
        : p.kind === 'throttled'
          ? `Too many wrong tokens. Try again in ${p.seconds} s.`
          : p.kind === 'tokenInLink'
            ? 'The admin token is not accepted in a link. Paste it below.'
            : 'That login link has been used or has expired. Log in with the admin token.',
  },
  de: {
    title: 'dealbridge — Anmelden',
    label: 'Admin-Token',
    button: 'Anmelden',
    problem: (p) =>
      p.kind === 'invalid'
        ? 'Dieses Token ist nicht gültig.'
        : p.kind === 'throttled'
          ? `Zu viele falsche Tokens. Versuchen Sie es in ${p.seconds} s erneut.`
          : p.kind === 'tokenInLink'
            ? 'Das Admin-Token wird in einem Link nicht angenommen. Fügen Sie es unten ein.'
            : 'Dieser Anmeldelink wurde schon benutzt oder ist abgelaufen. Melden Sie sich mit dem Admin-Token an.',
  },
};

/** The English text of a refusal: what the JSON API's `message` has always said. */
export function loginProblemText(problem: LoginProblem, language: LoginLanguage = 'en'): string {
  return texts[language].problem(problem);
}

/** The UI's language cookie when it names one we have, else the first of Accept-Language we have. */
export function loginLanguage(cookie: string | undefined, acceptLanguage: string | undefined): LoginLanguage {
  if (cookie === 'en' || cookie === 'de') return cookie;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const base = part.trim().split(';')[0]?.split('-')[0]?.toLowerCase();
    if (base === 'en' || base === 'de') return base;
  }
  return 'en';
}

export function loginPage(language: LoginLanguage = 'en', problem?: LoginProblem): string {
  const t = texts[language];
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.title)}</title>
<link rel="stylesheet" href="/login.css">
</head><body>
<main><form method="post" action="/login">
<h1>dealbridge</h1>
${problem ? `<p class="error" role="alert">${escapeHtml(t.problem(problem))}</p>` : ''}
<label for="token">${escapeHtml(t.label)}</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">${escapeHtml(t.button)}</button>
</form></main></body></html>`;
}
