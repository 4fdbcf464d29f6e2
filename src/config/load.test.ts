import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DealbridgeError } from '../errors/index.js';
import { loadConfig } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'dealbridge-config-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
/** A fresh working directory, optionally with a dealbridge.config.json. */
function dir(file?: unknown): string {
  n += 1;
  const cwd = join(root, `case-${n}`);
  mkdirSync(cwd, { recursive: true });
  if (file !== undefined) {
    writeFileSync(
      join(cwd, 'dealbridge.config.json'),
      typeof file === 'string' ? file : JSON.stringify(file),
    );
  }
  return cwd;
}

/** The CONFIG_INVALID error loadConfig throws (fails the test if it does not). */
function configError(env: Record<string, string>, cwd = dir()): DealbridgeError {
  try {
    loadConfig(env, cwd);
  } catch (err) {
    assert.ok(err instanceof DealbridgeError, `not a DealbridgeError: ${String(err)}`);
    assert.equal(err.code, 'CONFIG_INVALID');
    return err;
  }
  assert.fail('loadConfig accepted an invalid configuration');
}

const CLIENT_CREDENTIALS = {
  SALESFORCE_LOGIN_URL: 'https://login.salesforce.com',
  SALESFORCE_CLIENT_ID: '3MVG9-client-id',
  SALESFORCE_CLIENT_SECRET: 'sf-secret-value-1',
};

describe('loadConfig: defaults', () => {
  test('nothing set: defaults, no Salesforce flow, SQLite under the working directory, frozen', () => {
    const cwd = dir();
    const config = loadConfig({}, cwd);
    assert.equal(config.configFile, undefined);
    assert.equal(config.salesforce.flow, undefined);
    assert.equal(config.salesforce.apiVersion, '62.0');
    assert.equal(config.hubspot.baseUrl, 'https://api.hubapi.com');
    assert.equal(config.hubspot.accessToken, undefined);
    assert.equal(config.databaseUrl, join(cwd, '.dealbridge/state.db'));
    assert.equal(config.adminToken, undefined);
    assert.deepEqual(config.sync, {
      intervalSeconds: 5,
      salesforceBudgetPercent: 80,
      hubspotDailyAllocation: undefined,
      lookbackSeconds: 60,
      metadataCheckSeconds: 300,
      cdcPollIntervalSeconds: 60,
    });
    assert.equal(config.properties.totalRevenue, 'salesforce_total_revenue');
    assert.equal(config.properties.recentDealAmount, 'salesforce_recent_deal_amount');
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.sync) && Object.isFrozen(config.salesforce));
    assert.throws(() => {
      (config.sync as { intervalSeconds: number }).intervalSeconds = 1;
    }, TypeError);
  });

  test('empty variables count as unset', () => {
    const config = loadConfig(
      { SALESFORCE_LOGIN_URL: '', HUBSPOT_ACCESS_TOKEN: '  ', DEALBRIDGE_CONFIG: '' },
      dir(),
    );
    assert.equal(config.salesforce.flow, undefined);
    assert.equal(config.hubspot.accessToken, undefined);
  });
});

