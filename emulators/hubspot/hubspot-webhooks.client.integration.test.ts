// Webhooks end to end: subscriptions made through @hubspot/api-client's webhooks API, CRM
// changes made through the SDK, and signed deliveries checked by the SDK's own Signature.isValid
// at a local receiver.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Signature } from '@hubspot/api-client';
import { createHubspotEmulator, type HubspotEmulator } from './index.js';
import { DEFAULT_APP } from './webhooks/index.js';

interface Delivered {
  subscriptionType: string;
  objectId: number;
  eventId: number;
  attemptNumber: number;
  propertyName?: string;
  propertyValue?: string;
  changeFlag?: string;
  portalId: number;
  appId: number;
}

describe('webhooks through @hubspot/api-client', () => {
  let emu: HubspotEmulator;
  let receiver: Server;
  let targetUrl = '';
  const events: Delivered[] = [];
  const rejectedSignatures: string[] = [];
  let failNext = 0;
  let sdk: Client;
  let dev: Client;
  const appId = DEFAULT_APP.appId;

  const flush = (all = false) =>
    fetch(`${emu.url}/__emulator/webhooks/flush`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ all }),
    });

  before(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const timestamp = Number(req.headers['x-hubspot-request-timestamp']);
        const ok = Signature.isValid({
          signatureVersion: 'v3',
          method: req.method ?? 'POST',
          url: `${targetUrl.split('/hooks')[0]}${req.url ?? ''}`,
          requestBody: body,
          clientSecret: DEFAULT_APP.clientSecret,
          signature: String(req.headers['x-hubspot-signature-v3']),
          timestamp,
        });
        if (!ok) rejectedSignatures.push(body);
        if (failNext > 0) {
          failNext--;
          res.statusCode = 500;
          return res.end();
        }
        events.push(...(JSON.parse(body) as Delivered[]));
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    targetUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/hubspot?app=dealbridge`;
    emu = await createHubspotEmulator({
      seed: 'demo',
      rateLimits: false,
      webhooks: { delivery: { batchDelayMs: 5, delayFactor: 0.00001, jitter: 0 } },
    });
    sdk = new Client({ accessToken: emu.accessToken, basePath: emu.url, numberOfApiCallRetries: 0 });
    // Webhook management is authenticated with the developer API key (?hapikey=), as at HubSpot.
    dev = new Client({
      developerApiKey: DEFAULT_APP.developerApiKey,
      basePath: emu.url,
      numberOfApiCallRetries: 0,
    });
  });
  after(async () => {
    await emu.close();
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  test('settings and subscriptions through the v3 API (private-app Bearer token)', async () => {
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${emu.url}/webhooks/v3/${appId}${path}`, {
        method,
        headers: { authorization: `Bearer ${emu.accessToken}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return {
        status: res.status,
        body: (await res.json().catch(() => undefined)) as Record<string, unknown>,
      };
    };
    const settings = await call('PUT', '/settings', { targetUrl, throttling: { maxConcurrentRequests: 10 } });
    assert.equal(settings.status, 200);
    for (const [eventType, propertyName] of [
      ['deal.creation'],
      ['deal.propertyChange', 'dealstage'],
      ['deal.deletion'],
      ['deal.restore'],
      ['contact.creation'],
      ['contact.propertyChange', 'email'],
    ] as const) {
      const made = await call('POST', '/subscriptions', {
        eventType,
        active: true,
        ...(propertyName ? { propertyName } : {}),
      });
      assert.equal(made.status, 201);
    }
  });

  test('CRM changes made with the SDK arrive signed, batched and typed', async () => {
    const deal = await sdk.crm.deals.basicApi.create({
      properties: {
        dealname: 'Hooked',
        pipeline: 'default',
        dealstage: 'appointmentscheduled',
        amount: '10',
      },
      associations: [],
    });
    await sdk.crm.deals.basicApi.update(deal.id, { properties: { dealstage: 'closedwon', amount: '20' } });
    await sdk.crm.deals.basicApi.archive(deal.id);
    const restored = await fetch(`${emu.url}/__emulator/objects/deals/${deal.id}/restore`, {
      method: 'POST',
    });
    assert.ok(restored.ok, `restore answered ${restored.status}`);
    const contact = await sdk.crm.contacts.basicApi.create({
      properties: { email: 'hook@example.com' },
      associations: [],
    });
    await flush();

    assert.deepEqual(rejectedSignatures, []);
    const forDeal = events.filter((e) => String(e.objectId) === deal.id);
    const kinds = forDeal.map(
      (e) => `${e.subscriptionType}${e.propertyName ? `:${e.propertyName}=${e.propertyValue}` : ''}`,
    );
    assert.deepEqual(kinds.sort(), [
      'deal.creation',
      'deal.deletion',
      'deal.propertyChange:dealstage=appointmentscheduled',
      'deal.propertyChange:dealstage=closedwon',
      'deal.restore',
    ]);
    assert.equal(forDeal.find((e) => e.subscriptionType === 'deal.creation')?.changeFlag, 'NEW');
    assert.ok(
      forDeal.every((e) => e.portalId === emu.portalId && e.appId === appId && e.attemptNumber === 0),
    );
    const forContact = events.filter((e) => String(e.objectId) === contact.id).map((e) => e.subscriptionType);
    assert.deepEqual(forContact.sort(), ['contact.creation', 'contact.propertyChange']);
    assert.equal(new Set(events.map((e) => e.eventId)).size, events.length);
  });

  test('a failed delivery is retried with attemptNumber 1', async () => {
    events.length = 0;
    failNext = 1;
    const deal = await sdk.crm.deals.basicApi.create({
      properties: { dealname: 'Retry me' },
      associations: [],
    });
    await flush();
    await flush(true);
    const got = events.filter((e) => String(e.objectId) === deal.id);
    assert.deepEqual(
      got.map((e) => e.attemptNumber),
      [1],
    );
    const log = (await (await fetch(`${emu.url}/__emulator/webhooks/deliveries`)).json()) as {
      results: { outcome: { kind: string; status?: number } }[];
    };
    assert.ok(log.results.some((d) => d.outcome.status === 500));
  });
  // The SDK sends only `?hapikey=` (no Bearer) for webhook management; the core lets those
  // requests through to the webhooks module, which checks the developer key itself.
  test('settings and subscriptions through the SDK with a developer API key', async () => {
    const settings = await dev.webhooks.settingsApi.configure(appId, {
      targetUrl,
      throttling: { maxConcurrentRequests: 10 },
    });
    assert.equal(settings.targetUrl, targetUrl);
    const subs = dev.webhooks.subscriptionsApi;
    const made = [];
    for (const [eventType, propertyName] of [
      ['company.creation'],
      ['company.propertyChange', 'name'],
      ['company.deletion'],
    ] as const) {
      made.push(
        await subs.create(appId, {
          eventType: eventType as never,
          ...(propertyName ? { propertyName } : {}),
        }),
      );
    }
    assert.ok(made.every((s) => s.active === false));
    const activated = await subs.updateBatch(appId, {
      inputs: made.map((s) => ({ id: Number(s.id), active: true })),
    });
    assert.equal(activated.results.length, 3);
    const list = await subs.getAll(appId);
    assert.ok(list.results.every((s) => s.active));
    const wrong = await fetch(`${emu.url}/webhooks/v3/${appId}/subscriptions?hapikey=nope`);
    assert.equal(wrong.status, 401);
    const noKey = await fetch(`${emu.url}/webhooks/v3/${appId}/subscriptions`);
    assert.equal(noKey.status, 401);
    // The developer key opens webhook management only, not the CRM.
    const crm = await fetch(
      `${emu.url}/crm/v3/objects/deals?hapikey=${encodeURIComponent(DEFAULT_APP.developerApiKey)}`,
    );
    assert.equal(crm.status, 401);
  });
});
