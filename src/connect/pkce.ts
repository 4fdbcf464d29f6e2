// PKCE (RFC 7636) for the web-server flow: a verifier of 43 base64url characters (32 random bytes;
// no `~`, which Salesforce's token endpoint is reported to refuse) and its S256 challenge.
import { createHash, randomBytes } from 'node:crypto';

export function newVerifier(): string {
  return randomBytes(32).toString('base64url');
}

export function challengeOf(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** An unguessable `state` for one sign-in. */
export function newState(): string {
  return randomBytes(24).toString('base64url');
}
