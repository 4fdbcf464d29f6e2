// The only page a logged-out browser ever sees: a form, no data, no script, and no inline style
// either (the Content-Security-Policy allows neither; its style sheet is GET /login.css).
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

export function loginPage(error?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>dealbridge — log in</title>
<link rel="stylesheet" href="/login.css">
</head><body>
<main><form method="post" action="/login">
<h1>dealbridge</h1>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Log in</button>
</form></main></body></html>`;
}
