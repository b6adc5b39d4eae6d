import { fakeChatReply, fakeThinking } from '@intellicore/testkit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasChromium,
  launchBrowser,
  openPage,
  screenshot,
  unexpectedErrors,
  useApiKey,
} from './helpers/browser.js';
import {
  MODELS_WITH_THINKING,
  type Stack,
  startStack,
  THINKING_MODEL,
  USER_KEY,
} from './helpers/stack.js';

const answers = (page: Page) => page.locator('[data-role="assistant"] .content');
const questions = (page: Page) => page.locator('[data-role="user"] .content');
const chatBodies = (stack: Stack) =>
  stack.fake.journal
    .entries()
    .filter((e) => e.path === '/api/chat')
    .map((e) => e.body as { messages: { role: string; content: string }[]; think?: unknown });

async function send(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

/** The Chat page in headless Chromium against a real gateway and the fake Ollama. */
describe.skipIf(!hasChromium)('playground: chat', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startStack({
        models: MODELS_WITH_THINKING,
        loaded: ['mistral:latest'],
        env: {
          ALLOWED_MODELS: `llama3.2,llama3.2:1b,mistral,nomic-embed-text,${THINKING_MODEL.name}`,
          MODEL_ALIASES: 'fast=llama3.2:1b',
        },
      }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('streams an answer with a system prompt, temperature and seed, then shows tokens and TTFT', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/chat`);
    await useApiKey(page, USER_KEY);
    await expect
      .poll(() => page.getByLabel('Model', { exact: true }).inputValue())
      .toBe('llama3.2');
    await page.getByLabel('System prompt').fill('You are terse.');
    await page.getByLabel('Temperature').fill('0.2');
    await page.getByLabel('Seed').fill('7');
    // Slow chunks, so the answer is seen growing before it is complete.
    stack.fake.faults.set({ path: '/api/chat', chunkDelayMs: 60, times: 1 });
    const text = 'Hello from the playground';
    await send(page, text);

    const answer = answers(page).last();
    const expected = fakeChatReply(
      [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: text },
      ],
      'llama3.2',
    );
    await expect.poll(() => answer.textContent()).toMatch(/^echo/);
    const partial = (await answer.textContent()) ?? '';
    expect(expected.startsWith(partial)).toBe(true);
    const stats = page.getByTestId('answer-stats').last();
    await stats.waitFor();
    expect(await answer.textContent()).toBe(expected);
    const shown = (await stats.textContent()) ?? '';
    expect(shown).toMatch(/Prompt tokens\s*\d+/);
    expect(shown).toMatch(/Completion tokens\s*[1-9]\d*/);
    expect(shown).toMatch(/TTFT\s*\d+ ms/);

    expect(chatBodies(stack).at(-1)).toMatchObject({
      model: 'llama3.2',
      options: { temperature: 0.2, seed: 7 },
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: text },
      ],
    });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('offers one entry per chat model (name ≡ name:latest, no embedding model) and says where it is loaded', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/chat`);
    await useApiKey(page, USER_KEY);
    const picker = page.getByLabel('Model', { exact: true });
    await expect.poll(() => picker.inputValue()).toBe('llama3.2');
    await expect
      .poll(async () =>
        picker.locator('option').evaluateAll((o) => o.map((x) => x.getAttribute('value'))),
      )
      .toEqual(['fast', 'llama3.2', 'llama3.2:1b', 'mistral', THINKING_MODEL.name]);
    // mistral is loaded (fake's /api/ps), llama3.2 is not.
    expect(await picker.locator('option[value="mistral"]').textContent()).toBe('mistral · loaded');
    expect(await picker.locator('option[value="fast"]').textContent()).toBe('fast → llama3.2:1b');
    const hint = page.getByTestId('model-loaded').first();
    await picker.selectOption('mistral');
    await expect.poll(() => hint.textContent()).toBe('Loaded on ollama-1');
    await picker.selectOption('llama3.2:1b');
    await expect
      .poll(() => hint.textContent())
      .toBe('Not loaded: the first answer includes its load time');
    // Embedding models belong to the Embeddings tab.
    await page.getByRole('link', { name: 'Embeddings' }).click();
    const embedPicker = page.getByLabel('Embedding model');
    await expect
      .poll(() =>
        embedPicker.locator('option').evaluateAll((o) => o.map((x) => x.getAttribute('value'))),
      )
      .toEqual(['nomic-embed-text']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps a stopped exchange on screen, marked as not sent as context, and leaves it out of the next request', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/chat`);
    await useApiKey(page, USER_KEY);
    // Slow enough (~10 chunks × 600 ms) that Stop lands mid-answer even on a loaded machine.
    stack.fake.faults.set({ path: '/api/chat', chunkDelayMs: 600, times: 1 });
    const text = `stop me ${Date.now()}`;
    await send(page, text);
    await expect
      .poll(() => answers(page).last().textContent(), { timeout: 10_000 })
      .toMatch(/^echo/);
    await page.getByRole('button', { name: 'Stop' }).click();

    const closed = await stack.fake.journal.waitFor(
      (e) => e.path === '/api/chat' && e.clientClosed && JSON.stringify(e.body).includes(text),
      15_000,
    );
    expect(closed.clientClosed).toBe(true);
    // "Stopped" is information (role=status, not the red of failures).
    const stopped = page.getByRole('status').filter({ hasText: 'CANCELLED' });
    await stopped.waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    const marker = page.getByTestId('left-out').last();
    expect(await marker.textContent()).toBe('Stopped · not sent as context');
    expect(await page.getByRole('button', { name: 'Stop' }).isDisabled()).toBe(true);

    // The next message goes without the stopped exchange, which stays on screen.
    await send(page, 'after the stop');
    await page.getByTestId('answer-stats').last().waitFor();
    expect(chatBodies(stack).at(-1)?.messages).toEqual([
      { role: 'user', content: 'after the stop' },
    ]);
    expect(await questions(page).allTextContents()).toEqual([text, 'after the stop']);
    expect((await answers(page).first().textContent())?.length).toBeGreaterThan(0);
    expect(await page.getByTestId('context-size').textContent()).toBe(
      '1 exchange sent as context, 1 left out (stopped or failed).',
    );
    await screenshot(page, 'chat-stopped');
    await page.getByRole('button', { name: 'Clear conversation' }).click();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a failed exchange in red with its code, and sends the earlier answers as context', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/chat`);
    await useApiKey(page, USER_KEY);
    await send(page, 'first question');
    await page.getByTestId('answer-stats').last().waitFor();
    stack.fake.faults.set({ path: '/api/chat', failStatus: 500, times: 1 });
    await send(page, 'this one fails');
    const alert = page.getByRole('alert').filter({ hasText: 'UPSTREAM_ERROR' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^Failed: UPSTREAM_ERROR/);
    expect(await page.getByTestId('left-out').last().textContent()).toBe(
      'Failed · not sent as context',
    );
    // Failures are red, a stop is not: the two styles differ.
    const failedColor = await page
      .locator('.status.failed')
      .evaluate((el) => getComputedStyle(el).color);
    expect(failedColor).toBe('rgb(179, 38, 30)');

    await send(page, 'third');
    await expect.poll(() => page.getByTestId('answer-stats').count()).toBe(2);
    expect(chatBodies(stack).at(-1)?.messages).toEqual([
      { role: 'user', content: 'first question' },
      {
        role: 'assistant',
        content: fakeChatReply([{ role: 'user', content: 'first question' }], 'llama3.2'),
      },
      { role: 'user', content: 'third' },
    ]);
    expect(await questions(page).allTextContents()).toEqual([
      'first question',
      'this one fails',
      'third',
    ]);
    await page.getByRole('button', { name: 'Clear conversation' }).click();
    // The failing upstream (502 UPSTREAM_ERROR) is the only thing that went wrong.
    expect(unexpectedErrors(errors, [502])).toEqual([]);
    await page.close();
  });

  it('regenerates and edits-and-resends the last exchange; the conversation survives a reload until cleared', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/chat`);
    await useApiKey(page, USER_KEY);
    await send(page, 'one');
    await expect.poll(() => page.getByTestId('answer-stats').count()).toBe(1);
    await send(page, 'two');
    await expect.poll(() => page.getByTestId('answer-stats').count()).toBe(2);

    // Regenerate: the same question again, past the response cache, in place of the old answer.
    const before = chatBodies(stack).length;
    await page.getByRole('button', { name: 'Regenerate' }).click();
    await expect.poll(() => chatBodies(stack).length).toBe(before + 1);
    await expect.poll(() => page.getByTestId('answer-stats').count()).toBe(2);
    expect(chatBodies(stack).at(-1)?.messages).toHaveLength(3);
    expect(await questions(page).allTextContents()).toEqual(['one', 'two']);

    // Edit the last question and resend it: only that exchange changes.
    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByLabel('Edit your last message');
    await edit.fill('two, edited');
    await page.getByRole('button', { name: 'Resend' }).click();
    await expect.poll(() => questions(page).allTextContents()).toEqual(['one', 'two, edited']);
    await expect
      .poll(() => answers(page).last().textContent())
      .toBe(fakeChatReply([{ role: 'user', content: 'two, edited' }], 'llama3.2'));
    expect(
      chatBodies(stack)
        .at(-1)
        ?.messages.map((m) => m.content),
    ).toEqual([
      'one',
      fakeChatReply([{ role: 'user', content: 'one' }], 'llama3.2'),
      'two, edited',
    ]);

    // A reload keeps the conversation (localStorage) but never the API key there.
    await page.reload();
    await expect.poll(() => questions(page).allTextContents()).toEqual(['one', 'two, edited']);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
    expect(stored).toContain('two, edited');
    expect(stored).not.toContain(USER_KEY);
    await page.getByRole('button', { name: 'Clear conversation' }).click();
    expect(await questions(page).count()).toBe(0);
    await page.reload();
    await page.getByText('Ask anything.').waitFor();
    expect(await questions(page).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('offers thinking for a thinking model and folds its thinking under the answer', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/chat`);
    await useApiKey(page, USER_KEY);
    const think = page.getByLabel('Think before answering');
    await expect
      .poll(() => page.getByLabel('Model', { exact: true }).inputValue())
      .toBe('llama3.2');
    expect(await think.count()).toBe(0); // llama3.2 cannot think
    await page.getByLabel('Model', { exact: true }).selectOption(THINKING_MODEL.name);
    await think.check();
    await send(page, 'why is the sky blue?');
    await page.getByTestId('answer-stats').last().waitFor();
    expect(chatBodies(stack).at(-1)?.think).toBe(true);
    const thinking = page.getByTestId('thinking').last();
    expect(await thinking.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    await thinking.locator('summary').click();
    expect(await thinking.locator('.thinking-text').textContent()).toBe(
      fakeThinking('why is the sky blue?'),
    );
    expect(await answers(page).last().textContent()).toBe(
      fakeChatReply([{ role: 'user', content: 'why is the sky blue?' }], THINKING_MODEL.name),
    );
    await page.getByRole('button', { name: 'Clear conversation' }).click();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('is usable from the keyboard: Tab to the message box, Enter sends, Tab reaches the buttons', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/chat`);
    await useApiKey(page, USER_KEY);
    const message = page.getByLabel('Message', { exact: true });
    // Tab from the top of the page until the message box has focus.
    await page.locator('body').focus();
    for (
      let i = 0;
      i < 40 && !(await message.evaluate((el) => el === document.activeElement));
      i++
    ) {
      await page.keyboard.press('Tab');
    }
    expect(await message.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('typed with keys');
    await page.keyboard.press('Enter');
    await page.getByTestId('answer-stats').last().waitFor();
    expect(await questions(page).last().textContent()).toBe('typed with keys');

    // Shift+Enter adds a line; Tab then moves to Send, and Enter on the button sends.
    await message.focus();
    await page.keyboard.type('line one');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('line two');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent);
    expect(focused).toBe('Send');
    await page.keyboard.press('Enter');
    await expect.poll(() => questions(page).last().textContent()).toBe('line one\nline two');
    await expect.poll(() => page.getByTestId('answer-stats').count()).toBe(2);

    // Regenerate is a button in the tab order after the last answer.
    await page.getByRole('button', { name: 'Regenerate' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('answer-stats').count()).toBe(2);
    await page.getByRole('button', { name: 'Clear conversation' }).click();
    expect(errors).toEqual([]);
    await page.close();
  });
});
