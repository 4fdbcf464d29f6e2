// HubSpot's v3 request signature ("Validating requests from HubSpot", and @hubspot/api-client's
// Signature): base64 HMAC-SHA256, keyed with the app's client secret, of method + URI + raw body +
// X-HubSpot-Request-Timestamp (ms). A receiver refuses a timestamp older than 5 minutes (the SDK's
// MAX_ALLOWED_TIMESTAMP, 300,000 ms) and, here, a delivery it has already taken (a replay: the
// same signature again within those 5 minutes; HubSpot's own retries are signed afresh).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_AGE_MS = 5 * 60_000;

// The docs tell receivers to decode these escapes in the URI before hashing: HubSpot signs the
// decoded form.
const DECODED: Readonly<Record<string, string>> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export function signedUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODED[m.toUpperCase()] ?? m);
}

export function signV3(secret: string, method: string, uri: string, body: string, timestamp: string): string {
  return createHmac('sha256', secret)
    .update(method + signedUri(uri) + body + timestamp, 'utf8')
    .digest('base64');
}

export type Verdict =
  { ok: true } | { ok: false; reason: 'unsigned' | 'stale' | 'bad-signature' | 'replayed' };

export interface SignedRequest {
  method: string;
  /** The URL HubSpot called: protocol, host, path and query as they reached us. */
  uri: string;
  body: string;
  signature: string | undefined;
  timestamp: string | undefined;
}

/** Remembers the signatures taken in the last 5 minutes (older ones are refused as stale anyway). */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  /** false when this signature was seen already; else remembers it. */
  take(signature: string, nowMs: number): boolean {
    for (const [s, at] of this.seen) if (nowMs - at > MAX_AGE_MS) this.seen.delete(s);
    if (this.seen.has(signature)) return false;
    this.seen.set(signature, nowMs);
    return true;
  }
}

export function verifyV3(req: SignedRequest, secret: string, nowMs: number, replays: ReplayGuard): Verdict {
  if (!req.signature || !req.timestamp || !/^\d+$/.test(req.timestamp))
    return { ok: false, reason: 'unsigned' };
  if (Math.abs(nowMs - Number(req.timestamp)) > MAX_AGE_MS) return { ok: false, reason: 'stale' };
  const want = Buffer.from(signV3(secret, req.method, req.uri, req.body, req.timestamp));
  const got = Buffer.from(req.signature);
  if (want.length !== got.length || !timingSafeEqual(want, got))
    return { ok: false, reason: 'bad-signature' };
  // Only a valid signature is remembered: forged ones must not fill the memory.
  if (!replays.take(req.signature, nowMs)) return { ok: false, reason: 'replayed' };
  return { ok: true };
}