describe('loadConfig: environment', () => {
  test('client credentials, refresh token and access token flows', () => {
    assert.equal(loadConfig(CLIENT_CREDENTIALS, dir()).salesforce.flow, 'client-credentials');
    const refresh = loadConfig({ ...CLIENT_CREDENTIALS, SALESFORCE_REFRESH_TOKEN: 'rt' }, dir()).salesforce;
    assert.equal(refresh.flow, 'refresh-token');
    assert.equal(refresh.refreshToken, 'rt');
    const access = loadConfig(
      {
        SALESFORCE_INSTANCE_URL: 'http://127.0.0.1:4010',
        SALESFORCE_ACCESS_TOKEN: '00D!token',
        SALESFORCE_API_VERSION: '61.0',
      },
      dir(),
    ).salesforce;
    assert.equal(access.flow, 'access-token');
    assert.equal(access.instanceUrl, 'http://127.0.0.1:4010');
    assert.equal(access.apiVersion, '61.0');
  });

  test('incomplete Salesforce credentials name what is missing for the closest flow', () => {
    const err = configError({ SALESFORCE_CLIENT_ID: 'abc' });
    assert.match(
      err.message,
      /missing SALESFORCE_LOGIN_URL \(salesforce\.loginUrl\), SALESFORCE_CLIENT_SECRET/,
    );
    assert.equal(err.field, 'SALESFORCE_LOGIN_URL');
    const token = configError({ SALESFORCE_ACCESS_TOKEN: 'secret-token-xyz' });
    assert.match(token.message, /missing SALESFORCE_INSTANCE_URL/);
    assert.ok(!token.message.includes('secret-token-xyz'));
  });

  test('URLs are checked', () => {
    const err = configError({ SALESFORCE_LOGIN_URL: 'login.salesforce.com' });
    assert.equal(err.message, 'SALESFORCE_LOGIN_URL: not a URL (got "login.salesforce.com")');
    assert.equal(err.field, 'SALESFORCE_LOGIN_URL');
    assert.match(
      configError({ HUBSPOT_BASE_URL: 'ftp://x' }).message,
      /^HUBSPOT_BASE_URL: must be an http\(s\) URL/,
    );
    assert.equal(
      loadConfig({ HUBSPOT_BASE_URL: 'http://127.0.0.1:4020/' }, dir()).hubspot.baseUrl,
      'http://127.0.0.1:4020',
    );
  });

  test('API version must look like 62.0', () => {
    assert.equal(
      configError({ SALESFORCE_API_VERSION: 'v62' }).message,
      'SALESFORCE_API_VERSION: must look like "62.0" (got "v62")',
    );
  });

  test('database URL: Postgres as given, SQLite paths made absolute, other schemes refused', () => {
    const cwd = dir();
    const pg = 'postgres://dealbridge:pw@db.internal:5432/dealbridge';
    assert.equal(loadConfig({ DEALBRIDGE_DATABASE_URL: pg }, cwd).databaseUrl, pg);
    assert.equal(
      loadConfig({ DEALBRIDGE_DATABASE_URL: 'sqlite:data/s.db' }, cwd).databaseUrl,
      join(cwd, 'data/s.db'),
    );
    assert.equal(loadConfig({ DEALBRIDGE_DATABASE_URL: ':memory:' }, cwd).databaseUrl, ':memory:');
    const err = configError({ DEALBRIDGE_DATABASE_URL: 'mysql://u:hunter2@h/db' });
    assert.match(err.message, /^DEALBRIDGE_DATABASE_URL: unsupported scheme/);
    assert.ok(!err.message.includes('hunter2'), 'the password is masked');
  });

  test('secrets are never echoed, even when invalid', () => {
    const err = configError({ DEALBRIDGE_ADMIN_TOKEN: 'short-secret' });
    assert.equal(err.message, 'DEALBRIDGE_ADMIN_TOKEN: must be at least 16 characters');
    assert.equal(err.field, 'DEALBRIDGE_ADMIN_TOKEN');
  });

  test('every bad variable is reported at once', () => {
    const err = configError({ SALESFORCE_LOGIN_URL: 'nope', HUBSPOT_BASE_URL: 'also nope' });
    assert.deepEqual(err.message.split('\n'), [
      'SALESFORCE_LOGIN_URL: not a URL (got "nope")',
      'HUBSPOT_BASE_URL: not a URL (got "also nope")',
    ]);
  });
});

