// HubSpot's API limits per token: a rolling 10-second burst window, a daily counter, and the
// search endpoints' own per-second limit. Bodies and headers as HubSpot documents them.
import { randomUUID } from 'node:crypto';

export type Tier = 'starter' | 'professional' | 'enterprise';

export const TIER_LIMITS: Record<Tier, { burst: number; daily: number }> = {
  starter: { burst: 100, daily: 250_000 },
  professional: { burst: 190, daily: 625_000 },
  enterprise: { burst: 190, daily: 1_000_000 },
};

export interface LimitSettings {
  enabled: boolean;
  tier: Tier;
  burst: number;
  daily: number;
  intervalMs: number;
  searchPerSecond: number;
}

export function limitSettings(tier: Tier, burst?: number, enabled = true): LimitSettings {
  return {
    enabled,
    tier,
    burst: burst ?? TIER_LIMITS[tier].burst,
    daily: TIER_LIMITS[tier].daily,
    intervalMs: 10_000,
    searchPerSecond: 4,
  };
}

interface TokenState {
  /** Request times inside the rolling window, oldest first. */
  window: number[];
  search: number[];
  day: number;
  dailyUsed: number;
}

export type Verdict =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; headers: Record<string, string>; body: Record<string, unknown>; policy: string };

const DAY = 86_400_000;

function rejected(policyName: string, message: string, headers: Record<string, string>): Verdict {
  return {
    ok: false,
    policy: policyName,
    headers,
    body: {
      status: 'error',
      message,
      errorType: 'RATE_LIMIT',
      correlationId: randomUUID(),
      policyName,
      requestId: randomUUID().replace(/-/g, ''),
    },
  };
}

export class RateLimiter {
  private readonly tokens = new Map<string, TokenState>();

  constructor(
    public settings: LimitSettings,
    private readonly now: () => number,
  ) {}

  reset(): void {
    this.tokens.clear();
  }

  private state(token: string, at: number): TokenState {
    let s = this.tokens.get(token);
    if (!s) this.tokens.set(token, (s = { window: [], search: [], day: Math.floor(at / DAY), dailyUsed: 0 }));
    if (Math.floor(at / DAY) !== s.day) {
      s.day = Math.floor(at / DAY);
      s.dailyUsed = 0;
    }
    return s;
  }

  /** Daily usage of a token (for stats and the admin API). */
  usage(token: string): { dailyUsed: number; windowUsed: number } {
    const at = this.now();
    const s = this.state(token, at);
    prune(s.window, at - this.settings.intervalMs);
    return { dailyUsed: s.dailyUsed, windowUsed: s.window.length };
  }

  /** Count one request; search requests don't carry the burst headers (as HubSpot's). */
  take(token: string, search: boolean): Verdict {
    const cfg = this.settings;
    if (!cfg.enabled) return { ok: true, headers: {} };
    const at = this.now();
    const s = this.state(token, at);
    prune(s.window, at - cfg.intervalMs);
    if (s.dailyUsed >= cfg.daily) {
      return rejected(
        'DAILY',
        'You have reached your daily limit.',
        limitHeaders(cfg, s, at, search, cfg.burst - s.window.length, 0),
      );
    }
    if (search) {
      prune(s.search, at - 1000);
      if (s.search.length >= cfg.searchPerSecond) {
        return rejected('SECONDLY', 'You have reached your secondly limit.', {});
      }
      s.search.push(at);
    } else {
      if (s.window.length >= cfg.burst) {
        return rejected(
          'TEN_SECONDLY_ROLLING',
          'You have reached your ten_secondly_rolling limit.',
          limitHeaders(cfg, s, at, search, 0, cfg.daily - s.dailyUsed),
        );
      }
      s.window.push(at);
    }
    s.dailyUsed++;
    return {
      ok: true,
      headers: limitHeaders(cfg, s, at, search, cfg.burst - s.window.length, cfg.daily - s.dailyUsed),
    };
  }
}

/** HubSpot's limit headers (none on search responses). A plain function: see validate.ts. */
function limitHeaders(
  cfg: LimitSettings,
  s: TokenState,
  at: number,
  search: boolean,
  remaining: number,
  dailyRemaining: number,
): Record<string, string> {
  if (search) return {};
  const secondly = Math.floor(cfg.burst / 10);
  return {
    'X-HubSpot-RateLimit-Daily': String(cfg.daily),
    'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, dailyRemaining)),
    'X-HubSpot-RateLimit-Interval-Milliseconds': String(cfg.intervalMs),
    'X-HubSpot-RateLimit-Max': String(cfg.burst),
    'X-HubSpot-RateLimit-Remaining': String(Math.max(0, remaining)),
    'X-HubSpot-RateLimit-Secondly': String(secondly),
    'X-HubSpot-RateLimit-Secondly-Remaining': String(Math.max(0, secondly - countSince(s.window, at - 1000))),
  };
}

function prune(times: number[], cutoff: number): void {
  let i = 0;
  while (i < times.length && times[i]! <= cutoff) i++;
  if (i) times.splice(0, i);
}

function countSince(times: number[], cutoff: number): number {
  let n = 0;
  for (let i = times.length - 1; i >= 0 && times[i]! > cutoff; i--) n++;
  return n;
}
