// Issue #16's "Connect Salesforce" in Chromium against the sandbox's Salesforce emulator: the
// Connections page sends the browser to the emulator's login form and consent page, the callback
// brings it back connected (the identity shown), "Check connection" answers, "Disconnect" revokes
// and forgets, "Reconnect" needs no client secret again (it is stored, sealed); a forged state on
// the callback and "Deny" come back as clear errors; the German page has no English left.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { NEEDED_SCOPES } from '../../src/hubspot/scopes.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { englishLeft } from './english-left.js';
import { ensureBuilt, launch, screenshots, tempDir } from './harness.js';

describe('Connect Salesforce in Chromium against the emulator', () => {
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;
  let dir: string;
  let username = '';
  let orgId = '';

  before(async () => {
    ensureBuilt();
    dir = tempDir();
    sandbox = await startSandbox({ dir, port: 0, activity: false, intervalMs: 5000, cdc: false });
    const sf = await sandbox.runtime.salesforce();
    username = (await sf.users()).find((u) => u.IsActive)!.Email;
    orgId = (await sf.orgInfo()).organizationId;
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

  /** Salesforce's pages: the login form, then the consent page. */
  async function salesforceLogin(decision: 'Allow' | 'Deny' = 'Allow'): Promise<void> {
    await page.waitForURL(/\/services\/oauth2\/authorize/);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill('sandbox-password');
    await page.getByRole('button', { name: 'Log In' }).click();
    await page.getByRole('heading', { name: 'Allow Access?' }).waitFor();
    await page.getByRole('button', { name: decision }).click();
    await page.waitForURL(/\/connections/);
  }

  test('connect, see the identity, check, disconnect, reconnect', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections' }).click();
    await page.locator('#sf-state').getByText('Not connected.').waitFor();
    // The sandbox's own credentials come from its configuration, which wins: the page says so.
    await page.getByText(/come from the configuration/).waitFor();
    await page.getByLabel('Log in at').selectOption('mydomain');
    await page.getByLabel('My Domain URL').fill(sandbox.salesforceUrl);
    const sf = sandbox.runtime.config.salesforce;
    await page.getByLabel('Consumer key (client id)').fill(sf.clientId ?? '');
    await page.getByLabel('Consumer secret (client secret)').fill(sf.clientSecret ?? '');
    assert.match(
      (await page.locator('code').first().textContent()) ?? '',
      /^http:\/\/127\.0\.0\.1:\d+\/connect\/salesforce\/callback$/,
    );
    await page.getByRole('button', { name: 'Connect Salesforce' }).click();
    await salesforceLogin();
    await page.getByText('Salesforce is connected.').waitFor();
    await page.getByText(`(${username})`, { exact: false }).waitFor();
    assert.equal(await page.locator('#sf-org').textContent(), orgId);
    assert.equal(new URL(page.url()).search, '', 'the outcome is shown once, not kept in the address');
    await screenshots(page, 'connections-connected');

    await page.getByRole('button', { name: 'Check connection' }).click();
    await page.getByText('The connection answers.').waitFor();

    await page
      .locator('section', { has: page.locator('#sf-state') })
      .getByRole('button', { name: 'Disconnect' })
      .click();
    await page.getByText(/Disconnected: the tokens are revoked/).waitFor();
    await page.locator('#sf-state').getByText('Not connected.').waitFor();
    const status = (await (
      await page.request.get(`${sandbox.webUrl}/api/connections/salesforce`)
    ).json()) as {
      connected: boolean;
      hasClientSecret: boolean;
    };
    assert.deepEqual([status.connected, status.hasClientSecret], [false, true]);

    // Reconnect: the client id and secret are remembered (the secret field may stay empty).
    assert.equal(await page.getByLabel('Consumer secret (client secret)').inputValue(), '');
    await page.getByRole('button', { name: 'Connect Salesforce' }).click();
    await salesforceLogin();
    await page.getByText('Salesforce is connected.').waitFor();
    await page.getByRole('button', { name: 'Reconnect' }).waitFor();
  });

  test('Deny and a forged state come back as clear errors', async () => {
    await page.goto(`${sandbox.webUrl}/connections`);
    await page.getByRole('button', { name: 'Reconnect' }).click();
    await salesforceLogin('Deny');
    await page.getByRole('alert').filter({ hasText: 'OAUTH_ACCESS_DENIED' }).waitFor();
    await page.getByText('Access not allowed').waitFor();

    const forged = await page.request.get(
      `${sandbox.webUrl}/connect/salesforce/callback?code=aPrxforged&state=forged`,
    );
    assert.equal(forged.status(), 400);
    await page.goto(`${sandbox.webUrl}/connect/salesforce/callback?code=aPrxforged&state=forged`);
    await page.waitForURL(/\/connections/);
    await page.getByRole('alert').filter({ hasText: 'OAUTH_STATE_MISMATCH' }).waitFor();
    await page.getByText(/Start the connection again/).waitFor();
    // Still connected as before: a refused answer changes nothing.
    await page.getByRole('button', { name: 'Reconnect' }).waitFor();
  });

  test('HubSpot: a wrong private-app token is refused at once; the right one shows the portal; Disconnect forgets it', async () => {
    await page.goto(`${sandbox.webUrl}/connections`);
    const card = page.locator('section', { has: page.getByRole('heading', { name: 'HubSpot' }) });
    await card.getByText('Not connected.').waitFor();
    await card.getByLabel('Private app access token').fill('pat-na1-wrong-token-000000');
    await card.getByRole('button', { name: 'Connect HubSpot' }).click();
    await card.getByRole('alert').filter({ hasText: 'AUTH_FAILED' }).waitFor();
    await card.getByText('Not connected.').waitFor();
    // The portal's token lacks the owners scope while it is connected: the card names it, with the fix.
    const scopesOf = (scopes: readonly string[]) =>
      fetch(`${sandbox.runtime.config.hubspot.baseUrl}/__emulator/token`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scopes }),
      });
    await scopesOf(NEEDED_SCOPES.filter((x) => x !== 'crm.objects.owners.read'));
    try {
      await card.getByLabel('Private app access token').fill(sandbox.runtime.config.hubspot.accessToken);
      await card.getByRole('button', { name: 'Connect HubSpot' }).click();
      await card.getByText('HubSpot is connected.').waitFor();
    } finally {
      await scopesOf(NEEDED_SCOPES);
    }
    const scopes = card.locator('#hs-scopes');
    assert.match((await scopes.textContent()) ?? '', /Missing scopes/);
    assert.deepEqual(await scopes.locator('li').allTextContents(), ['crm.objects.owners.read']);
    await scopes.getByText(/Private apps › your app › Scopes/).waitFor();
    const portalId = (await (await sandbox.runtime.hubspot()).accountInfo()).portalId;
    assert.equal(await card.locator('#hs-state span').textContent(), String(portalId));
    assert.equal(await card.getByLabel('Private app access token').inputValue(), '', 'the field is emptied');
    await screenshots(page, 'connections-hubspot');
    await card.getByRole('button', { name: 'Disconnect' }).click();
    await card.getByText(/Disconnected: the token is forgotten/).waitFor();
    await card.getByText('Not connected.').waitFor();
  });

  test('the German Connections page has no English left', async () => {
    const de = await (
      await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } })
    ).newPage();
    await de.goto(`${sandbox.webUrl}/login`);
    await de.locator('input[type="password"]').first().fill(sandbox.adminToken);
    await de.locator('button[type="submit"]').click();
    await de.goto(`${sandbox.webUrl}/connections`);
    await de.getByRole('heading', { name: 'Verbindungen', level: 1 }).waitFor();
    await de.getByText(/Verbunden als/).waitFor();
    assert.deepEqual(await englishLeft(de), []);
    await screenshots(de, 'connections-de');
    await de.context().close();
  });
});
