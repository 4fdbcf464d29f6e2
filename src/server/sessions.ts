// Login sessions for the web UI. The admin token is the only credential; a successful login gets a
// random session id in an HttpOnly, SameSite=Strict cookie and a CSRF token that every state-changing
// request must echo in a header. Sessions live in memory: a restart logs everyone out, which is the
// safe default for a single-admin, self-hosted tool. A session ends after 30 minutes unused, and
// 12 hours after login however busy it is (so a stolen cookie does not stay good by being used),
// at logout, and for everyone when the admin token is rotated.
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

export const SESSION_IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;

export interface SessionLifetimes {
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly idleTimeoutMs: number;
  private readonly absoluteTimeoutMs: number;

  constructor(
    lifetimes: Partial<SessionLifetimes> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.idleTimeoutMs = lifetimes.idleTimeoutMs ?? SESSION_IDLE_TIMEOUT_MS;
    this.absoluteTimeoutMs = lifetimes.absoluteTimeoutMs ?? SESSION_ABSOLUTE_TIMEOUT_MS;
  }

  private expired(s: Session, t: number): boolean {
    return t - s.lastSeenAt > this.idleTimeoutMs || t - s.createdAt > this.absoluteTimeoutMs;
  }

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
    if (this.expired(session, t)) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeenAt = t;
    return session;
  }

  destroy(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  /** Ends every session (the admin token was rotated). */
  clear(): void {
    this.sessions.clear();
  }

  /** Sessions not yet expired (expired ones are dropped on the way, so memory stays bounded). */
  get size(): number {
    const t = this.now();
    for (const [id, s] of this.sessions) if (this.expired(s, t)) this.sessions.delete(id);
    return this.sessions.size;
  }
}
