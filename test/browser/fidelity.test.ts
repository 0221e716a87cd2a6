/**
 * The console's fidelity-profile picker in headless Chromium: it shows the emulator's profile,
 * and choosing another one changes the form of the events the emulator delivers next.
 */
import type { Browser, Page } from 'playwright-core';
import { startEmulator, FIDELITY_PROFILES, type Emulator } from '../../src/emulator';
import { launchBrowser, saveScreenshot } from '../support/browser';

describe('agent console: fidelity profile picker', () => {
  let emulator: Emulator;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, fidelity: 'blank-sender' });
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.goto(`${emulator.url}/console/`);
  });
  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });

  const picker = '[data-testid="fidelity-profile"]';

  it('should list every profile with the emulator\'s current one selected', async () => {
    await page.locator(`${picker}[data-state="ready"]`).waitFor();
    expect(await page.locator(`${picker} option`).allTextContents()).toEqual([...FIDELITY_PROFILES]);
    expect(await page.locator(picker).inputValue()).toBe('blank-sender');
  });

  it('should switch the emulator to the chosen profile', async () => {
    await page.selectOption(picker, 'legacy');
    await page.locator(`${picker}[data-state="saved"]`).waitFor();
    expect(emulator.fidelity).toBe('legacy');
    await saveScreenshot(page, 'fidelity-picker', 'legacy-selected');
    await page.reload();
    await page.locator(`${picker}[data-state="ready"]`).waitFor();
    expect(await page.locator(picker).inputValue()).toBe('legacy');
  });
});
