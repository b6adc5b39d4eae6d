import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DESKTOP,
  hasChromium,
  horizontalOverflow,
  launchBrowser,
  openPage,
  overflowingElements,
  PHONE,
  screenshot,
  useApiKey,
} from './helpers/browser.js';
import { ADMIN_KEY, type Stack, startStack } from './helpers/stack.js';

const PAGES = ['/chat', '/compare', '/embeddings', '/templates', '/models', '/usage', '/reference'];

/** Tabs from the top of the page until `target` has focus; false when it never does. */
async function tabTo(page: Page, target: ReturnType<Page['locator']>, max = 60) {
  await page.locator('body').focus();
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return true;
    await page.keyboard.press('Tab');
  }
  return target.evaluate((el) => el === document.activeElement);
}

/** Every page at desktop and phone width, and by keyboard alone. */
describe.skipIf(!hasChromium)('playground: layout and keyboard', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  for (const [name, viewport] of [
    ['1280 px', DESKTOP],
    ['390 px (phone)', PHONE],
  ] as const) {
    it(`shows every page at ${name} without sideways scrolling`, async () => {
      const { page, errors } = await openPage(browser, `${stack.url}/chat`, { viewport });
      await useApiKey(page, ADMIN_KEY);
      for (const path of PAGES) {
        await page.getByRole('navigation', { name: 'Pages' }).waitFor();
        await page.evaluate((p) => {
          window.history.pushState(null, '', p);
          window.dispatchEvent(new PopStateEvent('popstate'));
        }, path);
        await page.getByRole('heading', { level: 1 }).waitFor();
        if (path === '/reference') await page.getByTestId('procedure').first().waitFor();
        if (path === '/templates') {
          await page.getByRole('list', { name: 'Templates' }).getByRole('button').first().waitFor();
        }
        if (path === '/models') await page.getByRole('row', { name: /^mistral/ }).waitFor();
        expect(await horizontalOverflow(page), `${path}: ${await overflowingElements(page)}`).toBe(
          0,
        );
      }
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it('fills the window: the conversation reaches the bottom at 1280×800, the template overview fills the workspace', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/chat`);
    await useApiKey(page, ADMIN_KEY);
    const main = await page.locator('.chat-main').boundingBox();
    expect(main).not.toBeNull();
    // The composer sits at the bottom of the window, the conversation fills the space above.
    expect(main!.y + main!.height).toBeGreaterThan(DESKTOP.height * 0.9);
    expect(main!.width).toBeGreaterThan(DESKTOP.width * 0.6);

    await page.getByRole('link', { name: 'Templates' }).click();
    const cards = page.getByRole('list', { name: 'Template overview' });
    await cards.getByRole('button').first().waitFor();
    const box = await cards.boundingBox();
    expect(box!.width).toBeGreaterThan(DESKTOP.width * 0.6);
    expect(await cards.getByRole('button').count()).toBeGreaterThanOrEqual(6);
    await screenshot(page, 'templates-overview');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the chat at phone width with the settings above the conversation', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/chat`, { viewport: PHONE });
    await useApiKey(page, ADMIN_KEY);
    await page.getByLabel('Message', { exact: true }).fill('Hello from a phone');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('answer-stats').waitFor();
    const settings = await page.getByRole('complementary', { name: 'Chat settings' }).boundingBox();
    const conversation = await page.getByRole('list', { name: 'Conversation' }).boundingBox();
    expect(settings!.y + settings!.height).toBeLessThanOrEqual(conversation!.y);
    expect(conversation!.width).toBeGreaterThan(PHONE.width * 0.85);
    expect(await horizontalOverflow(page)).toBe(0);
    await page.getByTestId('answer-stats').scrollIntoViewIfNeeded();
    await screenshot(page, 'chat-phone', { keepScroll: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Compare by keyboard alone: Tab to the prompt, type, Enter sends to both models', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/compare`);
    await useApiKey(page, ADMIN_KEY);
    const prompt = page.getByLabel('Prompt', { exact: true });
    await expect.poll(() => page.getByLabel('Model B').inputValue()).not.toBe('');
    expect(await tabTo(page, prompt)).toBe(true);
    await page.keyboard.type('keyboard compare');
    await page.keyboard.press('Enter');
    await page.getByTestId('stats-A').waitFor({ timeout: 15_000 });
    await page.getByTestId('stats-B').waitFor({ timeout: 15_000 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Embeddings by keyboard alone: Tab to Text A, type, Tab to Embed, Enter', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/embeddings`);
    await useApiKey(page, ADMIN_KEY);
    await expect.poll(() => page.getByLabel('Embedding model').inputValue()).not.toBe('');
    expect(await tabTo(page, page.getByLabel('Text A'))).toBe(true);
    await page.keyboard.type('keyboard text');
    expect(await tabTo(page, page.getByRole('button', { name: 'Embed', exact: true }))).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('vector-size').textContent()).toBe('16');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Templates by keyboard alone: Tab to a template, Enter opens it, type its variable, Enter renders', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/templates`);
    await useApiKey(page, ADMIN_KEY);
    const pick = page
      .getByRole('list', { name: 'Templates' })
      .getByRole('button', { name: /summarize/ });
    await pick.waitFor();
    expect(await tabTo(page, pick)).toBe(true);
    await page.keyboard.press('Enter');
    const form = page.getByRole('form', { name: 'Render and chat' });
    const firstInput = form.locator('input, textarea, select').first();
    await firstInput.waitFor();
    // Onwards from the picked template (the page keeps focus there).
    for (
      let i = 0;
      i < 20 && !(await firstInput.evaluate((el) => el === document.activeElement));
      i++
    ) {
      await page.keyboard.press('Tab');
    }
    expect(await firstInput.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('Keyboards are fast.');
    const renderButton = form.getByRole('button', { name: 'Render', exact: true });
    for (
      let i = 0;
      i < 30 && !(await renderButton.evaluate((el) => el === document.activeElement));
      i++
    ) {
      await page.keyboard.press('Tab');
    }
    expect(await renderButton.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('rendered-prompt').textContent())
      .toContain('Keyboards are fast.');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Models, Usage and the API reference by keyboard alone: their first control is reached with Tab', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/models`);
    await useApiKey(page, ADMIN_KEY);
    for (const [link, label] of [
      ['Models', 'Pull model'],
      ['Usage', 'From'],
      ['API reference', 'Filter procedures'],
    ] as const) {
      await page.getByRole('link', { name: link, exact: true }).click();
      const control = page.getByLabel(label, { exact: true });
      await control.waitFor();
      expect(await tabTo(page, control), link).toBe(true);
    }
    // The reference's index links jump to a procedure.
    await page.keyboard.type('chat.embed');
    const link = page.getByRole('link', { name: 'chat.embedBatch' });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await link.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate(() => window.location.hash))
      .toBe('#proc-chat.embedBatch');
    expect(errors).toEqual([]);
    await page.close();
  });
});
