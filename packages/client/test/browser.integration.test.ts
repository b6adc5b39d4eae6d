import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fakeChatReply } from '@intellicore/testkit';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleClientForBrowser } from './helpers/browser-bundle.js';
import { ensureBuiltClient } from './helpers/built-client.js';
import { type LiveGateway, startLiveGateway } from './helpers/live-gateway.js';
import { README_API_KEY, README_GATEWAY_URL, readmeSnippet } from './helpers/readme-snippets.js';

/**
 * Headless Debian Chromium loads a page from another origin than the gateway's; the page uses
 * the BUILT client (bundled as an app would) to stream a chat over SSE and to abort one.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const isCI = process.env.CI === 'true' || process.env.CI === '1';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  if (isCI) throw new Error(`Chromium not found at ${CHROMIUM}: the browser suite must run in CI`);
  console.warn(`skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH to run the browser suite)`);
}

const KEY = 'sk-browser-test';
const MODEL = 'llama3.2';

/** Streams a chat and aborts it after the first delta; what arrived and the error code. */
type AbortDemo = (args: {
  url: string;
  apiKey: string;
  model: string;
  content: string;
}) => Promise<{ received: string[]; code: string }>;

const ABORT_PAGE = `<script type="module">
  import { chatStream, createGatewayClient } from '@intellicore/llm-client';
  window.abortDemo = async ({ url, apiKey, model, content }) => {
    const client = createGatewayClient({ url, apiKey });
    const controller = new AbortController();
    const stream = chatStream(client, { model, messages: [{ role: 'user', content }] }, { signal: controller.signal });
    const received = [];
    try {
      for await (const text of stream) {
        received.push(text);
        controller.abort();
      }
      return { received, code: 'none' };
    } catch (error) {
      return { received, code: String(error.gatewayCode) };
    }
  };
</script>`;

/** Streams a ~1 MiB conversation, then sends one over the gateway's body limit. */
type BigDemo = (args: {
  url: string;
  apiKey: string;
  model: string;
  question: string;
}) => Promise<{ text: string; sentBytes: number; tooLarge: { code: string; status: number } }>;

const BIG_PAGE = `<script type="module">
  import { chatStream, createGatewayClient } from '@intellicore/llm-client';
  const conversation = (bytes, question) => [
    { role: 'system', content: 'Documents:\\n' + 'Retrieved passage for the browser. '.repeat(Math.ceil(bytes / 34)) },
    { role: 'user', content: question },
  ];
  window.bigDemo = async ({ url, apiKey, model, question }) => {
    let sentBytes = 0;
    const counting = (input, init) => {
      if (typeof init?.body === 'string') sentBytes = Math.max(sentBytes, init.body.length);
      return fetch(input, init);
    };
    const client = createGatewayClient({ url, apiKey, fetch: counting });
    let text = '';
    for await (const delta of chatStream(client, { model, messages: conversation(1024 * 1024, question) })) text += delta;
    let tooLarge = { code: 'none', status: 0 };
    try {
      for await (const _ of chatStream(client, { model, messages: conversation(3 * 1024 * 1024, 'too large') })) {}
    } catch (error) {
      tooLarge = { code: String(error.gatewayCode), status: Number(error.httpStatus) };
    }
    return { text, sentBytes, tooLarge };
  };
</script>`;

