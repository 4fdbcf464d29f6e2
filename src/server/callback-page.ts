// The page Salesforce's redirect lands on (GET /connect/salesforce/callback). It is reached by a
// cross-site redirect, so the SameSite=Strict session cookie is not sent with it, nor with any
// redirect that follows: the page therefore moves on with a meta refresh, a navigation this
// origin starts, which carries the cookie to the Connections page. No script (the CSP allows
// none inline), in the UI's language as the login page is.
import type { LoginLanguage } from './login-page.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const texts = {
  en: { ok: 'Salesforce is connected.', failed: 'Salesforce was not connected', next: 'Continue' },
  de: { ok: 'Salesforce ist verbunden.', failed: 'Salesforce wurde nicht verbunden', next: 'Weiter' },
} as const;

export function callbackPage(
  language: LoginLanguage,
  outcome: { ok: true } | { ok: false; code: string },
): string {
  const t = texts[language];
  const target = outcome.ok
    ? '/connections?salesforce=connected'
    : `/connections?error=${encodeURIComponent(outcome.code)}`;
  const text = outcome.ok ? t.ok : `${t.failed}: ${outcome.code}`;
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${esc(target)}">
<title>dealbridge</title><link rel="stylesheet" href="/login.css"></head>
<body><main><p>${esc(text)}</p><p><a href="${esc(target)}">${esc(t.next)}</a></p></main></body></html>`;
}
