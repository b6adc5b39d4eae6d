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

  it('is usable by keyboard alone: each page’s main control is reached with Tab and works with Enter', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/compare`);
    await useApiKey(page, ADMIN_KEY);

    // Compare: Tab to the prompt, type, Enter sends to both models.
    const prompt = page.getByLabel('Prompt', { exact: true });
    await expect.poll(() => page.getByLabel('Model B').inputValue()).not.toBe('');
    expect(await tabTo(page, prompt)).toBe(true);
    await page.keyboard.type('keyboard compare');
    await page.keyboard.press('Enter');
    await page.getByTestId('stats-A').waitFor();
    await page.getByTestId('stats-B').waitFor();

    // Embeddings: Tab to Text A, type, Tab on to the button, Enter.
    await page.getByRole('link', { name: 'Embeddings' }).click();
    const textA = page.getByLabel('Text A');
    expect(await tabTo(page, textA)).toBe(true);
    await page.keyboard.type('keyboard text');
    const embed = page.getByRole('button', { name: 'Embed', exact: true });
    expect(await tabTo(page, embed)).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('vector-size').textContent()).toBe('16');

    // Templates: Tab to a template, Enter opens it; Tab to its variable, type; Enter renders.
    await page.getByRole('link', { name: 'Templates' }).click();
    const pick = page
      .getByRole('list', { name: 'Templates' })
      .getByRole('button', { name: /summarize/ });
    await pick.waitFor();
    expect(await tabTo(page, pick)).toBe(true);
    await page.keyboard.press('Enter');
    const form = page.getByRole('form', { name: 'Render and chat' });
    const firstInput = form.locator('input, textarea, select').first();
    await firstInput.waitFor();
    expect(await tabTo(page, firstInput, 120)).toBe(true);
    await page.keyboard.type('Keyboards are fast.');
    const renderButton = form.getByRole('button', { name: 'Render', exact: true });
    expect(await tabTo(page, renderButton, 120)).toBe(true);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('rendered-prompt').textContent())
      .toContain('Keyboards are fast.');

    // Models, Usage, API reference: their first control is reachable.
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
    expect(await tabTo(page, link)).toBe(true);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate(() => window.location.hash))
      .toBe('#proc-chat.embedBatch');
    expect(errors).toEqual([]);
    await page.close();
  });
});
