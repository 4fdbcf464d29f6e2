// One-time login codes: what the sandbox prints instead of a link carrying the admin token. A code
// is exchanged once for a session and is then dead, and dies unused after a few minutes, so the
// URL left in the browser's history, a proxy log or a terminal's scrollback opens nothing.
import { createHash, randomBytes } from 'node:crypto';

export const LOGIN_CODE_TTL_MS = 5 * 60_000;

// Kept by their hash: the map's key lookup then reveals nothing about a stored code's bytes.
const digest = (code: string) => createHash('sha256').update(code).digest('base64url');

export class LoginCodes {
  readonly #codes = new Map<string, number>();

  constructor(
    private readonly ttlMs = LOGIN_CODE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  issue(): string {
    const code = randomBytes(32).toString('base64url');
    this.#codes.set(digest(code), this.now() + this.ttlMs);
    return code;
  }

  /** True once for a code issued less than ttlMs ago; the code is gone afterwards either way. */
  redeem(code: string): boolean {
    const key = digest(code);
    const expires = this.#codes.get(key);
    this.#codes.delete(key);
    for (const [k, until] of this.#codes) if (until <= this.now()) this.#codes.delete(k);
    return expires !== undefined && expires > this.now();
  }

  clear(): void {
    this.#codes.clear();
  }
}
