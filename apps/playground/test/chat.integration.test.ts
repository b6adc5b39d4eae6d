import { fakeChatReply } from '@intellicore/testkit';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, openPage, screenshot, useApiKey } from './helpers/browser.js';
import { type Stack, startStack, USER_KEY } from './helpers/stack.js';

/** The Chat page in headless Chromium against a real gateway and the fake Ollama. */
describe.skipIf(!hasChromium)('playground: chat', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('streams an answer with a system prompt, temperature and seed, then shows tokens and TTFT', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/chat`);
    await useApiKey(page, USER_KEY);
    // The key lives in sessionStorage only.
    expect(await page.evaluate(() => Object.keys(localStorage).length)).toBe(0);
    expect(await page.evaluate(() => sessionStorage.getItem('intellicore.apiKey'))).toBe(USER_KEY);

    await expect.poll(() => page.getByLabel('Model').inputValue()).toBe('llama3.2');
    await page.getByLabel('System prompt').fill('You are terse.');
    await page.getByLabel('Temperature').fill('0.2');
    await page.getByLabel('Seed').fill('7');
    // Slow chunks, so the answer is seen growing before it is complete.
    stack.fake.faults.set({ path: '/api/chat', chunkDelayMs: 60, times: 1 });
    const text = 'Hello from the playground';
    await page.getByLabel('Message').fill(text);
    await page.getByRole('button', { name: 'Send' }).click();

    const answer = page.locator('li[data-role="assistant"] .content').last();
    const expected = fakeChatReply(
      [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: text },
      ],
      'llama3.2',
    );
    await expect.poll(() => answer.textContent()).not.toBe('');
    const partial = (await answer.textContent()) ?? '';
    expect(expected.startsWith(partial)).toBe(true);
    const stats = page.getByTestId('answer-stats').last();
    await stats.waitFor();
    expect(await answer.textContent()).toBe(expected);
    const shown = (await stats.textContent()) ?? '';
    expect(shown).toMatch(/Prompt tokens\s*\d+/);
    expect(shown).toMatch(/Completion tokens\s*[1-9]\d*/);
    expect(shown).toMatch(/TTFT\s*\d+ ms/);

    const sent = stack.fake.journal.entries().find((e) => e.path === '/api/chat');
    expect(sent?.body).toMatchObject({
      model: 'llama3.2',
      options: { temperature: 0.2, seed: 7 },
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: text },
      ],
    });
    await screenshot(page, 'chat');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Stop aborts the stream and the abort reaches the upstream', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/chat`);
    await useApiKey(page, USER_KEY);
    stack.fake.faults.set({ path: '/api/chat', chunkDelayMs: 250, times: 1 });
    const text = `stop me ${Date.now()}`;
    await page.getByLabel('Message').fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
    const answer = page.locator('li[data-role="assistant"] .content').last();
    await expect.poll(() => answer.textContent(), { timeout: 10_000 }).not.toBe('');
    await page.getByRole('button', { name: 'Stop' }).click();

    const closed = await stack.fake.journal.waitFor(
      (e) => e.path === '/api/chat' && e.clientClosed && JSON.stringify(e.body).includes(text),
      5_000,
    );
    expect(closed.clientClosed).toBe(true);
    await page.getByRole('alert').filter({ hasText: 'CANCELLED' }).waitFor();
    expect(await page.getByRole('button', { name: 'Stop' }).isDisabled()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('is usable from the keyboard: Tab to the message box, Enter sends, Tab reaches the buttons', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/chat`);
    await useApiKey(page, USER_KEY);
    const message = page.getByLabel('Message');
    // Tab from the top of the page until the message box has focus.
    await page.locator('body').focus();
    for (
      let i = 0;
      i < 30 && !(await message.evaluate((el) => el === document.activeElement));
      i++
    ) {
      await page.keyboard.press('Tab');
    }
    expect(await message.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('typed with keys');
    await page.keyboard.press('Enter');
    await page.getByTestId('answer-stats').last().waitFor();
    expect(await page.locator('li[data-role="user"] .content').last().textContent()).toBe(
      'typed with keys',
    );

    // Shift+Enter adds a line; Tab then moves to Send, and Enter on the button sends.
    await message.focus();
    await page.keyboard.type('line one');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('line two');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent);
    expect(focused).toBe('Send');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('li[data-role="user"] .content').last().textContent())
      .toBe('line one\nline two');
    await expect.poll(() => page.getByTestId('answer-stats').count()).toBe(2);
    expect(errors).toEqual([]);
    await page.close();
  });
});
