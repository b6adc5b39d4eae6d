import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const isCI = process.env.CI === 'true' || process.env.CI === '1';

/** Locally a missing Chromium skips the browser suites with one line; in CI it fails them. */
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  if (isCI) throw new Error(`Chromium not found at ${CHROMIUM}: the browser suite must run in CI`);
  console.warn(`skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH to run the browser suite)`);
}

const SCREENSHOTS = fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../../../../test-artifacts/playground/', import.meta.url));

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface TestPage {
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
}

export const DESKTOP = { width: 1280, height: 800 };
/** A phone's CSS viewport (iPhone 12–15). */
export const PHONE = { width: 390, height: 844 };

export interface PageOptions {
  viewport?: { width: number; height: number };
  /** Browser permissions, e.g. clipboard-read for the Copy button. */
  permissions?: string[];
}

/** A page (1280×800 unless told) whose console errors and page errors are collected. */
export async function openPage(
  browser: Browser,
  url: string,
  options: PageOptions = {},
): Promise<TestPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? DESKTOP,
    colorScheme: 'light',
    ...(options.permissions ? { permissions: options.permissions } : {}),
  });
  context.setDefaultTimeout(5_000); // a missing element fails fast, naming its locator
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(url);
  return { page, errors };
}

/**
 * Saves test-artifacts/playground/<name>.png on every run, and docs/screenshots/<name>.png (the
 * README's, committed) when missing or with UPDATE_SCREENSHOTS=1, so test runs leave git clean.
 */
export async function screenshot(
  page: Page,
  name: string,
  options: { keepScroll?: boolean } = {},
): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  if (!options.keepScroll) await page.evaluate(() => window.scrollTo(0, 0));
  const png = await page.screenshot({ path: `${ARTIFACTS}${name}.png` });
  const doc = `${SCREENSHOTS}${name}.png`;
  if (process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(doc)) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    writeFileSync(doc, png);
  }
}

/** Signs in through the header's API key field (kept in sessionStorage by the page). */
export async function useApiKey(page: Page, key: string): Promise<void> {
  await page.getByRole('textbox', { name: 'API key' }).fill(key);
  await page.getByRole('button', { name: 'Use key' }).click();
  await page.getByTestId('api-key-state').filter({ hasText: 'key set' }).waitFor();
}

/** How far the page is wider than its viewport (0 = no sideways scrolling). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
}

/** The outermost elements that stick out past the right edge (to name them when a test fails). */
export function overflowingElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const sticksOut = (el: Element) => el.getBoundingClientRect().right > width + 0.5;
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const parent = el.parentElement;
      if (!sticksOut(el) || (parent && parent !== document.body && sticksOut(parent))) continue;
      // Inside a scrolling or clipping box the overflow is the box's, not the page's.
      let clipped = false;
      for (let p = parent; p && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== 'visible') clipped = true;
      }
      if (clipped) continue;
      const cls = el.getAttribute('class');
      out.push(
        `${el.tagName.toLowerCase()}${cls ? `.${cls.split(' ').join('.')}` : ''} right=${Math.round(el.getBoundingClientRect().right)}`,
      );
    }
    return out;
  });
}

/**
 * Console errors other than the browser's own line for an HTTP answer with one of `statuses`.
 * Chromium logs "Failed to load resource" for every 4xx/5xx response, including the ones a test
 * provokes on purpose (a refused save, a failing upstream); whether it does depends on how the
 * SDK transports the call (a JSONL batch answers 200, a plain POST answers the error status).
 */
export function unexpectedErrors(errors: string[], statuses: number[]): string[] {
  return errors.filter(
    (e) =>
      !statuses.some((s) =>
        e.startsWith(
          `console: Failed to load resource: the server responded with a status of ${s} `,
        ),
      ),
  );
}
