// Wire helpers shared by every route: HubSpot's error body, JSON replies, request bodies.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface ErrorDetail {
  message: string;
  code?: string;
  in?: string;
  subCategory?: string;
  context?: Record<string, string[]>;
}

/** A failure that a route throws and the server turns into HubSpot's `Error` body. */
export class HubError extends Error {
  constructor(
    readonly status: number,
    readonly category: string,
    message: string,
    readonly extra: {
      errors?: ErrorDetail[];
      context?: Record<string, string[]>;
      subCategory?: string;
      links?: Record<string, string>;
    } = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    const out: Record<string, unknown> = {
      status: 'error',
      message: this.message,
      correlationId: randomUUID(),
      category: this.category,
    };
    if (this.extra.subCategory) out.subCategory = this.extra.subCategory;
    if (this.extra.errors) out.errors = this.extra.errors;
    if (this.extra.context) out.context = this.extra.context;
    if (this.extra.links) out.links = this.extra.links;
    return out;
  }
}

export const badRequest = (message: string, extra?: HubError['extra']) =>
  new HubError(400, 'VALIDATION_ERROR', message, extra);
export const notFound = (message = 'Resource not found') => new HubError(404, 'OBJECT_NOT_FOUND', message);

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as it is instead of `body` (with `contentType`, default JSON's). */
  raw?: string;
  contentType?: string;
  /** Send only this many bytes of the body (announced at its full length), then cut the connection. */
  truncateAfter?: number;
}

export const ok = (body: unknown, status = 200): Reply => ({ status, body });
export const noContent = (): Reply => ({ status: 204 });

export function send(res: ServerResponse, reply: Reply, extraHeaders: Record<string, string>): void {
  const headers: Record<string, string> = { ...extraHeaders, ...reply.headers };
  if ((reply.body === undefined && reply.raw === undefined) || reply.status === 204) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  // Encode once: the length header and the bytes sent come from the same buffer.
  const bytes = Buffer.from(reply.raw ?? JSON.stringify(reply.body), 'utf8');
  headers['content-type'] = reply.contentType ?? 'application/json;charset=utf-8';
  headers['content-length'] = String(bytes.length);
  res.writeHead(reply.status, headers);
  if (reply.truncateAfter === undefined) {
    res.end(bytes);
    return;
  }
  res.write(bytes.subarray(0, Math.max(0, Math.min(reply.truncateAfter, bytes.length - 1))));
  // Flushed, then the socket goes: the client holds a body shorter than announced.
  setImmediate(() => res.destroy());
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new HubError(400, 'VALIDATION_ERROR', `Invalid input JSON on line 1: ${(e as Error).message}`);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The body as an object, or HubSpot's 400 for a missing/wrong-shaped body. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (!isRecord(body)) throw badRequest('Invalid input JSON: request body must be a JSON object');
  return body;
}

export function inputsOf(body: unknown, max = 100): unknown[] {
  const b = objectBody(body);
  const inputs = b.inputs;
  if (!Array.isArray(inputs))
    throw badRequest('Invalid input JSON: "inputs" is required and must be an array');
  if (inputs.length > max) {
    throw badRequest(`Batch input limit exceeded: at most ${max} inputs are allowed, got ${inputs.length}`, {
      errors: [{ message: `size must be between 0 and ${max}`, code: 'INVALID_BATCH_SIZE' }],
    });
  }
  return inputs;
}

// Reads format the same few instants over and over (a batch's write time, a seed's creation
// time): remembering the last two saves most toISOString calls on the hot paths.
let isoA = NaN;
let isoAText = '';
let isoB = NaN;
let isoBText = '';
export function iso(ms: number): string {
  if (ms === isoA) return isoAText;
  if (ms === isoB) return isoBText;
  const text = new Date(ms).toISOString();
  isoB = isoA;
  isoBText = isoAText;
  isoA = ms;
  isoAText = text;
  return text;
}
