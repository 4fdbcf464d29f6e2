// Sync health's "Live path" line in Chromium against the sandbox (issue #14): Change Data Capture
// live with the last event's age while the org selects Opportunity; after Opportunity is
// deselected through the emulator's admin API (and the stream dropped, so that the feed asks
// again), polling with the catalogue code's title and fix, in English and in German.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { SalesforceRest } from '../../src/engine/testing/salesforce-rest.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { englishLeft } from './english-left.js';
import { ensureBuilt, eventually, launch, screenshots, tempDir } from './harness.js';

describe('the live path on Sync health in Chromium against the sandbox', () => {
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;
  let dir: string;

  /** Reloads Sync health until the live path line matches, and returns its text. */
  const livePath = (re: RegExp, what: string) =>
    eventually(
      async () => {
        await page.goto(`${sandbox.webUrl}/health`);
        const line = page.getByTestId('live-path');
        await line.waitFor();
        const text = (await line.textContent()) ?? '';
        return re.test(text) && text;
      },
      30_000,
      what,
    );

  const admin = async (path: string, body: unknown) => {
    const res = await fetch(`${sandbox.salesforceUrl}/__emulator/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200, await res.text());
  };

  before(async () => {
    ensureBuilt();
    dir = tempDir();
    sandbox = await startSandbox({ dir, port: 0, activity: false, intervalMs: 2000 });
    browser = await launch();
    page = await (
      await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })
    ).newPage();
    await page.goto(`${sandbox.webUrl}/login`);
    await page.getByLabel('Admin token').fill(sandbox.adminToken);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { level: 1 }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await sandbox?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("CDC live with the last event's age, then polling with the code's fix once Opportunity is deselected", async () => {
    const sf = sandbox.runtime.config.salesforce;
    const token = async () => {
      const res = await fetch(`${sandbox.salesforceUrl}/services/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: sf.clientId ?? '',
          client_secret: sf.clientSecret ?? '',
        }),
      });
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const sfRest = new SalesforceRest(sandbox.salesforceUrl, token);
    // One change event, so that the line has an age to show.
    await sfRest.create('Opportunity', {
      Name: `E2E live path ${Date.now().toString(36)}`,
      StageName: 'Prospecting',
      CloseDate: '2027-06-30',
    });
    const live = await livePath(/^Change Data Capture \(last event \d+ s ago\)$/, 'CDC live with an age');
    assert.doesNotMatch(live, /Polling/);
    await screenshots(page, 'health-live-path-cdc');

    await admin('cdc/selection', { remove: ['Opportunity'] });
    await admin('cdc/drop', {});
    const polling = await livePath(
      /^Polling \(CDC not selected: Opportunity not selected for Change Data Capture\) CDC_NOT_SELECTED$/,
      'polling with the code',
    );
    assert.ok(polling);
    const fix = (await page.getByTestId('live-path-fix').textContent()) ?? '';
    assert.match(fix, /^Fix: In Salesforce, Setup › Integrations › Change Data Capture: move Opportunity/);
    await screenshots(page, 'health-live-path-polling');

    await page.getByTestId('language-switch').selectOption('de');
    await page.getByRole('heading', { level: 1, name: 'Synchronisierungsstatus' }).waitFor();
    await page
      .getByTestId('live-path')
      .getByText(/^Abfrage \(CDC nicht ausgewählt: Opportunity nicht für Change Data Capture ausgewählt\)/)
      .waitFor();
    assert.match(
      (await page.getByTestId('live-path-fix').textContent()) ?? '',
      /^Behebung: In Salesforce unter Setup › Integrationen › Change Data Capture/,
    );
    assert.deepEqual(await englishLeft(page), [], 'English on the German Sync health page');
    await screenshots(page, 'health-live-path-polling-de');
    await page.getByTestId('language-switch').selectOption('en');
  });
});
