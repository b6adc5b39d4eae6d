import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REST_ROUTES } from '../src/rest/routes.js';
import { startTestGateway, type TestGateway } from '../src/testing.js';
import { hasChromium, launchBrowser } from './helpers/browser.js';

// /docs (Swagger UI) and /redoc (ReDoc) in headless Chromium: the operations of /openapi.json
// render, every file comes from the gateway itself (no CDN, works offline), and the pages run
// under their Content-Security-Policy without console errors.
let gw: TestGateway;
let browser: Browser;

describe.skipIf(!hasChromium)('API docs pages', () => {
  beforeAll(async () => {
    gw = await startTestGateway({ env: { API_KEYS: 'sk-user' } });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gw?.close();
  });

  /**
   * Opens a page, recording console errors, the URLs it loaded and the ones the page's CSP
   * blocked (ReDoc's footer always asks cdn.redoc.ly for its logo: blocked, never sent).
   */
  async function open(path: string) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Generous: two pages of 2 MB of script on a loaded 2-core machine.
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    const errors: string[] = [];
    const urls: string[] = [];
    const blocked: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !/violates the following Content Security Policy/.test(m.text()))
        errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('requestfinished', (r) => urls.push(r.url()));
    page.on('requestfailed', (r) => {
      if (r.failure()?.errorText === 'csp') blocked.push(r.url());
      else errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
    });
    const response = await page.goto(`${gw.url}${path}`, { waitUntil: 'domcontentloaded' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    return { page, errors, urls, blocked };
  }

  const foreign = (urls: string[]) =>
    urls.filter((u) => !u.startsWith(gw.url) && !u.startsWith('data:') && !u.startsWith('blob:'));

  it('/docs renders every operation in Swagger UI', async () => {
    const { page, errors, urls, blocked } = await open('/docs');
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('.opblock').count()).toBe(REST_ROUTES.length);
    await expect
      .poll(() => page.locator('.opblock-summary-path').allInnerTexts(), { timeout: 60_000 })
      .toContain('/api/v1/chat/completions');
    await expect(page.locator('.info .title').textContent()).resolves.toContain(
      'intelliCore LLM Gateway REST API',
    );
    // Opening an operation shows its request body schema, from the zod schema.
    await page.locator('#operations-chat-chatCompletion .opblock-summary').click();
    await page.getByText('ChatCompletionRequest').first().waitFor();
    expect(foreign(urls)).toEqual([]);
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
  }, 180_000);

  it('/redoc renders the operations in ReDoc', async () => {
    const { page, errors, urls, blocked } = await open('/redoc');
    // innerText (Playwright's, laid out): one line per block, as a reader sees the page.
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's method, not the DOM's
    const text = () => page.locator('body').innerText();
    // The overview lists each tag with its first operations (the rest behind "+ Show").
    await expect.poll(text, { timeout: 60_000 }).toContain('/api/v1/chat/completions');
    const overview = await text();
    for (const tag of ['health', 'models', 'chat', 'templates', 'usage']) {
      expect(overview).toMatch(new RegExp(`^${tag}$`, 'm'));
    }
    expect(overview).toContain('/api/v1/models/pull');
    // An operation's page: its request body, from the zod schema.
    await page.locator('a', { hasText: '/api/v1/chat/completions' }).first().click();
    await expect
      .poll(() => page.url(), { timeout: 60_000 })
      .toMatch(/\/redoc#\/chat\/chatcompletion$/);
    // (ReDoc puts a zero-width space after `messages[].`)
    await expect.poll(text, { timeout: 60_000 }).toMatch(/messages\[\]\.\u200b?role/);
    // Deep links work: the admin-only usage summary and its query parameters.
    await page.goto(`${gw.url}/redoc#/usage/usagesummary`);
    await expect.poll(text, { timeout: 60_000 }).toContain('groupBy');
    expect(await text()).toContain('Needs an admin API key');
    expect(foreign(urls)).toEqual([]);
    expect(blocked.every((u) => u.startsWith('https://cdn.redoc.ly/'))).toBe(true);
    expect(errors).toEqual([]);
  }, 180_000);
});
