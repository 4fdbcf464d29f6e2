import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HUBSPOT_PACER_DEFAULTS, HUBSPOT_SEARCH_PACER, Pacer, PacerState } from './pacer.js';
import { FakeClock } from './fake-clock.js';

/** HubSpot's burst limit as a rolling window over request arrival times. */
class RollingWindowServer {
  private arrivals: number[] = [];
  ok = 0;
  rejected = 0;
  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {}
  handle(at: number, own = true): { status: number; headers: Record<string, string> } {
    this.arrivals = this.arrivals.filter((t) => t > at - this.windowMs);
    if (this.arrivals.length >= this.max) {
      // Only our 429s count: the other client may well run into the limit we leave it.
      if (own) this.rejected++;
      return { status: 429, headers: {} };
    }
    this.arrivals.push(at);
    if (own) this.ok++;
    return {
      status: 200,
      headers: {
        'x-hubspot-ratelimit-max': String(this.max),
        'x-hubspot-ratelimit-remaining': String(this.max - this.arrivals.length),
        'x-hubspot-ratelimit-interval-milliseconds': String(this.windowMs),
      },
    };
  }
}

/** `workers` loops that each acquire, "send" (latency split around the server), observe. */
async function saturate(opts: {
  max: number;
  workers: number;
  durationMs: number;
  latency: () => number;
  other?: { everyMs: number };
}): Promise<{ server: RollingWindowServer; clock: FakeClock }> {
  const clock = new FakeClock(1_000_000);
  const server = new RollingWindowServer(opts.max, 10_000);
  const pacer = new Pacer(HUBSPOT_PACER_DEFAULTS, clock);
  const end = clock.now() + opts.durationMs;
  const worker = async (): Promise<void> => {
    while (clock.now() < end) {
      await pacer.acquire();
      const sentAt = clock.now();
      const l = opts.latency();
      await clock.sleep(l / 2);
      const res = server.handle(clock.now());
      await clock.sleep(l / 2);
      if (res.status === 429) pacer.pause(1000);
      else pacer.observe(res.headers, sentAt);
    }
  };
  const other = async (): Promise<void> => {
    while (opts.other && clock.now() < end) {
      server.handle(clock.now(), false);
      await clock.sleep(opts.other.everyMs);
    }
  };
  const all = Promise.all([...Array.from({ length: opts.workers }, worker), other()]);
  await clock.run();
  await all;
  return { server, clock };
}

function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe('PacerState', () => {
  it('lets a burst of the allowance through, then waits for the oldest to age out', () => {
    const p = new PacerState(HUBSPOT_PACER_DEFAULTS);
    p.observe({ 'x-hubspot-ratelimit-max': '100', 'x-hubspot-ratelimit-interval-milliseconds': '10000' }, 0);
    assert.equal(p.allowance(), 95);
    for (let i = 0; i < 95; i++) {
      assert.equal(p.delay(i), 0, `request ${i}`);
      p.record(i);
    }
    // the first request (t=0) leaves the window at 10 000 + slack
    assert.equal(p.delay(95), 10_000 + HUBSPOT_PACER_DEFAULTS.slackMs - 95);
    assert.equal(p.delay(10_151), 0);
  });

  it('learns Max and the interval from headers', () => {
    const p = new PacerState(HUBSPOT_PACER_DEFAULTS);
    assert.equal(p.allowance(), 95);
    p.observe({ 'x-hubspot-ratelimit-max': '190', 'x-hubspot-ratelimit-interval-milliseconds': '10000' }, 0);
    assert.equal(p.allowance(), 180);
    assert.deepEqual(p.snapshot(0), { max: 190, windowMs: 10_000, inWindow: 0 });
  });

  it('holds back when the server reports the window spent by someone else', () => {
    const p = new PacerState(HUBSPOT_PACER_DEFAULTS);
    p.observe({ 'x-hubspot-ratelimit-max': '100', 'x-hubspot-ratelimit-remaining': '3' }, 1000);
    assert.ok(p.delay(1001) > 0);
    // a stale reading (older than a window) is not trusted
    assert.equal(p.delay(11_001), 0);
  });

  it('counts own requests sent after the reading against its remaining', () => {
    const p = new PacerState({ ...HUBSPOT_PACER_DEFAULTS, lagMs: 0 });
    p.observe({ 'x-hubspot-ratelimit-max': '100', 'x-hubspot-ratelimit-remaining': '10' }, 0);
    for (let t = 1; t <= 5; t++) {
      assert.equal(p.delay(t), 0);
      p.record(t);
    }
    assert.ok(p.delay(6) > 0, '10 remaining − 5 in flight − 5 margin = 0');
  });

  it('pause() blocks everyone until it ends', () => {
    const p = new PacerState(HUBSPOT_PACER_DEFAULTS);
    p.pause(100, 1000);
    assert.equal(p.delay(100), 1000);
    assert.equal(p.delay(1100), 0);
  });

  it('the search limiter allows 4 per second', () => {
    const p = new PacerState(HUBSPOT_SEARCH_PACER);
    for (let i = 0; i < 4; i++) {
      assert.equal(p.delay(i * 10), 0);
      p.record(i * 10);
    }
    assert.equal(p.delay(40), 1100 - 40);
  });
});

describe('Pacer under a saturating load (fake clock)', () => {
  it('190/10 s, 8 workers, 20–300 ms latency: < 1 % 429s and near-full use of the window', async () => {
    const rand = lcg(7);
    const { server } = await saturate({
      max: 190,
      workers: 8,
      durationMs: 60_000,
      latency: () => 20 + rand() * 280,
    });
    const total = server.ok + server.rejected;
    assert.ok(server.rejected / total < 0.01, `429 share ${server.rejected}/${total}`);
    // 60 s at 190/10 s is at most 1,140; the first window learns Max from headers (starts at 100)
    assert.ok(server.ok >= 0.85 * 1140, `throughput ${server.ok}`);
  });

  it('100/10 s shared with another client using 20/10 s: still < 1 % 429s', async () => {
    const rand = lcg(11);
    const { server } = await saturate({
      max: 100,
      workers: 6,
      durationMs: 60_000,
      latency: () => 50 + rand() * 150,
      other: { everyMs: 500 },
    });
    const total = server.ok + server.rejected;
    assert.ok(server.rejected / total < 0.01, `429 share ${server.rejected}/${total}`);
    // the other client takes ~20 of each 100: at most ~75 per window are ours
    assert.ok(server.ok > 400, `throughput ${server.ok}`);
  });
});
