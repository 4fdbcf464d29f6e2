// POST /webhooks/hubspot through inject: HubSpot's v3 signature with HUBSPOT_CLIENT_SECRET is the
// only way in; a forged, stale, unsigned or replayed delivery is 401, a valid one 200 at once; the
// body never reaches the log (every request logged here, so a leak would show).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildServer } from './app.js';
import { registerApi } from './routes/index.js';
import { createServerContext } from './serve.js';
import { fakeRuntime, TEST_SECRETS } from './testing.js';
import { signV3 } from './webhooks/signature.js';

const SECRET = 'hubspot-app-client-secret';
const MARKER = 'deal-value-that-must-not-be-logged';

async function server(secret: string | null = SECRET) {
  const rt = await fakeRuntime();
  if (secret) rt.config.hubspot.clientSecret = secret;
  const ctx = createServerContext(rt, TEST_SECRETS.adminToken);
  const lines: string[] = [];
  const app = await buildServer({
    adminToken: TEST_SECRETS.adminToken,
    secrets: ctx.secrets,
    logger: true,
    logStream: { write: (l: string) => lines.push(l) },
    routes: (a) => void registerApi(a, ctx),
  });
  return { app, ctx, lines };
}

function delivery(over: { secret?: string; timestamp?: number; body?: string } = {}) {
  const body =
    over.body ??
    JSON.stringify([
      {
        eventId: 1,
        subscriptionType: 'deal.propertyChange',
        objectId: 123,
        propertyName: 'description',
        propertyValue: MARKER,
        occurredAt: Date.now(),
      },
      { eventId: 2, subscriptionType: 'deal.deletion', objectId: 124, occurredAt: Date.now() },
      { eventId: 3, subscriptionType: 'contact.propertyChange', objectId: 9, occurredAt: Date.now() },
    ]);
  const timestamp = String(over.timestamp ?? Date.now());
  const uri = 'http://localhost:80/webhooks/hubspot';
  return {
    method: 'POST' as const,
    url: '/webhooks/hubspot',
    headers: {
      host: 'localhost:80',
      'content-type': 'application/json',
      'x-hubspot-request-timestamp': timestamp,
      'x-hubspot-signature-v3': signV3(over.secret ?? SECRET, 'POST', uri, body, timestamp),
    },
    payload: body,
  };
}

test('a valid delivery is answered at once with what was taken; no session needed', async () => {
  const { app, lines } = await server();
  const res = await app.inject(delivery());
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { received: 3, queued: 1, ignored: 1 });
  assert.ok(!lines.join('\n').includes(MARKER), 'the body is not logged');
  await app.close();
});

test('forged, stale, unsigned and replayed deliveries are 401, and none is logged with its body', async () => {
  const { app, lines } = await server();
  const forged = await app.inject(delivery({ secret: 'someone-elses-secret' }));
  assert.equal(forged.statusCode, 401);
  assert.equal(forged.json().error, 'webhook_unauthorized');
  assert.match(forged.json().message, /does not match/);
  const stale = await app.inject(delivery({ timestamp: Date.now() - 5 * 60_000 - 1000 }));
  assert.equal(stale.statusCode, 401);
  assert.match(stale.json().message, /more than 5 minutes/);
  const d = delivery();
  const unsigned = await app.inject({ ...d, headers: { ...d.headers, 'x-hubspot-signature-v3': '' } });
  assert.equal(unsigned.statusCode, 401);
  assert.equal((await app.inject(d)).statusCode, 200);
  const replay = await app.inject(d);
  assert.equal(replay.statusCode, 401);
  assert.match(replay.json().message, /replay/);
  // The body was changed after signing: the signature no longer matches.
  const tampered = await app.inject({ ...d, payload: d.payload.replace('description', 'amount') });
  assert.equal(tampered.statusCode, 401);
  const log = lines.join('\n');
  assert.ok(!log.includes(MARKER), 'no body in the log');
  assert.match(log, /refused a HubSpot webhook/);
  await app.close();
});

test('without HUBSPOT_CLIENT_SECRET the route says webhooks are off', async () => {
  const { app } = await server(null);
  const res = await app.inject(delivery());
  assert.equal(res.statusCode, 404);
  assert.match(res.json().message, /HUBSPOT_CLIENT_SECRET/);
  await app.close();
});