describe('loadConfig: dealbridge.config.json', () => {
  const full = {
    salesforce: { loginUrl: 'https://test.salesforce.com', clientId: 'cid', clientSecret: 'file-secret-abc' },
    hubspot: { baseUrl: 'http://127.0.0.1:4020', accessToken: 'pat-file-token' },
    databaseUrl: 'state/dealbridge.db',
    adminToken: 'a-long-admin-token-0123456789',
    sync: {
      intervalSeconds: 2.5,
      salesforceBudgetPercent: 50,
      hubspotDailyAllocation: 200000,
      lookbackSeconds: 0,
      metadataCheckSeconds: 600,
      cdcPollIntervalSeconds: 120,
    },
    properties: { totalRevenue: 'sf_total_revenue' },
  };

  test('read from the working directory, relative database path against the file', () => {
    const cwd = dir(full);
    const config = loadConfig({}, cwd);
    assert.equal(config.configFile, join(cwd, 'dealbridge.config.json'));
    assert.equal(config.salesforce.flow, 'client-credentials');
    assert.equal(config.hubspot.accessToken, 'pat-file-token');
    assert.equal(config.databaseUrl, join(cwd, 'state/dealbridge.db'));
    assert.deepEqual(config.sync, full.sync);
    assert.equal(config.properties.totalRevenue, 'sf_total_revenue');
    assert.equal(config.properties.numAssociatedDeals, 'salesforce_num_associated_deals');
  });

  test('environment variables override the file', () => {
    const cwd = dir(full);
    const config = loadConfig(
      {
        SALESFORCE_LOGIN_URL: 'https://login.salesforce.com',
        HUBSPOT_ACCESS_TOKEN: 'pat-env',
        DEALBRIDGE_DATABASE_URL: 'x.db',
      },
      cwd,
    );
    assert.equal(config.salesforce.loginUrl, 'https://login.salesforce.com');
    assert.equal(config.salesforce.clientSecret, 'file-secret-abc');
    assert.equal(config.hubspot.accessToken, 'pat-env');
    assert.equal(config.databaseUrl, join(cwd, 'x.db'));
  });

  test('DEALBRIDGE_CONFIG points at another file; a missing one is an error', () => {
    const cwd = dir();
    mkdirSync(join(cwd, 'etc'));
    writeFileSync(join(cwd, 'etc', 'db.json'), JSON.stringify({ sync: { intervalSeconds: 30 } }));
    const config = loadConfig({ DEALBRIDGE_CONFIG: 'etc/db.json' }, cwd);
    assert.equal(config.sync.intervalSeconds, 30);
    assert.equal(config.configFile, join(cwd, 'etc', 'db.json'));
    const err = configError({ DEALBRIDGE_CONFIG: 'etc/missing.json' }, cwd);
    assert.match(err.message, /^DEALBRIDGE_CONFIG: file not found: .*etc\/missing\.json$/);
  });

  test('the example of the brief, word for word', () => {
    const err = configError({}, dir({ sync: { intervalSeconds: 'fast' } }));
    assert.equal(
      err.message,
      'dealbridge.config.json: sync.intervalSeconds: must be a number >= 1 (got "fast")',
    );
  });

  test('ranges and integers of the sync settings', () => {
    const err = configError(
      {},
      dir({
        sync: {
          intervalSeconds: 0,
          salesforceBudgetPercent: 150,
          hubspotDailyAllocation: 1.5,
          lookbackSeconds: -1,
        },
      }),
    );
    assert.deepEqual(err.message.split('\n'), [
      'dealbridge.config.json: sync.intervalSeconds: must be a number >= 1 (got 0)',
      'dealbridge.config.json: sync.salesforceBudgetPercent: must be a number from 1 to 100 (got 150)',
      'dealbridge.config.json: sync.hubspotDailyAllocation: must be an integer >= 1 (got 1.5)',
      'dealbridge.config.json: sync.lookbackSeconds: must be an integer >= 0 (got -1)',
    ]);
  });

  test('unknown keys, at the top and nested, are errors (typos do not pass silently)', () => {
    const err = configError({}, dir({ hubspot: { baseURL: 'https://api.hubapi.com' }, sycn: {} }));
    assert.deepEqual(err.message.split('\n').sort(), [
      'dealbridge.config.json: hubspot.baseURL: unknown key',
      'dealbridge.config.json: sycn: unknown key',
    ]);
  });

  test('wrong shapes and types', () => {
    assert.equal(configError({}, dir([1, 2])).message, 'dealbridge.config.json: must be a JSON object');
    assert.equal(
      configError({}, dir({ sync: 5 })).message,
      'dealbridge.config.json: sync: must be an object (got 5)',
    );
    const secret = configError({}, dir({ salesforce: { clientSecret: 12345 } }));
    assert.equal(secret.message, 'dealbridge.config.json: salesforce.clientSecret: must be a string');
  });

  test('invalid JSON is reported without quoting the file (it may hold secrets)', () => {
    const err = configError({}, dir('{ "hubspot": { "accessToken": "pat-na1-very-secret" ,, } }'));
    assert.match(err.message, /^dealbridge\.config\.json: not valid JSON/);
    assert.ok(!err.message.includes('very-secret'));
  });

  test('rollup property names: HubSpot name rules, not HubSpot read-only ones, all distinct', () => {
    assert.match(
      configError({}, dir({ properties: { totalRevenue: 'Total Revenue' } })).message,
      /^dealbridge\.config\.json: properties\.totalRevenue: must be a HubSpot property name/,
    );
    assert.equal(
      configError({}, dir({ properties: { totalRevenue: 'total_revenue' } })).message,
      'dealbridge.config.json: properties.totalRevenue: is one of HubSpot\'s own read-only properties; choose another name (got "total_revenue")',
    );
    assert.equal(
      configError({}, dir({ properties: { recentDealAmount: 'salesforce_total_revenue' } })).message,
      'dealbridge.config.json: properties.totalRevenue: must differ from properties.recentDealAmount (both "salesforce_total_revenue")',
    );
  });
});
