// Values from Salesforce and HubSpot are text, never HTML (issue #17 §4): hostile names and
// descriptions (an <img onerror>, a </script> breaking out, an <svg onload>, a javascript: link)
// are synced through the sandbox, then every page is opened in Chromium. No injected script may
// run, no injected element may exist, the Content-Security-Policy must report no violation (the
// page itself has no inline script for it to block), and the values must show as typed.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { HubspotRest } from '../../src/engine/testing/hubspot-rest.js';
import { SalesforceRest } from '../../src/engine/testing/salesforce-rest.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { ensureBuilt, eventually, launch, tempDir } from './harness.js';

const tag = Date.now().toString(36);
// Each payload records that it ran in window.__pwned; the page must never set it.
const HOSTILE_NAME = `XSS ${tag} <img src=x onerror="window.__pwned=1"></script><script>window.__pwned=2</script>`;
const HOSTILE_DESCRIPTION = `<svg onload="window.__pwned=3"></svg><a href="javascript:window.__pwned=4">click</a> & "quotes" 'single'`;
const HOSTILE_ACCOUNT = `Acme <b onmouseover="window.__pwned=5">bold</b> ${tag}`;

describe('hostile values in Chromium', () => {
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;
  let dir: string;
  let oppId = '';
  const violations: string[] = [];

  before(async () => {
    ensureBuilt();
    dir = tempDir();
    sandbox = await startSandbox({ dir, port: 0, activity: false });
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
    const hsRest = new HubspotRest(sandbox.hubspotUrl, sandbox.runtime.config.hubspot.accessToken);
    const email = `xss.${tag}@example.com`;
    await hsRest.createContact(email);
    const contactId = await sfRest.create('Contact', { LastName: '<i>Mallory</i>', Email: email });
    const accountId = await sfRest.create('Account', { Name: HOSTILE_ACCOUNT });
    const [recordType] = await sfRest.query<{ Id: string }>(
      "SELECT Id FROM RecordType WHERE SobjectType = 'Opportunity' ORDER BY Id",
    );
    // Owned by the demo org's user without a HubSpot owner, so the name shows on an error card too.
    const unmatched = sandbox.setup.owners.unmatched[0];
    oppId = await sfRest.create('Opportunity', {
      ...(recordType ? { RecordTypeId: recordType.Id } : {}),
      Name: HOSTILE_NAME,
      Description: HOSTILE_DESCRIPTION,
      StageName: 'Prospecting',
      CloseDate: '2026-12-31',
      AccountId: accountId,
      ...(unmatched ? { OwnerId: unmatched.id } : {}),
    });
    await sfRest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: contactId });
    await eventually(() => hsRest.dealOf(oppId), 30_000, 'the hostile opportunity synced');

    browser = await launch();
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to (execute|load|apply)/i.test(m.text()))
        violations.push(m.text());
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { __csp: string[] }).__csp ??= [];
        (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    assert.ok(sandbox.loginUrl, 'the sandbox prints a login link');
    await page.goto(sandbox.loginUrl);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await sandbox?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function assertInert(where: string) {
    const state = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned,
      csp: (window as unknown as { __csp?: string[] }).__csp ?? [],
      injected: document.querySelectorAll('img[src="x"], svg[onload], b[onmouseover], a[href^="javascript:"]')
        .length,
      scripts: Array.from(document.querySelectorAll('script')).filter((s) => !s.src).length,
    }));
    assert.equal(state.pwned, undefined, `${where}: an injected script ran`);
    assert.equal(state.injected, 0, `${where}: a hostile value became an element`);
    assert.equal(state.scripts, 0, `${where}: an inline script is in the page`);
    assert.deepEqual(state.csp, [], `${where}: CSP violations`);
  }

  test('every page shows the values as text and runs none of them', async () => {
    for (const path of ['/settings', '/import', '/health', '/records']) {
      await page.goto(`${sandbox.webUrl}${path}`);
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      await page.waitForLoadState('networkidle');
      await assertInert(path);
    }
    // The error card (owner not found) carries the name.
    await page.goto(`${sandbox.webUrl}/health`);
    const card = page.locator('article.error-card', { hasText: `XSS ${tag}` });
    await card.waitFor({ timeout: 30_000 });
    assert.ok((await card.innerText()).includes(HOSTILE_NAME), 'the name shows as typed');
    await card.hover();
    await assertInert('/health with the error card');

    await page.goto(`${sandbox.webUrl}/records`);
    await page.getByLabel('Find an opportunity by name or ID').fill(`XSS ${tag} <img`);
    await page.getByRole('button', { name: 'Search' }).click();
    const link = page.getByRole('link', { name: HOSTILE_NAME });
    await link.waitFor();
    await assertInert('/records search results');
    await link.click();
    await page.getByRole('heading', { level: 2, name: HOSTILE_NAME }).waitFor();
    await page.waitForLoadState('networkidle');
    const text = await page.locator('main').innerText();
    assert.ok(text.includes(HOSTILE_NAME), 'record page: the name as text');
    await page.mouse.move(10, 10);
    await assertInert(`/records/${oppId}`);
    assert.deepEqual(violations, []);
  });

  test('the one-time login link is dead after use', async () => {
    assert.ok(sandbox.loginUrl);
    const res = await fetch(sandbox.loginUrl, { redirect: 'manual' });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('set-cookie'), null);
  });
});
