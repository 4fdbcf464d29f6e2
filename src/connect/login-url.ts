// Where the Salesforce sign-in starts: production, a sandbox, or the org's My Domain URL.
import { DealbridgeError } from '../errors/index.js';

export const LOGIN_URLS = {
  production: 'https://login.salesforce.com',
  sandbox: 'https://test.salesforce.com',
} as const;

export type LoginKind = keyof typeof LOGIN_URLS | 'mydomain';

const loopback = (host: string) => host === '127.0.0.1' || host === 'localhost' || host === '[::1]';

/**
 * The login URL, origin only. A My Domain URL must be https (My Domains are); plain http is let
 * through for loopback hosts only, where the Salesforce emulator runs.
 */
export function loginUrlOf(kind: LoginKind, myDomain?: string): string {
  if (kind !== 'mydomain') return LOGIN_URLS[kind];
  let url: URL;
  try {
    url = new URL((myDomain ?? '').trim());
  } catch {
    throw new DealbridgeError(
      'CONFIG_INVALID',
      'login URL: not a URL (e.g. https://acme.my.salesforce.com)',
      {
        field: 'loginUrl',
      },
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback(url.hostname)))
    throw new DealbridgeError(
      'CONFIG_INVALID',
      'login URL: must be https (e.g. https://acme.my.salesforce.com)',
      {
        field: 'loginUrl',
      },
    );
  return url.origin;
}

/** Which kind a stored login URL is, for the form. */
export function loginKindOf(loginUrl: string): LoginKind {
  const entry = Object.entries(LOGIN_URLS).find(([, u]) => u === loginUrl);
  return entry ? (entry[0] as LoginKind) : 'mydomain';
}
