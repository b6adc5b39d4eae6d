import { createGatewayClient } from '@intellicore/llm-client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, openPage, screenshot, useApiKey } from './helpers/browser.js';
import { ADMIN_KEY, type Stack, startStack } from './helpers/stack.js';

/** Keys page (admin): create with the secret shown once and a copy button, use, edit, revoke. */
describe.skipIf(!hasChromium)('playground: API keys', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('an admin creates a key, copies the secret, sees its usage, edits it and revokes it', async () => {
    const { page, errors } = await openPage(browser, `${stack.url}/keys`, {
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    await useApiKey(page, ADMIN_KEY);
    const create = page.getByRole('form', { name: 'Create key' });
    await create.getByLabel('Name').fill('team-search');
    await create.getByLabel('Models').fill('llama3.2, mistral');
    await create.getByLabel('Token budget').fill('5000');
    await create.getByLabel('Budget period').selectOption('day');
    await create.getByRole('button', { name: 'Create key' }).click();

    // The secret, once, with a copy button that puts it on the clipboard.
    const secret = (await page.getByTestId('new-secret').textContent()) ?? '';
    expect(secret).toMatch(/^ick_[A-Za-z0-9_-]{32}$/);
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    // Handed out: the key works (within its models), and its usage shows in the list.
    const user = createGatewayClient({ url: stack.url, apiKey: secret });
    const answer = await user.chat.completion.mutate({
      model: 'mistral',
      messages: [{ role: 'user', content: 'hello from team search' }],
    });
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByTestId('new-secret').count()).toBe(0);
    const row = page.getByRole('row', { name: /^team-search/ });
    const tokens = answer.usage.totalTokens;
    await expect
      .poll(
        async () => {
          await page.reload();
          return row.textContent();
        },
        { timeout: 10_000 },
      )
      .toContain(`${tokens} tokens, 1 requests`);
    expect(await row.textContent()).toContain(`${tokens} / 5,000 per day`);
    expect(await row.textContent()).toContain(secret.slice(0, 12));
    expect(await page.content()).not.toContain(secret);
    await screenshot(page, 'keys');

    // Edit: only llama3.2 from now on.
    await row.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Save team-search' });
    await edit.getByLabel('Models').fill('llama3.2');
    await edit.getByLabel('Requests / min').fill('30');
    await edit.getByRole('button', { name: 'Save team-search' }).click();
    await expect.poll(() => row.textContent()).toContain('30 req/min');
    await expect(
      user.chat.completion.mutate({ model: 'mistral', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ data: { gatewayCode: 'MODEL_NOT_ALLOWED' } });

    // Revoke asks first; then the key is refused.
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('button', { name: 'Revoke team-search' }).click();
    await expect.poll(() => row.textContent()).toContain('revoked');
    await expect(user.models.list.query()).rejects.toMatchObject({
      data: { gatewayCode: 'UNAUTHORIZED' },
    });
    expect(errors).toEqual([]);
    await page.close();
  });
});
