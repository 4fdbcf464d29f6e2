// Talking to the server: JSON in and out, the CSRF token of the session on every write, and a
// lost session (401) sends the browser back to the login form.
import { i18next } from './i18n';
import { errorInfo } from './i18n/errors';
let csrf: string | null = null;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function loggedOut(): never {
  window.location.assign('/login');
  throw new ApiError(401, 'unauthorized', i18next.t('common.sessionEnded'));
}

async function parse<T>(res: Response): Promise<T> {
  if (res.status === 401) loggedOut();
  const text = await res.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const e = (body ?? {}) as { error?: string; message?: string };
    throw new ApiError(res.status, e.error ?? String(res.status), e.message ?? res.statusText);
  }
  return body as T;
}

export async function get<T>(url: string): Promise<T> {
  return parse<T>(await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' }));
}

async function token(): Promise<string> {
  if (csrf) return csrf;
  const s = await get<{ csrfToken?: string }>('/api/session');
  if (!s.csrfToken) loggedOut();
  csrf = s.csrfToken;
  return csrf;
}

export async function send<T>(method: 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-csrf-token': await token() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return parse<T>(
    await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    }),
  );
}

export async function logout(): Promise<void> {
  await send('POST', '/api/logout');
  csrf = null;
  window.location.assign('/login');
}

/**
 * An API error as the UI shows it. In English the server's message as it always was; in another
 * language the code's title from the catalogue in that language first, then the server's message,
 * which names the field or record at fault (it is written in English by the server).
 */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const english = err.code && err.code !== 'bad_request' ? `${err.code}: ${err.message}` : err.message;
    if (i18next.language === 'en' || !err.code || err.code === 'unauthorized') return english;
    const title = errorInfo(err.code, { title: '' }).title;
    return title ? `${err.code}: ${title} (${err.message})` : english;
  }
  return err instanceof Error ? err.message : String(err);
}
