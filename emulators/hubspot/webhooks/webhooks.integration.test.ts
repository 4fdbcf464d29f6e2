import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Signature } from '@hubspot/api-client';
import { createWebhooks, DEFAULT_APP, type PortalEvent, type Webhooks } from './index.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  url: string;
}

async function receiver(reply: (n: number, res: ServerResponse) => unknown = (_n, res) => res.end()) {
  const got: Received[] = [];
  let active = 0;
  let maxActive = 0;
  const server = createServer((req, res) => {
    active++;
    maxActive = Math.max(maxActive, active);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), url: req.url ?? '' });
      res.on('close', () => active--);
      void reply(got.length, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    got,
    url: `http://127.0.0.1:${port}/hooks/hubspot`,
    maxActive: () => maxActive,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const APP = DEFAULT_APP.appId;
const q = (s = '') => new URLSearchParams(s);

async function call(w: Webhooks, method: string, path: string, body?: unknown, query = '') {
  const res = await w.handle({ method, path, query: q(query), body });
  assert.ok(res, `no route for ${method} ${path}`);
  return res;
}

function deal(kind: PortalEvent['kind'], objectId: string, extra: Partial<PortalEvent> = {}): PortalEvent {
  return { objectType: 'deal', kind, objectId, occurredAt: 1_700_000_000_000, changeSource: 'CRM', ...extra };
}

async function setup(targetUrl: string, tune: Record<string, unknown> = {}, now = () => Date.now()) {
  const w = createWebhooks({ portalId: 62515, now });
  await call(w, 'PUT', '/__emulator/webhooks', { delayFactor: 0, jitter: 0, batchDelayMs: 5, ...tune });
  const s = await call(w, 'PUT', `/webhooks/v3/${APP}/settings`, {
    targetUrl,
    throttling: { maxConcurrentRequests: 10, period: 'SECONDLY' },
  });
  assert.equal(s.status, 200);
  return w;
}

void test('management API: settings and subscriptions in the v3 shapes', async () => {
  const w = createWebhooks({ portalId: 1, now: () => 1_700_000_000_000 });
  assert.equal((await call(w, 'GET', `/webhooks/v3/${APP}/settings`)).status, 404);
  assert.equal((await call(w, 'GET', `/webhooks/v3/999/settings`)).status, 404);
  const bad = await call(w, 'PUT', `/webhooks/v3/${APP}/settings`, {
    targetUrl: 'https://x.test',
    throttling: { maxConcurrentRequests: 2 },
  });
  assert.equal(bad.status, 400);
  assert.equal((bad.body as { category: string }).category, 'VALIDATION_ERROR');
  const wrongKey = await call(w, 'GET', `/webhooks/v3/${APP}/subscriptions`, undefined, 'hapikey=nope');
  assert.equal(wrongKey.status, 401);
  const put = await call(
    w,
    'PUT',
    `/webhooks/v3/${APP}/settings`,
    { targetUrl: 'https://x.test/h', throttling: { maxConcurrentRequests: 10 } },
    `hapikey=${DEFAULT_APP.developerApiKey}`,
  );
  assert.deepEqual(put.body, {
    targetUrl: 'https://x.test/h',
    throttling: { maxConcurrentRequests: 10 },
    createdAt: '2023-11-14T22:13:20.000Z',
    updatedAt: '2023-11-14T22:13:20.000Z',
  });

  const created = await call(w, 'POST', `/webhooks/v3/${APP}/subscriptions`, {
    eventType: 'deal.propertyChange',
    propertyName: 'amount',
  });
  assert.equal(created.status, 201);
  const sub = created.body as { id: string; active: boolean; propertyName: string };
  assert.equal(typeof sub.id, 'string');
  assert.equal(sub.active, false, 'new subscriptions are paused');
  const noProp = await call(w, 'POST', `/webhooks/v3/${APP}/subscriptions`, {
    eventType: 'deal.propertyChange',
  });
  assert.equal(noProp.status, 400);
  assert.equal(
    (await call(w, 'POST', `/webhooks/v3/${APP}/subscriptions`, { eventType: 'deal.exploded' })).status,
    400,
  );
  assert.equal(
    (
      await call(w, 'POST', `/webhooks/v3/${APP}/subscriptions`, {
        eventType: 'contact.propertyChange',
        propertyName: 'hs_lastmodifieddate',
      })
    ).status,
    400,
  );
  const restore = await call(w, 'POST', `/webhooks/v3/${APP}/subscriptions`, {
    eventType: 'deal.restore',
    active: true,
  });
  assert.equal(restore.status, 201);

  const patched = await call(w, 'PATCH', `/webhooks/v3/${APP}/subscriptions/${sub.id}`, { active: true });
  assert.equal((patched.body as { active: boolean }).active, true);
  const batch = await call(w, 'POST', `/webhooks/v3/${APP}/subscriptions/batch/update`, {
    inputs: [
      { id: Number(sub.id), active: false },
      { id: 4567, active: true },
    ],
  });
  assert.equal(batch.status, 207);
  const bb = batch.body as {
    numErrors: number;
    results: unknown[];
    errors: { category: string; context: unknown }[];
  };
  assert.equal(bb.numErrors, 1);
  assert.equal(bb.results.length, 1);
  assert.equal(bb.errors[0]?.category, 'SUBSCRIPTION_ID_NOT_FOUND');
  assert.deepEqual(bb.errors[0]?.context, { subscriptionIds: ['4567'] });

  const list = await call(w, 'GET', `/webhooks/v3/${APP}/subscriptions`);
  assert.equal((list.body as { results: unknown[] }).results.length, 2);
  assert.equal((await call(w, 'DELETE', `/webhooks/v3/${APP}/subscriptions/${sub.id}`)).status, 204);
  assert.equal((await call(w, 'GET', `/webhooks/v3/${APP}/subscriptions/${sub.id}`)).status, 404);
  assert.equal((await call(w, 'DELETE', `/webhooks/v3/${APP}/settings`)).status, 204);
  assert.equal(
    w.handle({ method: 'GET', path: '/crm/v3/objects/deals', query: q(), body: undefined }),
    undefined,
  );
  await w.close();
});

void test('events are delivered as one signed JSON array, only for active matching subscriptions', async () => {
  const r = await receiver();
  const w = await setup(r.url);
  await call(w, 'POST', '/__emulator/webhooks/subscriptions', { eventType: 'deal.creation' });
  await call(w, 'POST', '/__emulator/webhooks/subscriptions', {
    eventType: 'deal.propertyChange',
    propertyName: 'dealstage',
  });
  await call(w, 'POST', '/__emulator/webhooks/subscriptions', { eventType: 'deal.deletion', active: false });
  w.publish(deal('creation', '101'));
  w.publish(deal('propertyChange', '101', { propertyName: 'dealstage', propertyValue: 'closedwon' }));
  w.publish(deal('propertyChange', '101', { propertyName: 'amount', propertyValue: '5' }));
  w.publish(deal('deletion', '101'));
  w.publish({ ...deal('creation', '7'), objectType: 'contact' });
  await call(w, 'POST', '/__emulator/webhooks/flush');
  assert.equal(r.got.length, 1);
  const [req] = r.got as [Received];
  const events = JSON.parse(req.body) as Record<string, unknown>[];
  assert.deepEqual(
    events.map((e) => e.subscriptionType),
    ['deal.creation', 'deal.propertyChange'],
  );
  assert.deepEqual(events[0], {
    eventId: events[0]!.eventId,
    subscriptionId: 1,
    portalId: 62515,
    appId: APP,
    occurredAt: 1_700_000_000_000,
    subscriptionType: 'deal.creation',
    objectId: 101,
    changeSource: 'CRM',
    changeFlag: 'NEW',
    attemptNumber: 0,
  });
  assert.equal(events[1]!.propertyName, 'dealstage');
  assert.equal(events[1]!.propertyValue, 'closedwon');
  assert.notEqual(events[0]!.eventId, events[1]!.eventId);
  assert.equal(req.headers['content-type'], 'application/json');
  const timestamp = Number(req.headers['x-hubspot-request-timestamp']);
  assert.ok(Math.abs(timestamp - Date.now()) < 5000);
  assert.equal(
    Signature.isValid({
      signatureVersion: 'v3',
      method: 'POST',
      url: r.url,
      requestBody: req.body,
      clientSecret: DEFAULT_APP.clientSecret,
      signature: String(req.headers['x-hubspot-signature-v3']),
      timestamp,
    }),
    true,
  );
  assert.equal(req.headers['x-hubspot-signature-version'], 'v1');
  assert.equal(
    Signature.isValid({
      requestBody: req.body,
      clientSecret: DEFAULT_APP.clientSecret,
      signature: String(req.headers['x-hubspot-signature']),
    }),
    true,
  );
  await w.close();
  await r.close();
});

void test('bursts are split into requests of at most 100 events', async () => {
  const r = await receiver();
  const w = await setup(r.url, { batchDelayMs: 50 });
  await call(w, 'POST', '/__emulator/webhooks/subscriptions', { eventType: 'contact.creation' });
  for (let i = 1; i <= 250; i++) w.publish({ ...deal('creation', String(i)), objectType: 'contact' });
  await call(w, 'POST', '/__emulator/webhooks/flush');
  const sizes = r.got.map((g) => (JSON.parse(g.body) as unknown[]).length).sort((a, b) => b - a);
  assert.deepEqual(sizes, [100, 100, 50]);
  const ids = new Set(
    r.got.flatMap((g) => (JSON.parse(g.body) as { eventId: number }[]).map((e) => e.eventId)),
  );
  assert.equal(ids.size, 250);
  await w.close();
  await r.close();
});

void test('never more requests in flight than maxConcurrentRequests', async () => {
  const r = await receiver((_n, res) => void setTimeout(() => res.end(), 60));
  const w = await setup(r.url, { maxBatchSize: 1 });
  await call(w, 'PUT', `/webhooks/v3/${APP}/settings`, {
    targetUrl: r.url,
    throttling: { maxConcurrentRequests: 5 },
  });
  await call(w, 'POST', '/__emulator/webhooks/subscriptions', { eventType: 'deal.creation' });
  for (let i = 1; i <= 17; i++) w.publish(deal('creation', String(i)));
  await call(w, 'POST', '/__emulator/webhooks/flush');
  assert.equal(r.got.length, 17);
  assert.equal(r.maxActive(), 5);
  await w.close();
  await r.close();
});

void test('failed deliveries are retried with the same eventId and a growing attemptNumber', async () => {
  const r = await receiver((n, res) => {
    res.statusCode = n <= 2 ? 503 : 204;
    res.end();
  });
  const w = await setup(r.url);
  await call(w, 'POST', '/__emulator/webhooks/subscriptions', { eventType: 'deal.creation' });
  w.publish(deal('creation', '5'));
  await call(w, 'POST', '/__emulator/webhooks/flush');
  await waitFor(() => r.got.length === 3);
  const events = r.got.map((g) => (JSON.parse(g.body) as { eventId: number; attemptNumber: number }[])[0]!);
  assert.deepEqual(
    events.map((e) => e.attemptNumber),
    [0, 1, 2],
  );
  assert.equal(new Set(events.map((e) => e.eventId)).size, 1);
  const log = await call(w, 'GET', '/__emulator/webhooks/deliveries');
  const outcomes = (log.body as { results: { outcome: { status: number } }[] }).results.map(
    (d) => d.outcome.status,
  );
  assert.deepEqual(outcomes, [503, 503, 204]);
  const delivered = await call(w, 'GET', '/__emulator/webhooks/notifications', undefined, 'state=delivered');
  assert.equal((delivered.body as { results: unknown[] }).results.length, 1);
  await w.close();
  await r.close();
});

void test('a notification gives up after 10 retries (11 attempts), timeouts count as failures', async () => {
  const r = await receiver((_n, res) => void setTimeout(() => res.end(), 200));
  const w = await setup(r.url, { timeoutMs: 30 });
  await call(w, 'POST', '/__emulator/webhooks/subscriptions', { eventType: 'deal.deletion' });
  w.publish(deal('deletion', '9'));
  await waitFor(async () => {
    const res = await call(w, 'GET', '/__emulator/webhooks/notifications', undefined, 'state=failed');
    return (res.body as { results: unknown[] }).results.length === 1;
  });
  const res = await call(w, 'GET', '/__emulator/webhooks/notifications', undefined, 'state=failed');
  const [n] = (
    res.body as { results: { attemptNumber: number; attempts: { outcome: { kind: string } }[] }[] }
  ).results;
  assert.equal(n?.attempts.length, 11);
  assert.equal(n?.attemptNumber, 10);
  assert.ok(n?.attempts.every((a) => a.outcome.kind === 'timeout'));
  await w.close();
  await r.close();
});

void test('retry times follow the emulator clock: nothing is re-sent until it moves past the delay', async () => {
  let clock = 1_700_000_000_000;
  const r = await receiver((n, res) => {
    res.statusCode = n === 1 ? 500 : 200;
    res.end();
  });
  const w = await setup(r.url, { delayFactor: 1, pollMs: 10 }, () => clock);
  await call(w, 'POST', '/__emulator/webhooks/subscriptions', { eventType: 'deal.creation' });
  w.publish(deal('creation', '1'));
  await call(w, 'POST', '/__emulator/webhooks/flush');
  assert.equal(r.got.length, 1);
  await new Promise((res) => setTimeout(res, 100));
  assert.equal(r.got.length, 1, 'first retry is ~84 s away on the emulator clock');
  clock += 60_000;
  await new Promise((res) => setTimeout(res, 60));
  assert.equal(r.got.length, 1);
  clock += 30_000;
  await waitFor(() => r.got.length === 2);
  assert.equal((JSON.parse(r.got[1]!.body) as { attemptNumber: number }[])[0]!.attemptNumber, 1);
  await w.close();
  await r.close();
});

void test('connection failures are retried and a flush with all=true sends retries early', async () => {
  const w = await setup('http://127.0.0.1:9/unreachable', { delayFactor: 1 });
  await call(w, 'POST', '/__emulator/webhooks/subscriptions', { eventType: 'deal.creation' });
  w.publish(deal('creation', '1'));
  await call(w, 'POST', '/__emulator/webhooks/flush');
  await call(w, 'POST', '/__emulator/webhooks/flush', { all: true });
  const log = await call(w, 'GET', '/__emulator/webhooks/deliveries');
  const results = (log.body as { results: { outcome: { kind: string }; attemptNumbers: number[] }[] })
    .results;
  assert.deepEqual(
    results.map((d) => d.outcome.kind),
    ['network', 'network'],
  );
  assert.deepEqual(
    results.map((d) => d.attemptNumbers[0]),
    [0, 1],
  );
  await w.close();
});

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

void test('a large burst (5,000 events) goes out as 50 full requests', async () => {
  const r = await receiver();
  const w = await setup(r.url, { batchDelayMs: 50 });
  await call(w, 'POST', '/__emulator/webhooks/subscriptions', { eventType: 'deal.creation' });
  const started = performance.now();
  for (let i = 1; i <= 5000; i++) w.publish(deal('creation', String(i)));
  await call(w, 'POST', '/__emulator/webhooks/flush');
  const elapsed = performance.now() - started;
  assert.equal(r.got.length, 50);
  assert.ok(r.got.every((g) => (JSON.parse(g.body) as unknown[]).length === 100));
  assert.ok(elapsed < 10_000, `took ${elapsed.toFixed(0)} ms`);
  await w.close();
  await r.close();
});

void test('a steady stream of events does not postpone delivery forever', async () => {
  const r = await receiver();
  const w = await setup(r.url, { batchDelayMs: 30 });
  await call(w, 'POST', '/__emulator/webhooks/subscriptions', { eventType: 'deal.creation' });
  for (let i = 1; i <= 40; i++) {
    w.publish(deal('creation', String(i)));
    await new Promise((res) => setTimeout(res, 10));
  }
  assert.ok(r.got.length >= 2, `deliveries went out while events kept coming (${r.got.length})`);
  await call(w, 'POST', '/__emulator/webhooks/flush');
  const total = r.got.reduce((sum, g) => sum + (JSON.parse(g.body) as unknown[]).length, 0);
  assert.equal(total, 40);
  await w.close();
  await r.close();
});
