import { createGatewayClient } from '@intellicore/llm-client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasChromium,
  horizontalOverflow,
  launchBrowser,
  openPage,
  overflowingElements,
  PHONE,
  screenshot,
  useApiKey,
} from './helpers/browser.js';
import { ADMIN_KEY, type Stack, startStack, USER_KEY } from './helpers/stack.js';

/** Models (list, pull with progress, delete with confirmation), Usage and the API reference. */
describe.skipIf(!hasChromium)('playground: models, usage, API reference', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startStack({ loaded: ['mistral:latest'] }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('lists models with where they are loaded, pulls one with a progress bar and deletes it after confirmation', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/models`);
    await useApiKey(page, ADMIN_KEY);
    const mistral = page.getByRole('row', { name: /^mistral/ });
    // Upstreams are shown by name (`ollama-<n>`), never by URL.
    await expect.poll(() => mistral.textContent()).toContain('ollama-1');
    expect(await mistral.textContent()).not.toContain(stack.fake.url);
    const loadedOn = await mistral.locator('td').nth(4).textContent();
    expect(loadedOn).toBe('ollama-1 loaded');
    // What each model can do (models.get → Ollama's capabilities), and its details beside.
    const nomic = page.getByRole('row', { name: /^nomic-embed-text/ });
    await expect.poll(() => nomic.locator('td').nth(3).textContent()).toBe('embedding');
    await expect.poll(() => mistral.locator('td').nth(3).textContent()).toBe('completion, tools');
    await nomic.getByRole('button', { name: 'Details of nomic-embed-text:latest' }).click();
    const details = page.getByRole('region', { name: 'Details of nomic-embed-text' });
    await expect.poll(() => details.locator('.facts').textContent()).toContain('Use forembeddings');
    expect(await details.locator('.facts').textContent()).toContain('Context length4,096');
    expect(await page.getByRole('row', { name: /^llama3\.2:1b/ }).textContent()).toContain(
      'not loaded',
    );

    // Pull: slow progress lines, so the bar is seen part-way.
    stack.fake.faults.set({ path: '/api/pull', chunkDelayMs: 120, times: 1 });
    await page.getByLabel('Pull model').fill('codellama');
    await page.getByRole('button', { name: 'Pull', exact: true }).click();
    const bar = page.getByRole('progressbar', { name: 'Pulling codellama' });
    const value = async () => Number(await bar.getAttribute('value'));
    await expect
      .poll(async () => (await value()) > 0 && (await value()) < 100, { timeout: 10_000 })
      .toBe(true);
    await page.getByText('Pulled codellama').waitFor({ timeout: 10_000 });
    const codellama = page.getByRole('row', { name: /^codellama/ });
    await codellama.waitFor();
    await screenshot(page, 'models');

    // Delete asks first; Cancel keeps the model, the confirm button deletes it.
    await codellama.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('alertdialog');
    expect(await dialog.textContent()).toContain('codellama');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await dialog.count()).toBe(0);
    expect(stack.fake.journal.entries().some((e) => e.path === '/api/delete')).toBe(false);
    await codellama.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: /^Delete codellama/ }).click();
    await codellama.waitFor({ state: 'detached' });
    const deleted = stack.fake.journal.entries().find((e) => e.path === '/api/delete');
    expect(JSON.stringify(deleted?.body)).toMatch(/"codellama(:latest)?"/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('refuses a delete with a non-admin key (FORBIDDEN shown, nothing deleted upstream)', async () => {
    const deletes = () => stack.fake.journal.entries().filter((e) => e.path === '/api/delete');
    const before = deletes().length;
    const { page, errors } = await openPage(browser, `${stack.url}/models`);
    await useApiKey(page, USER_KEY);
    await page
      .getByRole('row', { name: /^mistral/ })
      .getByRole('button', { name: 'Delete' })
      .click();
    await page.getByRole('button', { name: /^Delete mistral/ }).click();
    await page.getByRole('alert').filter({ hasText: 'FORBIDDEN' }).waitFor();
    expect(deletes()).toHaveLength(before);
    // The one refused call, as the browser logs any 4xx answer; nothing else went wrong.
    expect(errors).toEqual([
      'console: Failed to load resource: the server responded with a status of 403 (Forbidden)',
    ]);
    await page.close();
  });

  it('shows usage charts from usage.summary, or says usage is not available', async () => {
    const hasUsage = 'usage.summary' in stack.gateway.gateway.router._def.procedures;
    if (hasUsage) {
      // Some traffic to chart: one chat, recorded once the usage sink has flushed.
      const user = createGatewayClient({ url: stack.url, apiKey: USER_KEY });
      await user.chat.completion.mutate({ messages: [{ role: 'user', content: 'count me' }] });
      const admin = createGatewayClient({ url: stack.url, apiKey: ADMIN_KEY });
      await expect
        .poll(async () => (await admin.usage.summary.query({ groupBy: 'model' })).rows.length, {
          timeout: 10_000,
        })
        .toBeGreaterThan(0);
    }
    const { page, errors } = await openPage(browser, `${stack.url}/usage`);
    await useApiKey(page, ADMIN_KEY);
    if (hasUsage) {
      // Both queries answered (the charts say "no data" only once that is true).
      const charts = page.locator('[data-testid="usage-charts"][aria-busy="false"]');
      await charts.waitFor();
      expect(await charts.getByRole('img').count()).toBe(4);
      const perModel = charts.getByRole('img', { name: /^Tokens per model/ });
      expect(await perModel.getAttribute('aria-label')).toMatch(/llama3\.2\S* [1-9]\d* tokens/);
      const perDay = charts.getByRole('img', { name: /^Requests per day/ });
      expect(await perDay.getAttribute('aria-label')).toMatch(/\d{4}-\d\d-\d\d [1-9]\d* requests/);
      // The numbers behind the charts, with cache, errors and speed.
      const row = page.getByTestId('usage-table').getByRole('row', { name: /^llama3\.2/ });
      expect(await row.locator('td').first().textContent()).toMatch(/^[1-9]\d*$/);
      expect(await row.locator('td').nth(6).textContent()).toMatch(/^\d+ ms$/);
    } else {
      await page.getByTestId('usage-unavailable').waitFor();
    }
    await screenshot(page, 'usage');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('renders the API reference from /docs.json: every procedure with type, scope and schemas', async () => {
    const docs = (await (await fetch(`${stack.url}/docs.json`)).json()) as {
      procedures: { path: string; type: string; scope: string }[];
    };
    const paths = Object.keys(stack.gateway.gateway.router._def.procedures).sort();
    expect(docs.procedures.map((p) => p.path)).toEqual(paths);
    const { page, errors } = await openPage(browser, `${stack.url}/reference`);
    const items = page.getByTestId('procedure');
    await expect.poll(() => items.count()).toBe(paths.length);
    const stream = page.locator('[id="proc-chat.stream"]');
    expect(await stream.locator('h2').textContent()).toMatch(/chat\.stream\s*subscription\s*user/);
    expect(await stream.locator('.errors').textContent()).toContain('STREAM_INTERRUPTED');
    // What it does, and its fields with their types and descriptions (from .describe()).
    expect(await stream.locator('.description').textContent()).toMatch(/^A chat answer as it is/);
    const input = stream.getByRole('region', { name: 'chat.stream input' });
    const messages = input.locator('.fields > li').filter({ hasText: /^messages/ });
    expect(await messages.locator('.type').first().textContent()).toBe('object[]');
    expect(await messages.locator('.req').first().textContent()).toBe(' required');
    expect(await messages.locator('.field-doc').first().textContent()).toMatch(/conversation/);
    // Nested fields of each message, with the role's values.
    const role = messages.locator('.fields > li').filter({ hasText: /^role/ });
    expect(await role.locator('.type').textContent()).toBe(
      '"system" | "user" | "assistant" | "tool"',
    );
    const events = stream.getByRole('region', { name: 'chat.stream events' });
    expect(await events.locator('.variants > li').count()).toBe(2);
    expect(await events.textContent()).toContain('The last event: the whole answer');
    // Every procedure says what it does.
    expect(await page.locator('[data-testid="procedure"] .description').count()).toBe(paths.length);
    // The raw JSON Schema is one click away.
    await stream.locator('summary', { hasText: 'JSON Schema' }).click();
    expect(await stream.locator('details > pre').textContent()).toContain('"messages"');
    // Swagger UI and ReDoc (served by the gateway next to /docs.json).
    expect(await page.getByRole('link', { name: /Swagger UI/ }).getAttribute('href')).toBe('/docs');
    expect(await page.getByRole('link', { name: /ReDoc/ }).getAttribute('href')).toBe('/redoc');
    // Nothing runs past the right edge: the error badges wrap inside the page.
    const right = await page
      .locator('.errors .code')
      .evaluateAll((els) => Math.max(...els.map((e) => e.getBoundingClientRect().right)));
    expect(right).toBeLessThanOrEqual(
      await page.evaluate(() => document.documentElement.clientWidth),
    );
    expect(await horizontalOverflow(page), (await overflowingElements(page)).join()).toBe(0);
    const remove = page.locator('[id="proc-models.delete"]');
    expect(await remove.locator('h2').textContent()).toMatch(/mutation\s*admin/);
    await page.getByLabel('Filter procedures').fill('templates.');
    await expect
      .poll(() => items.count())
      .toBe(paths.filter((p) => p.includes('templates.')).length);
    await page.getByLabel('Filter procedures').fill('');
    await screenshot(page, 'reference');
    expect(errors).toEqual([]);
    await page.close();

    // At phone width too: badges and schemas wrap, nothing scrolls sideways.
    const phone = await openPage(browser, `${stack.url}/reference`, { viewport: PHONE });
    await expect.poll(() => phone.page.getByTestId('procedure').count()).toBe(paths.length);
    await phone.page
      .locator('[id="proc-usage.summary"]')
      .locator('summary', { hasText: 'JSON Schema' })
      .click();
    expect(
      await horizontalOverflow(phone.page),
      (await overflowingElements(phone.page)).join(),
    ).toBe(0);
    expect(phone.errors).toEqual([]);
    await phone.page.close();
  });
});
