// Minimal HTTP plumbing over node:http: JSON bodies, Salesforce-style error responses.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, apiError } from './errors.js';

export interface Reply {
  status: number;
  body?: unknown;
  /** Raw text body (already serialised); wins over `body`. */
  text?: string;
  headers?: Record<string, string>;
  /** Send only this many bytes of the body (announced at its full length), then cut the connection. */
  truncateAfter?: number;
}

export const JSON_TYPE = 'application/json;charset=UTF-8';

export async function readBody(req: IncomingMessage, limit = 50 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) throw apiError(413, 'REQUEST_ENTITY_TOO_LARGE', 'Request body too large');
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON request body the way Salesforce rejects bad ones (400 JSON_PARSER_ERROR). */
export function parseJson(text: string): unknown {
  if (text.trim() === '')
    throw apiError(400, 'JSON_PARSER_ERROR', 'The request body is either invalid or incomplete');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw apiError(
      400,
      'JSON_PARSER_ERROR',
      `Unexpected character in JSON request body: ${(e as Error).message}`,
    );
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload: string | undefined = reply.text;
  if (payload === undefined && reply.body !== undefined) payload = JSON.stringify(reply.body);
  if (payload !== undefined && !headers['Content-Type']) headers['Content-Type'] = JSON_TYPE;
  if (reply.truncateAfter !== undefined) {
    const bytes = Buffer.from(payload ?? '', 'utf8');
    res.writeHead(reply.status, { ...headers, 'Content-Length': String(bytes.length) });
    res.write(bytes.subarray(0, Math.max(0, Math.min(reply.truncateAfter, bytes.length - 1))));
    // Flushed, then the socket goes: the client holds a body shorter than announced.
    setImmediate(() => res.destroy());
    return;
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

export function errorReply(e: unknown): Reply {
  if (e instanceof ApiError) return { status: e.status, body: e.errors };
  const message = e instanceof Error ? e.message : String(e);
  return {
    status: 500,
    body: [
      { errorCode: 'UNKNOWN_EXCEPTION', message: `An unexpected error occurred (emulator): ${message}` },
    ],
  };
}
