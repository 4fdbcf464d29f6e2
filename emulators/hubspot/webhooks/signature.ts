// HubSpot's request signatures, as documented in "Validating requests from HubSpot"
// (developers.hubspot.com/docs/guides/apps/authentication/validating-requests) and implemented
// by @hubspot/api-client's `Signature.getSignature` (v1, v2, v3). Pure functions.
import { createHash, createHmac } from 'node:crypto';

// The v3 docs tell receivers to decode these escapes in the URI before hashing; HubSpot signs the
// decoded form, so a receiver that rebuilds the URI from its own request line gets the same string.
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

/** v1: hex SHA-256 of clientSecret + body (sent with `X-HubSpot-Signature-Version: v1`). */
export function signV1(clientSecret: string, body: string): string {
  return createHash('sha256')
    .update(clientSecret + body, 'utf8')
    .digest('hex');
}

/** v2: hex SHA-256 of clientSecret + method + uri + body. */
export function signV2(clientSecret: string, method: string, uri: string, body: string): string {
  return createHash('sha256')
    .update(clientSecret + method + uri + body, 'utf8')
    .digest('hex');
}

/** v3: base64 HMAC-SHA256 (key: clientSecret) of method + uri + body + timestamp (ms). */
export function signV3(
  clientSecret: string,
  method: string,
  uri: string,
  body: string,
  timestamp: number,
): string {
  return createHmac('sha256', clientSecret)
    .update(method + signedUri(uri) + body + String(timestamp), 'utf8')
    .digest('base64');
}

/** The headers HubSpot puts on a webhook POST: v3 plus the v1 pair it still sends for CRM events. */
export function signatureHeaders(
  clientSecret: string,
  uri: string,
  body: string,
  timestamp: number,
): Record<string, string> {
  return {
    'X-HubSpot-Signature-v3': signV3(clientSecret, 'POST', uri, body, timestamp),
    'X-HubSpot-Request-Timestamp': String(timestamp),
    'X-HubSpot-Signature': signV1(clientSecret, body),
    'X-HubSpot-Signature-Version': 'v1',
  };
}
