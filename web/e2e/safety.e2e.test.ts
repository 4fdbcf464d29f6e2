// Issue #17's safety switches in Chromium against the sandbox (its sync loop running every half
// second): "Pause sync" stops the loop's writes while it keeps running, "Resume sync" lets the
// change through without a restart; a dead letter is labelled on Sync health and "Resync selected"
// brings it back.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { readPause } from '../../src/engine/pause.js';
import { HubspotRest } from '../../src/engine/testing/hubspot-rest.js';
import { SalesforceRest } from '../../src/engine/testing/salesforce-rest.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { ensureBuilt, eventually, launch, screenshots, tempDir } from './harness.js';

describe('safety switches in Chromium against the sandbox', () => {
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;
  let dir: string;
  let sfRest: SalesforceRest;
  let hsRest: HubspotRest;
  const name = `E2E paused ${Date.now().toString(36)}`;
  let oppId = '';

  const deal = (id: string) =>
    hsRest
      .call('GET', `/crm/v3/objects/deals/${id}?idProperty=salesforce_opportunity_id&properties=dealname`)
      .then(
        (d) => d as { properties: { dealname?: string } },
        () => null,
      );
  const lastPassAt = async () =>
    (
      (await (await page.request.get(`${sandbox.webUrl}/api/health`)).json()) as {
        loop: { lastPassAt: string | null };
      }
    ).loop.lastPassAt ?? '';

  before(async () => {
    ensureBuilt();
    dir = tempDir();
    // Polling as the live path: these tests watch passes run (and write nothing) while paused;
    // with Change Data Capture live a pass comes only every minute.
    sandbox = await startSandbox({ dir, port: 0, activity: false, intervalMs: 500, cdc: false });
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
    sfRest = new SalesforceRest(sandbox.salesforceUrl, token);
    hsRest = new HubspotRest(sandbox.hubspotUrl, sandbox.runtime.config.hubspot.accessToken);
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

  test('"Pause sync": the loop keeps running and writes nothing; "Resume sync": the change syncs', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sync health' }).click();
    await page.getByRole('button', { name: 'Pause sync' }).click();
    await page.getByRole('button', { name: 'Resume sync' }).waitFor();
    await page
      .getByTestId('pause-state')
      .getByText(/^Sync paused since/)
      .waitFor();
    assert.equal((await readPause(sandbox.runtime.store)).paused, true);
    await page.getByRole('link', { name: 'Paused' }).waitFor();
    await screenshots(page, 'health-paused');

    const email = `e2e.paused.${Date.now().toString(36)}@example.com`;
    await hsRest.createContact(email);
    const contactId = await sfRest.create('Contact', { LastName: 'Paused', Email: email });
    oppId = await sfRest.create('Opportunity', {
      Name: name,
      StageName: 'Prospecting',
      CloseDate: '2026-12-31',
      Amount: 500,
    });
    await sfRest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: contactId });
    // Two passes that started after the change: both paused, neither wrote it.
    const changedAt = new Date().toISOString();
    const firstPass = await eventually(
      async () => {
        const at = await lastPassAt();
        return at > changedAt && at;
      },
      20_000,
      'a pass after the change',
    );
    await eventually(async () => (await lastPassAt()) > firstPass, 20_000, 'a second pass');
    assert.equal(await deal(oppId), null, 'no deal while paused');

    await page.getByRole('button', { name: 'Resume sync' }).click();
    await page.getByRole('button', { name: 'Pause sync' }).waitFor();
    const synced = await eventually(() => deal(oppId), 30_000, 'the deal after the resume');
    assert.equal(synced.properties.dealname, name);
    assert.equal((await readPause(sandbox.runtime.store)).paused, false);
  });

  test('a dead letter is labelled on Sync health; "Resync selected" retries it by hand', async () => {
    const key = `opportunity:${oppId}`;
    const at = new Date().toISOString();
    // As its 20th failed attempt leaves it (the engine's path: src/engine/sync/dead-letters.test.ts).
    await sandbox.runtime.store.recordErrors([
      {
        recordKey: key,
        code: 'HUBSPOT_VALIDATION',
        message: 'Property values were not valid: amount',
        field: 'amount',
        severity: 'error',
        attempts: 20,
        firstSeenAt: at,
        lastSeenAt: at,
        nextRetryAt: null,
        deadLetteredAt: at,
      },
    ]);
    await page.reload();
    const card = page.locator('article.error-card', { hasText: name });
    await card.waitFor({ timeout: 30_000 });
    // The label is upper-cased by CSS: innerText gives it as shown.
    assert.match(await card.locator('.dead-letter').innerText(), /^dead letter$/i);
    assert.match(await card.innerText(), /20 attempts · since .*, retried only by hand \(Resync selected\)/);
    assert.equal((await page.getByTestId('dead-letters').innerText()).trim(), '1');
    await page.getByTestId('dead-letters-hint').waitFor();
    await screenshots(page, 'health-dead-letter');

    await card.getByRole('checkbox', { name: new RegExp(name) }).check();
    await card.getByRole('button', { name: /Resync selected/ }).click();
    await page.getByText(/1 dead letter\(s\) retried/).waitFor();
    await card.waitFor({ state: 'detached', timeout: 30_000 });
    assert.deepEqual(await sandbox.runtime.store.listErrors({ recordKeys: [key] }), []);
    assert.equal((await page.getByTestId('dead-letters').innerText()).trim(), '0');
  });
});
