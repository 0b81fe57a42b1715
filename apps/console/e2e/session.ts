import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import { launchChromium } from './browser';

export interface BrowserSession {
  consoleUrl: string;
  page(): Page;
  browser(): Browser;
}

/**
 * Registers the hooks of an e2e file: one chromium per file, a fresh context per test (its own
 * localStorage, so each test signs in from nothing).
 */
export function useBrowser(): BrowserSession {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    context = await browser!.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
  });
  afterEach(async () => {
    await context?.close();
  });

  return {
    consoleUrl: inject('consoleUrl'),
    page: () => page!,
    browser: () => browser!,
  };
}
