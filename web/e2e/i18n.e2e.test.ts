// The web UI in German and English (issue #16, Language) in Chromium against the sandbox: a
// browser whose language is German gets every page in German with no English word left (checked
// against the English catalogue, english-left.ts), amounts and dates in German formats
// (1.234,56 €, 02.12.2026), and error cards with the German catalogue; the switch in the header is
// remembered across reloads and wins over the browser's language. Screenshots of every page in
// both languages at 1280 and 390 px go to test-results/ (i18n-de-*, i18n-en-*).
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CORPORATE_CURRENCY_SETTING } from '../../src/engine/setup/run-setup.js';
import { HubspotRest } from '../../src/engine/testing/hubspot-rest.js';
import { SalesforceRest } from '../../src/engine/testing/salesforce-rest.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { englishLeft, englishOnly } from './english-left.js';
import { ensureBuilt, launch, screenshots, tempDir } from './harness.js';

describe('web UI in German and English', () => {
  let sandbox: Sandbox;
  let browser: Browser;
  let german: BrowserContext;
  let page: Page;
  let dir: string;
  const name = `E2E Sprache ${Date.now().toString(36)}`;
  let oppId = '';
  let hsRest: HubspotRest;

  async function logIn(p: Page): Promise<void> {
    await p.goto(`${sandbox.webUrl}/login`);
    await p.locator('input[type="password"], input[name="token"]').first().fill(sandbox.adminToken);
    await p.locator('button[type="submit"]').click();
    await p.getByRole('heading', { level: 1 }).waitFor();
  }

  /** Opens a page from the main navigation and waits until its data is on it. */
  async function open(p: Page, path: string, ready: (p: Page) => Promise<unknown>): Promise<void> {
    await p.goto(`${sandbox.webUrl}${path}`);
    await ready(p);
    await p.waitForFunction(() => !document.querySelector('.loading'));
  }

  before(async () => {
    ensureBuilt();
    dir = tempDir();
    sandbox = await startSandbox({ dir, port: 0, activity: false, intervalMs: 500 });
    const sf = sandbox.runtime.config.salesforce;
    const sfRest = new SalesforceRest(sandbox.salesforceUrl, async () => {
      const res = await fetch(`${sandbox.salesforceUrl}/services/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: sf.clientId ?? '',
          client_secret: sf.clientSecret ?? '',
        }),
      });
      return ((await res.json()) as { access_token: string }).access_token;
    });
    hsRest = new HubspotRest(sandbox.hubspotUrl, sandbox.runtime.config.hubspot.accessToken);
    // One opportunity with an amount and a date to read the formats by, owned by the demo org's
    // user without a HubSpot owner so that Sync health shows an error card (OWNER_NOT_FOUND).
    const email = `sprache.${Date.now().toString(36)}@example.com`;
    await hsRest.createContact(email);
    const contactId = await sfRest.create('Contact', { LastName: 'Sprache', Email: email });
    const unmatched = sandbox.setup.owners.unmatched[0];
    assert.ok(unmatched, 'the demo org has a user without a HubSpot owner');
    oppId = await sfRest.create('Opportunity', {
      Name: name,
      StageName: 'Prospecting',
      CloseDate: '2026-12-02',
      Amount: 1234.56,
      OwnerId: unmatched.id,
    });
    await sfRest.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: contactId });
    // A two-way conflict, as the HubSpot → Salesforce direction keeps it: its section is checked too.
    await sandbox.runtime.store.appendAudit([
      {
        at: new Date().toISOString(),
        target: `opportunity:${oppId}`,
        sourceKey: 'deal:1',
        field: 'Amount',
        oldValue: '1000',
        newValue: '1234.56',
        reason: 'conflict',
        runId: null,
        salesforceAt: new Date(Date.now() - 60_000).toISOString(),
        hubspotAt: new Date(Date.now() - 30_000).toISOString(),
      },
    ]);
    browser = await launch();
    german = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
    page = await german.newPage();
    await logIn(page);
  });

  after(async () => {
    await browser?.close();
    await sandbox?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the check knows the English words it looks for', () => {
    // A check that cannot fail is no check: these English UI words must be in its list.
    for (const w of ['settings', 'search', 'pause', 'history', 'warnings', 'fix'])
      assert.ok(englishOnly.has(w), w);
    for (const w of ['salesforce', 'hubspot', 'opportunity', 'deal', 'import'])
      assert.ok(!englishOnly.has(w), w);
  });

  test('a German browser gets the login form in German', async () => {
    const p = await german.newPage();
    await p.goto(`${sandbox.webUrl}/login`);
    await p.getByLabel('Admin-Token').waitFor();
    assert.deepEqual(await englishLeft(p), []);
    await screenshots(p, 'i18n-de-login');
    await p.close();
  });

  test('a German browser gets the UI in German by default', async () => {
    await page.getByRole('heading', { level: 1, name: 'Einstellungen der Salesforce-Integration' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
    assert.equal(await page.getByTestId('language-switch').inputValue(), 'de');
    // The seed's words: HubSpot's own German labels.
    await page.getByRole('combobox', { name: 'Opportunity-Synchronisierung', exact: true }).waitFor();
    assert.ok(await page.getByRole('option', { name: 'Opportunities synchronisieren' }).count());
  });

  const pages: { name: string; path: () => string; ready: (p: Page) => Promise<unknown> }[] = [
    {
      name: 'settings',
      path: () => '/settings',
      ready: (p) => p.getByRole('heading', { level: 2, name: 'Feldzuordnungen' }).waitFor(),
    },
    {
      name: 'import',
      path: () => '/import',
      // With a preview's result on it: its counts, reasons and sample rows.
      ready: async (p) => {
        await p.getByRole('heading', { level: 2, name: 'Importstatus' }).waitFor();
        await p.getByRole('button', { name: 'Importvorschau' }).click();
        await p.getByRole('table', { name: 'Beispielzeilen' }).waitFor({ timeout: 30_000 });
        // And an import run to its end: the Import status dashboard and the history in German.
        await p.getByRole('button', { name: 'Import starten' }).click();
        await p.getByTestId('import-phase').getByText('Abgeschlossen').waitFor({ timeout: 60_000 });
        await p
          .getByRole('region', { name: 'Importläufe' })
          .getByText('abgeschlossen', { exact: true })
          .waitFor();
      },
    },
    {
      name: 'health',
      path: () => '/health',
      ready: (p) => p.locator('article.error-card', { hasText: name }).waitFor({ timeout: 30_000 }),
    },
    {
      name: 'records',
      path: () => '/records',
      ready: async (p) => {
        await p.getByLabel('Opportunity nach Name oder ID suchen').fill(name);
        await p.getByRole('button', { name: 'Suchen' }).click();
        await p.getByRole('link', { name }).waitFor();
      },
    },
    {
      name: 'record',
      path: () => `/records/${oppId}`,
      ready: async (p) => {
        await p.getByTestId('record-amount').waitFor();
        await p.getByTestId('conflicts').waitFor();
      },
    },
  ];

  for (const pg of pages)
    test(`German ${pg.name} page: no English left`, async () => {
      await open(page, pg.path(), pg.ready);
      assert.deepEqual(await englishLeft(page), [], `English on the German ${pg.name} page`);
      await screenshots(page, `i18n-de-${pg.name}`);
    });

  test('German stage mapping problem: the won/lost rule in German, stage names as data', async () => {
    await open(page, '/settings', (p) =>
      p.getByRole('heading', { level: 2, name: 'Feldzuordnungen' }).waitFor(),
    );
    const select = page.getByRole('combobox', { name: /^HubSpot-Phase für Closed Won/ }).first();
    const original = await select.inputValue();
    const lost = await select
      .locator('option', { hasText: /^Closed Lost/ })
      .first()
      .getAttribute('value');
    assert.ok(lost);
    await select.selectOption(lost);
    await page
      .getByText(
        'Gewonnene Phase “Closed Won” muss einer geschlossenen Phase mit Wahrscheinlichkeit 1,0 zugeordnet sein; HubSpot-Phase “Closed Lost” ist geschlossen mit Wahrscheinlichkeit 0,0',
      )
      .first()
      .waitFor();
    await page
      .getByRole('alert')
      .filter({ hasText: /Problem in der Phasenzuordnung/ })
      .waitFor();
    assert.deepEqual(await englishLeft(page), [], 'English on the German settings page with a problem');
    await select.selectOption(original);
    await page
      .getByText('Jede Phase ist zugeordnet, und die Regeln für Gewonnen und Verloren sind erfüllt.')
      .waitFor();
  });

  test('German formats: 1.234,56, 02.12.2026, German dates and the German error card', async () => {
    await open(page, `/records/${oppId}`, (p) => p.getByTestId('record-amount').waitFor());
    // A single-currency org: the amount is in its corporate currency, as setup read it (the demo
    // org's is the dollar); German puts the symbol after the number.
    assert.equal(await sandbox.runtime.store.getSetting(CORPORATE_CURRENCY_SETTING), 'USD');
    assert.equal(await page.getByTestId('record-amount').innerText(), '1.234,56\u00a0$');
    assert.equal(await page.getByTestId('record-close-date').innerText(), '02.12.2026');
    // Last sync: today's time (18:05:09) or a German date; never an English month or AM/PM.
    assert.match(
      await page.getByTestId('last-sync').innerText(),
      /^(\d{2}:\d{2}:\d{2}|\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2})$/,
    );
    await open(page, '/health', (p) => p.locator('article.error-card', { hasText: name }).waitFor());
    const card = page.locator('article.error-card[data-code="OWNER_NOT_FOUND"]');
    assert.match(await card.innerText(), /Opportunity-Eigentümer hat keinen HubSpot-Eigentümer/);
    assert.match(await card.innerText(), /So beheben Sie es:/);
    // Numbers of four digits and more carry the German thousands separator wherever they show.
    const numbers = await page.locator('main').innerText();
    assert.doesNotMatch(numbers, /\b\d{1,3},\d{3}\b/, 'an English thousands separator on a German page');
  });

  test('the property labels setting, in German: setup relabels the HubSpot properties', async () => {
    const label = async () =>
      (
        (await hsRest.call('GET', '/crm/v3/properties/contacts/salesforce_total_revenue')) as {
          label: string;
        }
      ).label;
    assert.equal(await label(), 'Total revenue (Salesforce)');
    await open(page, '/settings', (p) =>
      p.getByRole('heading', { level: 2, name: 'Feldzuordnungen' }).waitFor(),
    );
    await page
      .getByRole('combobox', { name: 'Sprache der Eigenschaftsbezeichnungen, die die Einrichtung anlegt' })
      .selectOption('de');
    await page.getByText('Gespeichert: Führen Sie die Einrichtung erneut aus').waitFor();
    await page.getByRole('button', { name: 'Einrichtung erneut ausführen' }).click();
    await page.getByText(/^Einrichtung ausgeführt:/).waitFor({ timeout: 30_000 });
    assert.equal(await label(), 'Gesamtumsätze (Salesforce)');
  });

  test('the switch is remembered: English after a reload, over the browser’s German', async () => {
    await open(page, '/health', (p) =>
      p.getByRole('heading', { level: 1, name: 'Synchronisierungsstatus' }).waitFor(),
    );
    await page.getByTestId('language-switch').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Sync health' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Sync health' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await page.evaluate(() => localStorage.getItem('dealbridge.language')), 'en');
    await page.getByRole('button', { name: 'Pause sync' }).waitFor();
    for (const pg of pages) {
      await open(page, pg.path(), async () => undefined);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForTimeout(300);
      await screenshots(page, `i18n-en-${pg.name}`);
    }
    await open(page, `/records/${oppId}`, (p) => p.getByTestId('record-amount').waitFor());
    assert.equal(await page.getByTestId('record-amount').innerText(), '$1,234.56');
    assert.equal(await page.getByTestId('record-close-date').innerText(), '2 Dec 2026');
    // And back to German, remembered too.
    await page.getByTestId('language-switch').selectOption('de');
    await page.reload();
    await page.getByRole('heading', { level: 2, name: name }).waitFor();
    assert.equal(await page.getByTestId('record-close-date').innerText(), '02.12.2026');
  });

  test('an English browser gets English by default, and the choice of German sticks', async () => {
    const ctx = await browser.newContext({ locale: 'en-US' });
    const p = await ctx.newPage();
    await logIn(p);
    await p.getByRole('heading', { level: 1, name: 'Salesforce integration settings' }).waitFor();
    await p.getByTestId('language-switch').selectOption('de');
    await p.getByRole('heading', { level: 1, name: 'Einstellungen der Salesforce-Integration' }).waitFor();
    await p.goto(`${sandbox.webUrl}/import`);
    await p.getByRole('heading', { level: 1, name: 'Aus Salesforce importieren' }).waitFor();
    await p.getByText('Mit Kontakten verknüpfte Opportunities', { exact: true }).first().waitFor();
    // The login page comes from the server before any script: the switch's cookie tells it.
    await p.getByRole('button', { name: 'Abmelden' }).click();
    await p.getByLabel('Admin-Token').waitFor();
    assert.equal(await p.evaluate(() => document.documentElement.lang), 'de');
    await p.getByRole('button', { name: 'Anmelden' }).waitFor();
    await ctx.close();
  });
});
