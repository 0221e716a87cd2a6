/**
 * Headless Chromium for the browser suites (the agent console, the sample's pages): Debian's
 * chromium driven by playwright-core, and numbered screenshots saved as test artifacts.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where Debian installs chromium; playwright-core ships no browser of its own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags that keep chromium quiet, offline and runnable as root in CI containers. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--no-first-run',
  '--disable-sync',
];

/** The root folder of screenshot artifacts: `artifacts/screenshots` at the repository root. */
export const SCREENSHOT_ROOT = resolve(__dirname, '..', '..', 'artifacts', 'screenshots');

/** Launches headless Debian chromium; close the returned browser in `afterAll`. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}

/** Per-suite step counters, so screenshots sort in the order they were taken. */
const counters = new Map<string, number>();

/**
 * Saves a full-page PNG to `artifacts/screenshots/<suite>/<NN-step>.png` (NN counts up per suite
 * from 01) and resolves to the file's path. The suite's folder is emptied on its first screenshot
 * in a run, so the artifacts never mix two runs.
 */
export async function saveScreenshot(page: Page, suite: string, step: string): Promise<string> {
  const n = (counters.get(suite) ?? 0) + 1;
  counters.set(suite, n);
  const dir = join(SCREENSHOT_ROOT, slug(suite));
  if (n === 1) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${String(n).padStart(2, '0')}-${slug(step)}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Keeps file names portable: lower case, dashes, no path separators. */
function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'step';
}
