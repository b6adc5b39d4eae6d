import { fakeChatReply, fakeEmbedding } from '@intellicore/testkit';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosineSimilarity } from '../src/embeddings/cosine.js';
import { hasChromium, launchBrowser, openPage, screenshot, useApiKey } from './helpers/browser.js';
import { type Stack, startStack, USER_KEY } from './helpers/stack.js';

/** Compare (two models, one prompt, streamed at once) and Embeddings (vector size, cosine). */
describe.skipIf(!hasChromium)('playground: compare and embeddings', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('sends one prompt to two models at once and shows both answers streaming side by side, with tokens, TTFT and duration', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/compare`);
    await useApiKey(page, USER_KEY);
    const a = page.getByLabel('Model A');
    const b = page.getByLabel('Model B');
    await expect.poll(() => a.inputValue()).toBe('llama3.2');
    await expect.poll(() => b.inputValue()).not.toBe('');
    expect(await b.inputValue()).not.toBe('llama3.2');
    await b.selectOption('mistral');
    // Slow chunks for both models, so both are seen streaming at the same time.
    stack.fake.faults.set({ path: '/api/chat', chunkDelayMs: 150, times: 2 });
    const prompt = 'Name three prime numbers and explain why they are prime';
    await page.getByLabel('Prompt', { exact: true }).fill(prompt);
    await page.getByRole('button', { name: 'Send to both' }).click();

    const colA = page.getByTestId('answer-A');
    const colB = page.getByTestId('answer-B');
    await expect
      .poll(async () => [
        await colA.getAttribute('data-status'),
        ((await colA.locator('.content').textContent()) ?? '').length > 0,
        await colB.getAttribute('data-status'),
        ((await colB.locator('.content').textContent()) ?? '').length > 0,
      ])
      .toEqual(['streaming', true, 'streaming', true]);
    await page.getByTestId('stats-A').waitFor({ timeout: 15_000 });
    await page.getByTestId('stats-B').waitFor({ timeout: 15_000 });
    const user = [{ role: 'user', content: prompt }];
    expect(await colA.locator('.content').textContent()).toBe(fakeChatReply(user, 'llama3.2'));
    expect(await colB.locator('.content').textContent()).toBe(fakeChatReply(user, 'mistral'));
    for (const name of ['A', 'B']) {
      const stats = (await page.getByTestId(`stats-${name}`).textContent()) ?? '';
      expect(stats).toMatch(/Tokens\s*[1-9]\d* out · [1-9]\d* in/);
      expect(stats).toMatch(/TTFT\s*\d+ ms/);
      expect(stats).toMatch(/Duration\s*\d+ ms/);
    }
    // The two upstream requests overlapped in time: they ran at once, not one after the other.
    const [first, second] = stack.fake.journal
      .entries()
      .filter((e) => e.path === '/api/chat' && JSON.stringify(e.body).includes(prompt));
    expect(first && second).toBeTruthy();
    expect(second!.startedAt).toBeLessThan(first!.finishedAt!);
    await screenshot(page, 'compare');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Stop ends both streams; a stop is shown as information in each column', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/compare`);
    await useApiKey(page, USER_KEY);
    await expect.poll(() => page.getByLabel('Model B').inputValue()).not.toBe('');
    stack.fake.faults.set({ path: '/api/chat', chunkDelayMs: 300, times: 2 });
    await page.getByLabel('Prompt', { exact: true }).fill(`stop both ${Date.now()}`);
    await page.getByLabel('Prompt', { exact: true }).press('Enter');
    await expect
      .poll(() => page.getByTestId('answer-A').locator('.content').textContent())
      .toMatch(/^echo/);
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'CANCELLED' }).count())
      .toBe(2);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.getByTestId('answer-A').getAttribute('data-status')).toBe('stopped');
    expect(await page.getByTestId('answer-B').getAttribute('data-status')).toBe('stopped');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('embeds two texts with an embedding model and shows the vector size and their cosine similarity', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/embeddings`);
    await useApiKey(page, USER_KEY);
    const model = page.getByLabel('Embedding model');
    await expect.poll(() => model.inputValue()).toBe('nomic-embed-text');
    const a = 'The cat sat on the mat.';
    const b = 'A kitten rests on a rug.';
    await page.getByLabel('Text A').fill(a);
    await page.getByLabel('Text B').fill(b);
    await page.getByRole('button', { name: 'Embed both and compare' }).click();
    const result = page.getByTestId('embed-result');
    await result.waitFor();
    // The fake's vectors are 16 numbers, seeded by the text.
    expect(await page.getByTestId('vector-size').textContent()).toBe('16');
    const expected = cosineSimilarity(fakeEmbedding(a, 16), fakeEmbedding(b, 16)).toFixed(4);
    expect(await page.getByTestId('cosine').textContent()).toBe(expected);
    const call = stack.fake.journal
      .entries()
      .filter((e) => e.path === '/api/embed')
      .at(-1);
    expect(call?.body).toMatchObject({ model: 'nomic-embed-text', input: [a, b] });
    await screenshot(page, 'embeddings');

    // The same text twice is similarity 1; one text alone gives its vector size (chat.embed).
    await page.getByLabel('Text B').fill(a);
    await page.getByRole('button', { name: 'Embed both and compare' }).click();
    await expect.poll(() => page.getByTestId('cosine').textContent()).toBe('1.0000');
    await page.getByLabel('Text B').fill('');
    await page.getByRole('button', { name: 'Embed', exact: true }).click();
    await expect.poll(() => page.getByTestId('cosine').count()).toBe(0);
    expect(await page.getByTestId('vector-size').textContent()).toBe('16');
    const single = stack.fake.journal
      .entries()
      .filter((e) => e.path === '/api/embed')
      .at(-1);
    expect(single?.body).toMatchObject({ model: 'nomic-embed-text', input: [a] });
    expect(errors).toEqual([]);
    await page.close();
  });
});
