// Login sessions for the web UI. The admin token is the only credential; a successful login gets a
// random session id in an HttpOnly, SameSite=Strict cookie and a CSRF token that every state-changing
// request must echo in a header. Sessions live in memory: a restart logs everyone out, which is the
// safe default for a single-admin, self-hosted tool.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'dealbridge_session';
export const CSRF_HEADER = 'x-csrf-token';

export interface Session {
  id: string;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
}

/** Constant-time comparison of a presented token with the configured one (hashed to equal lengths). */
export function tokenMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly idleTimeoutMs = 12 * 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  create(): Session {
    const t = this.now();
    const session: Session = {
      id: randomBytes(32).toString('base64url'),
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: t,
      lastSeenAt: t,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const t = this.now();
    if (t - session.lastSeenAt > this.idleTimeoutMs) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeenAt = t;
    return session;
  }

  destroy(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }
}
