// Test helpers: start an emulator, get a jsforce Connection as a jsforce user would configure it,
// and make raw HTTP calls for wire-level assertions.
import jsforce from 'jsforce';
import { createSalesforceEmulator } from './index.js';
import type { SalesforceEmulator, SalesforceEmulatorOptions } from './index.js';

export const API = '/services/data/v62.0';

export interface RawResponse {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export interface TestOrg {
  emu: SalesforceEmulator;
  conn: jsforce.Connection;
  accessToken: string;
  refreshToken: string;
  /** Raw request with the test's bearer token (unless headers.Authorization is given). */
  raw(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<RawResponse>;
  admin(method: string, path: string, body?: unknown): Promise<RawResponse>;
  close(): Promise<void>;
}

export async function rawFetch(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['Content-Type'] ??= 'application/json';
  }
  const res = await fetch(url, { ...init, redirect: 'manual' });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

export async function startOrg(options: SalesforceEmulatorOptions = {}): Promise<TestOrg> {
  const emu = await createSalesforceEmulator(options);
  const t = await emu.admin.issueTokens();
  const org: TestOrg = {
    emu,
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
    conn: new jsforce.Connection({
      oauth2: { loginUrl: emu.url, clientId: emu.clientId, clientSecret: emu.clientSecret },
      instanceUrl: t.instanceUrl,
      accessToken: t.accessToken,
      refreshToken: t.refreshToken,
      version: '62.0',
    }),
    raw: (method, path, body, headers = {}) =>
      rawFetch(`${emu.url}${path}`, method, body, { Authorization: `Bearer ${org.accessToken}`, ...headers }),
    admin: (method, path, body) => rawFetch(`${emu.url}/__emulator/${path}`, method, body),
    close: () => emu.close(),
  };
  return org;
}
