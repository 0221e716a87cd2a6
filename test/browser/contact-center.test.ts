/**
 * The console's contact-center controls in headless Chromium: the open/closed switch changes what
 * the Tenant Schedule API answers (read through the package's own adapter), and the presence
 * checkbox logs the signed-in agent out of the queue statistics.
 */
import type { Browser, Page } from 'playwright-core';
import { queueStatsAvailability, tenantScheduleAvailability } from '../../src/availability';
import { startEmulator, EMULATOR_API_SECRET, EMULATOR_DATA_REQUEST_TOKEN, type Emulator } from '../../src/emulator';
import { launchBrowser, saveScreenshot } from '../support/browser';
import { eventually } from '../middleware/harness';

const SUITE = 'contact-center';

describe('agent console: contact-center controls', () => {
  let emulator: Emulator;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, agents: [{ id: 'agent-1', name: 'Alice Agent' }], schedule: { timeZone: 'UTC', weekly: {} } });
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.goto(emulator.consoleUrl);
    await page.getByTestId('connection-status').filter({ hasText: 'Live' }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });

  const schedule = () => tenantScheduleAvailability({ scheduleId: 1, tenant: 'emulator-tenant', dataRequestToken: EMULATOR_DATA_REQUEST_TOKEN, baseUrl: emulator.url, cacheSeconds: 0 });

  it('follows the opening hours at first, and switches open and closed for the Tenant Schedule API', async () => {
    // Opening hours exist (closed all week here): the emulator follows them until switched.
    await page.getByTestId('open-state').filter({ hasText: 'closed now' }).waitFor();
    expect(await page.getByTestId('open-mode').locator('option').allTextContents()).toEqual(['Open', 'Closed', 'By schedule']);
    expect(await page.getByTestId('open-mode').inputValue()).toBe('schedule');
    expect((await schedule()({ queueId: 'support', now: Date.now() })).open).toBe(false);
    await page.getByTestId('open-mode').selectOption('open');
    await page.getByTestId('open-state').filter({ hasText: 'open now' }).waitFor();
    expect((await schedule()({ queueId: 'support', now: Date.now() })).open).toBe(true);
    await page.getByTestId('open-mode').selectOption('closed');
    await page.getByTestId('open-state').filter({ hasText: 'closed now' }).waitFor();
    await saveScreenshot(page, SUITE, 'closed');
    expect(emulator.contactCenter.openMode).toBe('closed');
    expect((await schedule()({ queueId: 'support', now: Date.now() })).open).toBe(false);
    await page.getByTestId('open-mode').selectOption('open');
    await page.getByTestId('open-state').filter({ hasText: 'open now' }).waitFor();
  });

  it('logs the signed-in agent out of the queue statistics', async () => {
    const stats = queueStatsAvailability({ apiKey: 'emulator-api-key', apiSecret: EMULATOR_API_SECRET, baseUrl: emulator.url, cacheSeconds: 0 });
    expect((await stats({ queueId: 'support', now: Date.now() })).open).toBe(true);
    await page.getByTestId('agent-presence').uncheck();
    await eventually(() => !emulator.contactCenter.isLoggedIn('agent-1'), 'agent-1 logged out');
    expect(await stats({ queueId: 'support', now: Date.now() })).toEqual({ open: false, reason: 'noAgents' });
    await saveScreenshot(page, SUITE, 'logged-out');
    await page.getByTestId('agent-presence').check();
    await eventually(() => emulator.contactCenter.isLoggedIn('agent-1'), 'agent-1 logged in');
  });
});
