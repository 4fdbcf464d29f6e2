// Test helper for the integration tests: one emulator per suite and a raw-fetch client that
// returns status, parsed body and headers (the wire, not an SDK's view of it).
import { createHubspotEmulator, type HubspotEmulator, type HubspotEmulatorOptions } from './index.js';

export interface WireReply {
  status: number;
  // Tests read arbitrary JSON paths; the assertions are the type check.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Headers;
}

export interface TestPortal {
  emu: HubspotEmulator;
  api(method: string, path: string, body?: unknown, token?: string | null): Promise<WireReply>;
  admin(method: string, path: string, body?: unknown): Promise<WireReply>;
  close(): Promise<void>;
}

export async function startPortal(options: HubspotEmulatorOptions = {}): Promise<TestPortal> {
  const emu = await createHubspotEmulator({ rateLimits: false, ...options });
  const call = async (
    method: string,
    path: string,
    body: unknown,
    token: string | null,
  ): Promise<WireReply> => {
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(emu.url + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: text ? (JSON.parse(text) as unknown) : undefined,
      headers: res.headers,
    };
  };
  return {
    emu,
    api: (method, path, body, token) =>
      call(method, path, body, token === undefined ? emu.accessToken : token),
    admin: (method, path, body) => call(method, `/__emulator${path}`, body, null),
    close: () => emu.close(),
  };
}
