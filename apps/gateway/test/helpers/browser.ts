import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

// Debian's Chromium with the launch flags that work on this machine kind (as the playground's
// browser suite uses them). Locally a missing Chromium skips with one line; in CI it fails.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const isCI = process.env.CI === 'true' || process.env.CI === '1';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  if (isCI) throw new Error(`Chromium not found at ${CHROMIUM}: the browser suite must run in CI`);
  console.warn(`skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH to run the browser suite)`);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
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
}
