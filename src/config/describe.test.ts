import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DealbridgeError } from '../errors/index.js';
import { describeConfig, loadConfig, requireHubspot, requireSalesforce } from './index.js';
import { maskUrl } from './mask.js';

const SECRETS = [
  'sf-client-secret-1',
  'sf-refresh-2',
  'sf-access-3',
  'pat-hubspot-4',
  'admin-token-0123456789',
  'pgpass5',
  'hubspot-app-client-secret-6',
];

test('describeConfig shows settings and masks every secret', () => {
  const config = loadConfig(
    {
      SALESFORCE_LOGIN_URL: 'https://login.salesforce.com',
      SALESFORCE_INSTANCE_URL: 'https://acme.my.salesforce.com',
      SALESFORCE_CLIENT_ID: 'client-id-visible',
      SALESFORCE_CLIENT_SECRET: SECRETS[0]!,
      SALESFORCE_REFRESH_TOKEN: SECRETS[1]!,
      SALESFORCE_ACCESS_TOKEN: SECRETS[2]!,
      HUBSPOT_ACCESS_TOKEN: SECRETS[3]!,
      HUBSPOT_CLIENT_SECRET: SECRETS[6]!,
      DEALBRIDGE_ADMIN_TOKEN: SECRETS[4]!,
      DEALBRIDGE_DATABASE_URL: `postgres://dealbridge:${SECRETS[5]}@db:5432/dealbridge`,
    },
    '/srv',
  );
  const summary = describeConfig(config);
  const text = JSON.stringify(summary);
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `${secret} leaked`);
  assert.deepEqual(summary.salesforce, {
    flow: 'refresh-token',
    apiVersion: '62.0',
    loginUrl: 'https://login.salesforce.com',
    instanceUrl: 'https://acme.my.salesforce.com',
    clientId: 'client-id-visible',
    clientSecret: '***',
    refreshToken: '***',
    accessToken: '***',
  });
  assert.equal(summary.databaseUrl, 'postgres://dealbridge:***@db:5432/dealbridge');
  assert.equal(summary.adminToken, '***');
  assert.equal((summary.hubspot as Record<string, unknown>).clientSecret, '***');
  assert.deepEqual(describeConfig(loadConfig({}, '/srv')).hubspot, {
    baseUrl: 'https://api.hubapi.com',
    accessToken: '(not set)',
    clientSecret: '(not set)',
  });
});

test('maskUrl hides passwords and token-like query values, leaves the rest', () => {
  assert.equal(maskUrl('postgres://u:p@h/db?sslmode=require'), 'postgres://u:***@h/db?sslmode=require');
  assert.equal(maskUrl('https://x.test/a?api_key=k&x=1'), 'https://x.test/a?api_key=***&x=1');
  assert.equal(maskUrl('https://api.hubapi.com'), 'https://api.hubapi.com');
  assert.equal(maskUrl('/var/lib/state.db'), '/var/lib/state.db');
});

test('requireSalesforce / requireHubspot narrow the config or name what to set', () => {
  const empty = loadConfig({}, '/srv');
  assert.throws(
    () => requireSalesforce(empty),
    (err: unknown) =>
      err instanceof DealbridgeError &&
      err.code === 'CONFIG_INVALID' &&
      /SALESFORCE_INSTANCE_URL/.test(err.message),
  );
  assert.throws(
    () => requireHubspot(empty),
    (err: unknown) => err instanceof DealbridgeError && err.field === 'HUBSPOT_ACCESS_TOKEN',
  );
  const ready = loadConfig(
    {
      SALESFORCE_INSTANCE_URL: 'http://127.0.0.1:1',
      SALESFORCE_ACCESS_TOKEN: 't',
      HUBSPOT_ACCESS_TOKEN: 'h',
    },
    '/srv',
  );
  assert.equal(requireSalesforce(ready).flow, 'access-token');
  assert.equal(requireHubspot(ready).accessToken, 'h');
});
