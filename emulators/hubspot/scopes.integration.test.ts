// Private-app scopes: CRM calls without the needed scope answer HubSpot's 403 MISSING_SCOPES, the
// admin route sets the token's scopes, and the introspection endpoint answers them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SCOPES } from './scopes.js';
import { startPortal, type TestPortal } from './testing.js';

let p: TestPortal;
before(async () => {
  p = await startPortal({ seed: 'demo' });
});
after(() => p.close());

test('by default the token has every scope dealbridge needs', async () => {
  const info = await p.api('POST', '/oauth/v2/private-apps/get/access-token-info', {
    tokenKey: p.emu.accessToken,
  });
  assert.equal(info.status, 200);
  assert.equal(info.body.hubId, p.emu.portalId);
  assert.deepEqual(info.body.scopes, [...DEFAULT_SCOPES]);
  assert.equal((await p.api('GET', '/crm/v3/objects/deals?limit=1')).status, 200);
});

test('a call without its scope is refused with 403 MISSING_SCOPES naming the scope', async () => {
  const set = await p.admin('PUT', '/token', {
    scopes: DEFAULT_SCOPES.filter((s) => s !== 'crm.objects.deals.write' && s !== 'crm.objects.owners.read'),
  });
  assert.equal(set.status, 200);
  try {
    const read = await p.api('GET', '/crm/v3/objects/deals?limit=1');
    assert.equal(read.status, 200, 'reading deals needs only .read');
    const searched = await p.api('POST', '/crm/v3/objects/deals/search', { limit: 1 });
    assert.equal(searched.status, 200, 'search is a read');
    const write = await p.api('POST', '/crm/v3/objects/deals', { properties: { dealname: 'x' } });
    assert.equal(write.status, 403);
    assert.equal(write.body.category, 'MISSING_SCOPES');
    assert.match(write.body.message, /required scopes/);
    assert.deepEqual(write.body.errors[0].context.requiredGranularScopes, ['crm.objects.deals.write']);
    assert.equal(write.body.links.scopes, 'https://developers.hubspot.com/scopes');
    const byId = await p.api('POST', '/crm/v3/objects/0-3/batch/update', { inputs: [] });
    assert.equal(byId.status, 403, 'the object type id 0-3 is deals');
    const owners = await p.api('GET', '/crm/v3/owners');
    assert.deepEqual(owners.body.errors[0].context.requiredGranularScopes, ['crm.objects.owners.read']);
    const info = await p.api('POST', '/oauth/v2/private-apps/get/access-token-info', {
      tokenKey: p.emu.accessToken,
    });
    assert.equal(info.body.scopes.includes('crm.objects.deals.write'), false);
    assert.equal((await p.api('GET', '/account-info/v3/details')).status, 200, 'account info needs none');
  } finally {
    await p.admin('PUT', '/token', { scopes: [...DEFAULT_SCOPES] });
  }
});

test('properties need the schema scopes', async () => {
  await p.admin('PUT', '/token', {
    scopes: DEFAULT_SCOPES.filter((s) => s !== 'crm.schemas.deals.write'),
  });
  try {
    assert.equal((await p.api('GET', '/crm/v3/properties/deals')).status, 200);
    const made = await p.api('POST', '/crm/v3/properties/deals', {
      name: 'x_scope',
      label: 'x',
      type: 'string',
      fieldType: 'text',
      groupName: 'dealinformation',
    });
    assert.equal(made.status, 403);
    assert.deepEqual(made.body.errors[0].context.requiredGranularScopes, ['crm.schemas.deals.write']);
  } finally {
    await p.admin('PUT', '/token', { scopes: [...DEFAULT_SCOPES] });
  }
});

test('introspecting an unknown token is refused; a rotated token replaces the old one', async () => {
  const bad = await p.api('POST', '/oauth/v2/private-apps/get/access-token-info', { tokenKey: 'pat-nope' });
  assert.equal(bad.status, 401);
  const old = p.emu.accessToken;
  await p.admin('PUT', '/token', { accessToken: 'pat-rotated', scopes: ['crm.objects.deals.read'] });
  try {
    assert.equal((await p.api('GET', '/crm/v3/objects/deals?limit=1', undefined, old)).status, 401);
    const r = await p.api('GET', '/crm/v3/objects/contacts?limit=1', undefined, 'pat-rotated');
    assert.equal(r.status, 403);
  } finally {
    await p.admin('PUT', '/token', { accessToken: old, scopes: [...DEFAULT_SCOPES] });
  }
});
