import { fakeChatReply } from '@intellicore/testkit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, openPage, screenshot, useApiKey } from './helpers/browser.js';
import { type Stack, startStack, USER_KEY } from './helpers/stack.js';

// The fake Ollama answers `echo(<model>): <last user message>`, so what is sent is what the
// "model" answers: markdown in, markdown out.
const CODE = [
  'export function debounce(fn: () => void, wait = 100) {',
  '  let timer: number | undefined;',
  '  // one call after a pause',
  '  return () => {',
  '    clearTimeout(timer);',
  '    timer = setTimeout(fn, wait) as unknown as number;',
  '  };',
  '}',
].join('\n');

const CODE_ANSWER = [
  'Here is a debounce in **TypeScript**:',
  '',
  '## Debounce',
  '',
  '- waits for a pause',
  '- then calls `fn` once',
  '',
  '| option | default |',
  '| ------ | ------- |',
  '| wait   | 100     |',
  '',
  '```ts',
  CODE,
  '```',
  '',
  'See [the docs](https://example.com/docs).',
].join('\n');

const HOSTILE_ANSWER = [
  'Beware:',
  '',
  "<script>window.__pwned = 'script'</script>",
  '',
  '<img src="x" onerror="window.__pwned = \'img\'">',
  '',
  "[click me](javascript:window.__pwned='link')",
  '',
  '<a href="javascript:window.__pwned=\'a\'">raw link</a> and <b>bold?</b>',
  '',
  '<iframe src="javascript:window.__pwned=\'iframe\'"></iframe>',
  '',
  "![pic](javascript:window.__pwned='pic') ![chart](https://tracker.example/c.png)",
  '',
  '[safe](https://example.com/safe)',
].join('\n');

const answer = (page: Page) => page.locator('[data-role="assistant"] .content').last();

async function ask(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByTestId('answer-stats').last().waitFor();
  // The markdown renderer is its own chunk: until it has loaded the answer shows as plain text.
  await answer(page).locator('.markdown:not(.plain)').waitFor();
}

/** Answers rendered as markdown: structure, highlighting, Copy, and safety against hostile text. */
describe.skipIf(!hasChromium)('playground: markdown answers', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('renders headings, lists, tables and a highlighted code block with a working Copy button', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/chat`, {
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    await useApiKey(page, USER_KEY);
    await ask(page, CODE_ANSWER);
    const a = answer(page);
    expect(await a.locator('h2').textContent()).toBe('Debounce');
    expect(await a.locator('ul > li').allTextContents()).toEqual([
      'waits for a pause',
      'then calls fn once',
    ]);
    expect(await a.locator('strong').first().textContent()).toBe('TypeScript');
    expect(await a.locator('table th').allTextContents()).toEqual(['option', 'default']);
    expect(await a.locator('table td').allTextContents()).toEqual(['wait', '100']);

    // The fence is highlighted as TypeScript: keywords, strings, comments get their classes.
    const block = a.locator('.code-block');
    expect(await block.locator('.code-lang').textContent()).toBe('ts');
    const code = block.locator('pre code');
    expect(await code.getAttribute('class')).toBe('hljs language-ts');
    expect(await code.locator('.hljs-keyword').allTextContents()).toEqual(
      expect.arrayContaining(['export', 'function', 'let', 'return']),
    );
    expect(await code.locator('.hljs-comment').textContent()).toBe('// one call after a pause');
    expect(await code.textContent()).toBe(`${CODE}\n`);
    // Keywords are coloured differently from plain text.
    const [keywordColor, plainColor] = await code.evaluate((el) => [
      getComputedStyle(el.querySelector('.hljs-keyword') as Element).color,
      getComputedStyle(el).color,
    ]);
    expect(keywordColor).not.toBe(plainColor);

    // Copy puts exactly the code on the clipboard.
    await block.getByRole('button', { name: 'Copy code' }).click();
    await expect
      .poll(() => block.getByRole('button', { name: 'Copy code' }).textContent())
      .toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${CODE}\n`);

    const link = a.getByRole('link', { name: 'the docs' });
    expect(await link.getAttribute('href')).toBe('https://example.com/docs');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    await screenshot(page, 'chat');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('never runs what an answer contains: script, onerror, javascript: links and raw HTML are shown as text or dropped', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/chat`);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(stack.url) && !r.url().startsWith('data:')) foreign.push(r.url());
    });
    await useApiKey(page, USER_KEY);
    await ask(page, HOSTILE_ANSWER);
    const a = answer(page);
    // The whole answer arrived…
    expect(await a.textContent()).toContain('safe');
    // …and none of it became live HTML.
    expect(await a.locator('script, img, iframe, object, embed, style, [onerror]').count()).toBe(0);
    expect(await a.locator('[href^="javascript"], [src^="javascript"]').count()).toBe(0);
    expect(await a.locator('b').count()).toBe(0);
    // Raw HTML is shown as the text it is.
    const text = (await a.textContent()) ?? '';
    expect(text).toContain("<script>window.__pwned = 'script'</script>");
    expect(text).toContain('<img src="x" onerror="window.__pwned = \'img\'">');
    expect(text).toContain('<b>bold?</b>');
    // A javascript: link keeps its text but has no target; clicking it does nothing.
    const dead = a.locator('.dead-link', { hasText: 'click me' });
    expect(await dead.count()).toBe(1);
    await dead.click();
    // Images are not loaded (an answer could leak the conversation in an image URL): links.
    const chart = a.getByRole('link', { name: 'image: chart' });
    expect(await chart.getAttribute('href')).toBe('https://tracker.example/c.png');
    expect(await chart.getAttribute('rel')).toBe('noopener noreferrer');
    const safe = a.getByRole('link', { name: 'safe' });
    expect(await safe.getAttribute('target')).toBe('_blank');
    expect(await safe.getAttribute('rel')).toBe('noopener noreferrer');

    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(foreign).toEqual([]);
    expect(page.url()).toBe(`${stack.url}/chat`);
    // The question is shown as typed (plain text), the answer is what the model said.
    expect(await page.locator('[data-role="user"] .content').last().textContent()).toBe(
      HOSTILE_ANSWER,
    );
    expect(fakeChatReply([{ role: 'user', content: HOSTILE_ANSWER }], 'llama3.2')).toContain(
      'Beware:',
    );
    await page.getByRole('button', { name: 'Clear conversation' }).click();
    expect(errors).toEqual([]);
    await page.close();
  });
});
