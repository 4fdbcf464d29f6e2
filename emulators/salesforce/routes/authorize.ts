// The web-server flow's pages, as Salesforce shows them: GET /services/oauth2/authorize answers a
// login form; its POST checks the user name and password, then shows the consent page ("Allow
// Access?"); Allow redirects to the redirect_uri with a `code` and the `state` passed back, Deny
// with `error=access_denied`. The PKCE `code_challenge` travels with the code (oauth.ts checks the
// verifier at the token endpoint). Only S256 is accepted, the one method Salesforce documents.
import { randomBytes } from 'node:crypto';
import type { EmulatorState } from '../state.js';
import type { Reply } from '../http.js';

/** Parameters of the authorization request carried through the pages. */
const CARRIED = [
  'response_type',
  'client_id',
  'redirect_uri',
  'state',
  'code_challenge',
  'code_challenge_method',
  'scope',
];

interface Pending {
  userId: string;
  params: URLSearchParams;
}

const pending = new WeakMap<EmulatorState, Map<string, Pending>>();
const pendingOf = (state: EmulatorState) => {
  let m = pending.get(state);
  if (!m) pending.set(state, (m = new Map()));
  return m;
};

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): Reply {
  return {
    status: 200,
    text: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><main>${body}</main></body></html>`,
    headers: { 'Content-Type': 'text/html;charset=UTF-8', 'Cache-Control': 'no-store' },
  };
}

function hidden(params: URLSearchParams): string {
  return CARRIED.filter((k) => params.has(k))
    .map((k) => `<input type="hidden" name="${k}" value="${esc(params.get(k)!)}">`)
    .join('');
}

function loginPage(params: URLSearchParams, error?: string): Reply {
  return page(
    'Login | Salesforce',
    `<h1>Log in to Salesforce</h1>${error ? `<p role="alert" id="error">${esc(error)}</p>` : ''}
<form method="post" action="/services/oauth2/authorize">${hidden(params)}<input type="hidden" name="step" value="login">
<label>Username <input name="username" id="username" autocomplete="username" value="${esc(params.get('login_hint') ?? '')}"></label>
<label>Password <input name="password" id="password" type="password" autocomplete="current-password"></label>
<button type="submit" id="Login">Log In</button></form>`,
  );
}

function badRequest(error: string, description: string): Reply {
  return { status: 400, body: { error, error_description: description } };
}

/** Checks what a request must carry before any page is shown. */
function invalid(state: EmulatorState, q: URLSearchParams): Reply | undefined {
  if (q.get('client_id') !== state.tokens.config.clientId)
    return badRequest('invalid_client_id', 'client identifier invalid');
  if (!q.get('redirect_uri') || q.get('response_type') !== 'code')
    return badRequest('unsupported_response_type', 'response_type must be code with a redirect_uri');
  const method = q.get('code_challenge_method');
  if (method !== null && method !== 'S256')
    return badRequest('invalid_request', 'code_challenge_method must be S256');
  return undefined;
}

function redirect(to: string, params: Record<string, string | null>): Reply {
  const target = new URL(to);
  for (const [k, v] of Object.entries(params)) if (v !== null) target.searchParams.set(k, v);
  return { status: 302, headers: { Location: target.toString(), 'Cache-Control': 'no-store' } };
}

export function authorizePage(state: EmulatorState, url: URL): Reply {
  return invalid(state, url.searchParams) ?? loginPage(url.searchParams);
}

export function authorizeSubmit(state: EmulatorState, raw: string): Reply {
  const form = new URLSearchParams(raw);
  if (form.get('step') === 'consent') {
    const id = form.get('request') ?? '';
    const p = pendingOf(state).get(id);
    pendingOf(state).delete(id);
    if (!p) return page('Error | Salesforce', '<h1>This page has expired.</h1><p>Start the login again.</p>');
    const to = p.params.get('redirect_uri')!;
    const st = p.params.get('state');
    if (form.get('decision') !== 'allow')
      return redirect(to, {
        error: 'access_denied',
        error_description: 'end-user denied authorization',
        state: st,
      });
    const code = state.tokens.issueCode(p.userId, to, p.params.get('code_challenge') ?? undefined);
    return redirect(to, { code, state: st });
  }
  const bad = invalid(state, form);
  if (bad) return bad;
  const userId = state.userByUsername(form.get('username') ?? '');
  const password = form.get('password') ?? '';
  if (!userId || password === '' || !password.startsWith(state.tokens.config.password))
    return loginPage(
      form,
      "Please check your username and password. If you still can't log in, contact your Salesforce administrator.",
    );
  const request = randomBytes(18).toString('base64url');
  const params = new URLSearchParams();
  for (const k of CARRIED) if (form.has(k)) params.set(k, form.get(k)!);
  pendingOf(state).set(request, { userId, params });
  const user = state.store.get('User', userId);
  return page(
    'Allow Access? | Salesforce',
    `<h1>Allow Access?</h1><p>The app is asking to access your Salesforce data as <strong id="user">${esc(String(user?.Username ?? ''))}</strong>: access and manage your data (api), perform requests at any time (refresh_token, offline_access).</p>
<form method="post" action="/services/oauth2/authorize"><input type="hidden" name="step" value="consent"><input type="hidden" name="request" value="${request}">
<button type="submit" name="decision" value="deny" id="oaapprove-deny">Deny</button> <button type="submit" name="decision" value="allow" id="oaapprove">Allow</button></form>`,
  );
}
