// What the browser tests share: the built UI (built once if web/dist is missing), the sandbox
// (both emulators with demo data, setup, sync on, this server), Chromium, and screenshots under
// test-results/ at the two widths the UI is laid out for.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const resultsDir = join(repoRoot, 'test-results');

export function ensureBuilt(): void {
  if (existsSync(join(repoRoot, 'web/dist/index.html'))) return;
  execFileSync(
    process.execPath,
    [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts'],
    {
      cwd: repoRoot,
      stdio: 'ignore',
    },
  );
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'dealbridge-e2e-'));
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const widths = [1280, 390] as const;

/** Full-page screenshots of the current page at both widths, restoring the first width after. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(resultsDir, { recursive: true });
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(resultsDir, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: widths[0], height: 900 });
}

/** Polls fn until it returns a truthy value (for state outside the page: the store, the emulators). */
export async function eventually<T>(
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
