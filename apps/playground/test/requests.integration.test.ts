import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, openPage, screenshot, useApiKey } from './helpers/browser.js';
import { ADMIN_KEY, type Stack, startStack, USER_KEY } from './helpers/stack.js';

/** The Requests page: from a usage bar to the requests behind it, live, a failure's timeline. */
describe.skipIf(!hasChromium)('playground: requests', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startStack({ env: { LOG_PROMPTS: 'true' } }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const chat = (content: string, id: string) =>
    fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${USER_KEY}`,
        'x-request-id': id,
      },
      body: JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content }] }),
    }).then((r) => r.text());

  it('leads from a usage bar to its requests, updates live, and shows a failure with its timeline', async () => {
    stack.fake.faults.set({ path: '/api/chat', inputContains: 'explode', failStatus: 500 });
    await chat('Hello there', 'pg-ok-1');
    await chat('please explode', 'pg-failed-1');

    const { page, errors } = await openPage(browser, `${stack.url}/usage`);
    await useApiKey(page, ADMIN_KEY);
    // The usage sink writes in batches: the bar appears once it has.
    const bar = page.getByRole('link', { name: 'Requests of llama3.2' }).first();
    await bar.waitFor({ timeout: 10_000 });
    await bar.click();
    await page.waitForURL(/\/requests\?model=llama3\.2/);
    const table = page.getByTestId('requests-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
    expect(await page.getByLabel('Model').inputValue()).toBe('llama3.2');

    // Live: a new request shows up without a reload.
    await chat('Hello again', 'pg-ok-2');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 10_000 }).toBe(3);

    // The failed one: its code in the list, then its detail with the timeline.
    const failed = table.locator('tbody tr.failed');
    expect(await failed.count()).toBe(1);
    expect(await failed.textContent()).toContain('UPSTREAM_ERROR');
    expect(await failed.textContent()).toContain('ollama-1');
    await failed.getByRole('button').click();
    const detail = page.getByRole('region', { name: 'Request pg-failed-1' });
    await expect
      .poll(() => detail.getByTestId('request-facts').textContent())
      .toContain('UPSTREAM_ERROR');
    const timeline = detail.getByTestId('request-timeline');
    const steps = await timeline.locator('title').allTextContents();
    expect(steps.map((s) => s.split(':')[0])).toEqual(['queue', 'upstream (ollama-1)', 'done']);
    expect(steps[1]).toContain('UPSTREAM_ERROR');
    expect(await detail.getByTestId('request-prompt').textContent()).toContain('please explode');

    // Filter by code: only the failure stays.
    await page.getByLabel('Code (or ok)').fill('UPSTREAM_ERROR');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    await page.getByLabel('Code (or ok)').fill('');
    await table.locator('tbody tr.failed').getByRole('button').click();
    await detail.getByTestId('request-timeline').waitFor();
    await screenshot(page, 'requests');
    expect(errors).toEqual([]);
  });
});
