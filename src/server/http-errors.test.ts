// The API's refusals: every route body is checked by its Fastify schema and a bad one answers the
// catalogue's bad_request naming the field and why; every code the server sends is one that
// docs/errors.md explains, with the status the catalogue gives it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { httpErrorCatalogue, isErrorCode, isHttpErrorCode } from '../errors/index.js';
import { readSettings } from '../engine/user-settings.js';
import { apiClient, TEST_SECRETS } from './testing.js';

type Method = 'POST' | 'PUT';

const badBodies: { method: Method; url: string; payload: unknown; field: string; reason: RegExp }[] = [
  { method: 'PUT', url: '/api/settings/lifecycleStage', payload: {}, field: 'value', reason: /is required/ },
  {
    method: 'PUT',
    url: '/api/settings/lifecycleStage',
    payload: { value: false },
    field: 'value',
    reason: /must be string/,
  },
  {
    method: 'PUT',
    url: '/api/stage-map',
    payload: { recordType: 'default', stage: 'Closed Won', pipelineId: 'p1' },
    field: 'stageId',
    reason: /is required/,
  },
  {
    method: 'POST',
    url: '/api/field-mappings/check',
    payload: { salesforceField: 'Name' },
    field: 'hubspotProperty',
    reason: /is required/,
  },
  {
    method: 'POST',
    url: '/api/field-mappings',
    payload: { salesforceField: 'Name', hubspotProperty: 'next_step', rule: 'sometimes' },
    field: 'rule',
    reason: /allowed values/,
  },
  {
    method: 'PUT',
    url: '/api/field-mappings/default/description',
    payload: { rule: 7 },
    field: 'rule',
    reason: /must be string/,
  },
  {
    method: 'POST',
    url: '/api/resync',
    payload: { recordKeys: ['opportunity:006A', 7] },
    field: 'recordKeys[1]',
    reason: /must be string/,
  },
  {
    method: 'POST',
    url: '/api/resync',
    payload: { recordKeys: [] },
    field: 'recordKeys',
    reason: /fewer than 1 items/,
  },
];

describe('HTTP API errors', () => {
  test('a bad body is refused by the route schema with bad_request, the field, the reason and the fix', async () => {
    const c = await apiClient();
    for (const { method, url, payload, field, reason } of badBodies) {
      const r = await c.send(method, url, payload);
      const what = `${method} ${url} ${JSON.stringify(payload)}`;
      assert.equal(r.status, 400, `${what}: ${r.body}`);
      const body = r.json();
      assert.equal(body.error, 'bad_request', what);
      assert.equal(body.field, field, what);
      assert.match(body.reason, reason, what);
      assert.equal(body.message, `${field}: ${body.reason}`, what);
      assert.equal(body.fix, httpErrorCatalogue.bad_request.fix, what);
    }
    // Nothing was written: the refused setting kept its default.
    assert.equal((await readSettings(c.rt.store)).lifecycleStage, true);
  });

  test('a bad path parameter, a login without a token and a body that is not JSON are refused the same way', async () => {
    const c = await apiClient();
    const badId = (await c.get('/api/records/bad!')).json();
    assert.equal(badId.error, 'bad_request');
    assert.equal(badId.field, 'id');
    assert.match(badId.reason, /must match pattern/);

    const login = await c.app.inject({ method: 'POST', url: '/api/login', payload: {} });
    assert.equal(login.statusCode, 400);
    assert.equal(login.json().field, 'token');

    const notJson = await c.app.inject({
      method: 'POST',
      url: '/api/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"token": ',
    });
    assert.equal(notJson.statusCode, 400);
    assert.equal(notJson.json().error, 'bad_request');
  });

  test('every refusal carries a catalogued code with the catalogue status, and no secret', async () => {
    const c = await apiClient();
    const answers = [
      await c.app.inject({ method: 'GET', url: '/api/settings' }),
      await c.app.inject({ method: 'PUT', url: '/api/settings/lifecycleStage', payload: { value: 'off' } }),
      await c.app.inject({ method: 'POST', url: '/api/login', payload: { token: 'wrong-token-0123456789' } }),
    ].map((r) => ({ status: r.statusCode, body: r.body }));
    // A session without its CSRF header.
    const login = await c.app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { token: TEST_SECRETS.adminToken },
    });
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    const noCsrf = await c.app.inject({ method: 'POST', url: '/api/resync', headers: { cookie } });
    answers.push({ status: noCsrf.statusCode, body: noCsrf.body });
    for (const r of [
      await c.get('/api/nope'),
      await c.send('PUT', '/api/settings/nope', { value: 'x' }),
      await c.get('/api/records/006NOPE000000000'),
      await c.send('PUT', '/api/settings/recentDealAmountRule', { value: 'newest' }),
      await c.send('POST', '/api/field-mappings', {
        salesforceField: 'NoSuchField',
        hubspotProperty: 'dealname',
        rule: 'two_way',
      }),
    ])
      answers.push(r);

    const seen = new Set<string>();
    for (const { status, body } of answers) {
      const { error } = JSON.parse(body) as { error: string };
      assert.ok(isHttpErrorCode(error), `${status} ${body}: "${error}" is not in the catalogue`);
      assert.equal(status, httpErrorCatalogue[error].status, body);
      for (const s of Object.values(TEST_SECRETS)) assert.ok(!body.includes(s), body);
      seen.add(error);
    }
    assert.deepEqual([...seen].sort(), ['bad_request', 'csrf', 'incompatible', 'not_found', 'unauthorized']);
  });

  test('no server code sends an error code by hand: every { error } literal is a catalogued code', () => {
    const root = new URL('.', import.meta.url).pathname;
    const files = (readdirSync(root, { recursive: true }) as string[]).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    );
    const found: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(root, f), 'utf8');
      for (const m of text.matchAll(/\berror: '([A-Za-z_]+)'/g)) found.push(`${f}: ${m[1]}`);
      for (const m of text.matchAll(/sendError\(\s*reply,\s*'([A-Za-z_]+)'/g)) {
        const code = m[1] ?? '';
        assert.ok(isHttpErrorCode(code) || isErrorCode(code), `${f}: ${code}`);
      }
    }
    assert.deepEqual(found, [], 'send errors through sendError (src/server/http-errors.ts)');
  });
});