function page(body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{ "imports": { "@intellicore/llm-client": "/client.js" } }</script>
</head><body>${body}</body></html>`;
}

/** A static server on its own port (its own origin); `routes` is read per request. */
async function startPageServer(
  routes: Record<string, { type: string; body: string }>,
): Promise<Server> {
  const server = createServer((req, res) => {
    const route = routes[(req.url ?? '/').split('?')[0] ?? '/'];
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': route.type, 'cache-control': 'no-store' }).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe.skipIf(!hasChromium)('the built client in headless Chromium (cross-origin)', () => {
  let gateway: LiveGateway;
  let pages: Server;
  let browser: Browser;
  let origin: string;
  const consoleErrors: string[] = [];

  async function openPage(path: string): Promise<Page> {
    const tab = await browser.newPage();
    tab.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    tab.on('pageerror', (e) => consoleErrors.push(String(e)));
    await tab.goto(`${origin}${path}`);
    return tab;
  }

  beforeAll(async () => {
    ensureBuiltClient();
    const bundle = await bundleClientForBrowser();
    // Page and gateway differ in port, hence in origin: every call is cross-origin (CORS).
    const routes: Record<string, { type: string; body: string }> = {
      '/client.js': { type: 'text/javascript', body: bundle },
      '/favicon.ico': { type: 'image/x-icon', body: '' },
      '/abort.html': { type: 'text/html', body: page(ABORT_PAGE) },
      '/big.html': { type: 'text/html', body: page(BIG_PAGE) },
    };
    pages = await startPageServer(routes);
    origin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
    gateway = await startLiveGateway({
      API_KEYS: KEY,
      CORS_ORIGINS: origin,
      MAX_BODY_BYTES: String(2 * 1024 * 1024),
    });
    // The README's browser snippet, pointed at this gateway.
    const snippet = readmeSnippet('browser')
      .replace(README_GATEWAY_URL, gateway.url)
      .replace(README_API_KEY, KEY);
    routes['/readme.html'] = { type: 'text/html', body: page(snippet) };
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await new Promise((resolve) => pages?.close(resolve));
  });

  it("runs the README's browser snippet: a chat streams over SSE into the page", async () => {
    const tab = await openPage('/readme.html');
    const out = tab.locator('#out');
    await expect.poll(() => out.getAttribute('data-done'), { timeout: 15_000 }).toMatch(/tokens$/);
    const text = await out.textContent();
    const messages = [{ role: 'user', content: 'Hello from the browser' }];
    expect(text).toBe(fakeChatReply(messages, MODEL));
    expect(await out.getAttribute('data-error')).toBeNull();
    await tab.close();
  });

  it('aborts a stream from the page: the upstream request is closed', async () => {
    gateway.fake.faults.set({ path: '/api/chat', chunkDelayMs: 200 });
    const content = `abort from the browser ${Date.now()}`;
    const tab = await openPage('/abort.html');
    await tab.waitForFunction(() => 'abortDemo' in window);
    const outcome = await tab.evaluate(
      (args) => (window as unknown as { abortDemo: AbortDemo }).abortDemo(args),
      { url: gateway.url, apiKey: KEY, model: MODEL, content },
    );
    expect(outcome.code).toBe('CANCELLED');
    expect(outcome.received).toHaveLength(1);
    const upstream = await gateway.fake.journal.waitFor(
      (e) => e.path === '/api/chat' && JSON.stringify(e.body).includes(content) && e.clientClosed,
    );
    expect(upstream.clientClosed).toBe(true);
    gateway.fake.faults.clear();
    await tab.close();
  });

  it('streams a 1 MiB conversation from the page; a body over the limit is PAYLOAD_TOO_LARGE', async () => {
    const question = `big question ${Date.now()}`;
    const tab = await openPage('/big.html');
    await tab.waitForFunction(() => 'bigDemo' in window);
    const outcome = await tab.evaluate(
      (args) => (window as unknown as { bigDemo: BigDemo }).bigDemo(args),
      { url: gateway.url, apiKey: KEY, model: MODEL, question },
    );
    expect(outcome.text).toBe(fakeChatReply([{ role: 'user', content: question }], MODEL));
    expect(outcome.sentBytes).toBeGreaterThan(1024 * 1024);
    expect(outcome.tooLarge).toEqual({ code: 'PAYLOAD_TOO_LARGE', status: 413 });
    await tab.close();
    // The browser logs the refused request itself; nothing else may appear.
    const refused = 'Failed to load resource: the server responded with a status of 413';
    expect(consoleErrors.filter((e) => e.includes(refused))).toHaveLength(1);
    consoleErrors.splice(
      0,
      consoleErrors.length,
      ...consoleErrors.filter((e) => !e.includes(refused)),
    );
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
