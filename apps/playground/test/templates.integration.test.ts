import { fakeChatReply } from '@intellicore/testkit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasChromium,
  horizontalOverflow,
  launchBrowser,
  openPage,
  overflowingElements,
  PHONE,
  screenshot,
  unexpectedErrors,
  useApiKey,
} from './helpers/browser.js';
import { ADMIN_KEY, type Stack, startStack } from './helpers/stack.js';

const templateList = (page: Page) => page.getByRole('list', { name: 'Templates' });
const listed = async (page: Page) =>
  (await templateList(page).locator('.name').allTextContents()).sort();

/** The Templates page: list, search, tags, editor with live preview, versions, labels, render. */
describe.skipIf(!hasChromium)('playground: templates', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('lists, filters by tag and searches templates (deep link served by the SPA fallback)', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/templates`);
    await useApiKey(page, ADMIN_KEY);
    await expect.poll(() => listed(page)).toContain('rag-answer');
    expect((await listed(page)).length).toBeGreaterThanOrEqual(6);
    await page.getByLabel('Search', { exact: true }).fill('rag-answer');
    await expect.poll(() => listed(page)).toEqual(['rag-answer']);
    await page.getByLabel('Search', { exact: true }).fill('');
    await page.getByLabel('Tag', { exact: true }).selectOption('built-in');
    await expect.poll(async () => (await listed(page)).length).toBeGreaterThanOrEqual(6);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('creates a template with a live preview that shows checker errors at line and column', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/templates`);
    await useApiKey(page, ADMIN_KEY);
    await page.getByRole('button', { name: 'New template' }).click();
    await page.getByRole('textbox', { name: 'Id', exact: true }).fill('greeting');
    await page.getByLabel('Tags', { exact: true }).fill('demo, playground');
    const template = page.getByRole('textbox', { name: 'Template', exact: true });
    await template.fill('Hello <%= it.name %>!');
    await expect.poll(() => page.getByTestId('preview-prompt').textContent()).toBe('Hello ‹name›!');

    // An escape attempt: the preview shows the checker's error with line and column, as a save would.
    await template.fill('Hello\n<%= process.env %>');
    const problems = page.getByTestId('preview-problems');
    await expect.poll(() => problems.textContent()).toMatch(/template at line 2, column \d+/);
    await template.fill('Hello <%= it.name %>, you are <%= it.mood %>.');
    await expect.poll(() => problems.textContent()).toMatch(/it\.mood is not a declared variable/);

    await page.getByRole('button', { name: 'Add variable' }).click();
    await page.getByLabel('Variable 2 name').fill('mood');
    await page.getByLabel('Variable 2 type').selectOption('enum');
    await page.getByLabel('Variable 2 enum values').fill('calm, loud');
    await page.getByLabel('Variable 2 default').fill('calm');
    await expect
      .poll(() => page.getByTestId('preview-prompt').textContent())
      .toBe('Hello ‹name›, you are calm.');
    await page.getByLabel('Commit message', { exact: true }).fill('first');
    await page.getByRole('button', { name: 'Create template' }).click();
    await page.getByRole('heading', { level: 2, name: /greeting@1/ }).waitFor();
    await expect.poll(() => listed(page)).toContain('greeting');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('saves a new version, diffs two versions, moves a label and renders-and-chats from a generated form', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/templates`);
    await useApiKey(page, ADMIN_KEY);
    await templateList(page)
      .getByRole('button', { name: /greeting/ })
      .click();
    await page.getByRole('heading', { level: 2, name: /greeting@1/ }).waitFor();
    const template = page.getByRole('textbox', { name: 'Template', exact: true });
    await template.fill('Hi <%= it.name %>, you are <%= it.mood %>.\nBye <%= it.name %>.');
    await page.getByLabel('Commit message', { exact: true }).fill('add a goodbye');
    await page.getByRole('button', { name: 'Save new version' }).click();
    await page.getByRole('heading', { level: 2, name: /greeting@2/ }).waitFor();

    // Versions and the diff of v1 → v2.
    await page.getByTestId('version-1').waitFor();
    const diff = page.getByTestId('diff');
    await expect
      .poll(() => diff.locator('.added').allTextContents())
      .toEqual(['+ Hi <%= it.name %>, you are <%= it.mood %>.\n', '+ Bye <%= it.name %>.\n']);
    expect(await diff.locator('.removed').allTextContents()).toEqual([
      '- Hello <%= it.name %>, you are <%= it.mood %>.\n',
    ]);

    // Move `production` to version 1.
    const mover = page.getByRole('form', { name: 'Move a label' });
    await mover.getByLabel('Label', { exact: true }).fill('production');
    await mover.getByLabel('to version').selectOption('1');
    await mover.getByRole('button', { name: 'Move label' }).click();
    await expect.poll(() => page.getByTestId('version-1').textContent()).toContain('production');

    // The render form is generated from the declared variables: typed inputs, required marks.
    const form = page.getByRole('form', { name: 'Render and chat' });
    const name = form.getByRole('textbox', { name: /^name/ });
    expect(await name.getAttribute('required')).not.toBeNull();
    expect(await form.locator('label', { hasText: /^name/ }).textContent()).toContain('*');
    const mood = form.getByRole('combobox', { name: /^mood/ });
    expect(await mood.locator('option').allTextContents()).toEqual(['(default)', 'calm', 'loud']);
    await name.fill('Ada');
    await mood.selectOption('loud');
    await form.getByRole('button', { name: 'Render', exact: true }).click();
    const prompt = 'Hi Ada, you are loud.\nBye Ada.';
    await expect.poll(() => page.getByTestId('rendered-prompt').textContent()).toBe(prompt);
    // Render and chat streams: the answer is seen growing, Stop is live meanwhile.
    stack.fake.faults.set({ path: '/api/chat', chunkDelayMs: 150, times: 1 });
    await form.getByRole('button', { name: 'Render and chat' }).click();
    const answer = page.getByTestId('render-answer');
    const expected = fakeChatReply([{ role: 'user', content: prompt }], 'llama3.2');
    await expect.poll(() => answer.textContent()).toMatch(/^echo/);
    const partial = (await answer.textContent()) ?? '';
    expect(partial.length).toBeLessThan(expected.length);
    expect(expected.startsWith(partial)).toBe(true);
    expect(await page.locator('.render-answer').getAttribute('data-phase')).toBe('streaming');
    expect(await form.getByRole('button', { name: 'Stop' }).isEnabled()).toBe(true);
    await expect.poll(() => answer.textContent(), { timeout: 10_000 }).toBe(expected);
    await form.getByTestId('answer-stats').waitFor();
    expect(await page.locator('.render-answer').getAttribute('data-phase')).toBe('done');
    await screenshot(page, 'templates');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a template error once, at its line and column', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/templates`);
    await useApiKey(page, ADMIN_KEY);
    await page.getByRole('button', { name: 'New template' }).click();
    await page.getByRole('textbox', { name: 'Id', exact: true }).fill('broken');
    await page
      .getByRole('textbox', { name: 'Template', exact: true })
      .fill('Hello\n  <%= process.env %>');
    await page.getByRole('button', { name: 'Create template' }).click();
    const saveError = page.getByTestId('template-error');
    await saveError.waitFor();
    expect(await saveError.textContent()).toBe(
      'Not saved: TEMPLATE_INVALID the problem shown in the preview',
    );
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body.match(/unknown name "process"/g)).toHaveLength(1);
    expect(await page.getByTestId('preview-problems').textContent()).toBe(
      'template at line 2, column 7: unknown name "process" (read variables as it.name)',
    );
    // The refused save (422 TEMPLATE_INVALID) is the only thing that went wrong.
    expect(unexpectedErrors(errors, [422])).toEqual([]);
    await page.close();
  });

  it('works at phone width: pick a template, fill its form and render-and-chat, without sideways scrolling', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/templates`, { viewport: PHONE });
    await useApiKey(page, ADMIN_KEY);
    await templateList(page)
      .getByRole('button', { name: /greeting/ })
      .click();
    const form = page.getByRole('form', { name: 'Render and chat' });
    await form.getByRole('textbox', { name: /^name/ }).fill('Grace');
    await form.getByRole('button', { name: 'Render and chat' }).click();
    const prompt = 'Hi Grace, you are calm.\nBye Grace.';
    await expect
      .poll(() => page.getByTestId('render-answer').textContent())
      .toBe(fakeChatReply([{ role: 'user', content: prompt }], 'llama3.2'));
    expect(await horizontalOverflow(page), (await overflowingElements(page)).join(', ')).toBe(0);
    await page.getByTestId('render-answer').scrollIntoViewIfNeeded();
    await screenshot(page, 'templates-phone', { keepScroll: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
