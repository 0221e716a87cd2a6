/**
 * The echo-to-agent sample's lifecycle around the agent in headless Chromium: the waiting room of a
 * `HANDOFF_CONFIG` file (updates with the place in the queue from the embedded emulator's queue
 * statistics, then the maximum-wait offer and its two buttons), and the closed path (the console's
 * switch, and opening hours in the file). The sample runs in-process on port 0 with the file the
 * test writes; everything goes over real HTTP on 127.0.0.1. The waits are real but a few seconds:
 * the file's times are any positive number of seconds.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { silentLogger } from '../../src/logger';
import { startSample, type RunningSample } from '../../samples/echo-to-agent/src/start-sample';
import { launchBrowser, saveScreenshot } from '../support/browser';

const SUITE = 'sample-lifecycle';
const MAX_WAIT_SECONDS = 3;

let dir: string;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sample-lifecycle-'));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The sample started with `config` as its HANDOFF_CONFIG file, a customer page and the agent console. */
async function open(name: string, config: object): Promise<{ sample: RunningSample; customer: Page; agent: Page; contexts: BrowserContext[] }> {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(config));
  const sample = await startSample({ env: { HANDOFF_CONFIG: file }, port: 0, emulatorPort: 0, logger: silentLogger, out: () => undefined });
  const customerContext = await browser.newContext({ viewport: { width: 1000, height: 820 } });
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 820 } });
  const customer = await customerContext.newPage();
  const agent = await agentContext.newPage();
  await customer.goto(`${sample.url}/?name=${encodeURIComponent(name)}`);
  await agent.goto(sample.consoleUrl!);
  await agent.locator('[data-testid="connection-status"][data-state="live"]').waitFor();
  await agent.selectOption('[data-testid="agent-picker"]', 'agent-1');
  await botSays(customer, /the echo bot/);
  return { sample, customer, agent, contexts: [customerContext, agentContext] };
}

const transcript = (page: Page) => page.locator('.webchat__basic-transcript');
const botBubbles = (page: Page, text: string | RegExp): Locator => transcript(page).locator('.webchat__bubble:not(.webchat__bubble--from-user)', { hasText: text });
const botSays = (page: Page, text: string | RegExp) => botBubbles(page, text).last().waitFor();
const suggested = (page: Page, name: string): Locator => page.locator('.webchat__suggested-actions').getByRole('button', { name, exact: true });
const queueItems = (agent: Page) => agent.locator('[data-testid="queue-list"] [data-testid="conversation-item"]');

async function customerTypes(page: Page, text: string): Promise<void> {
  await page.locator('[data-id="webchat-sendbox-input"]').fill(text);
  await page.locator('[data-id="webchat-sendbox-input"]').press('Enter');
}

describe('echo-to-agent sample: the waiting room, then the console switched to closed', () => {
  let sample: RunningSample;
  let customer: Page;
  let agent: Page;
  let contexts: BrowserContext[];

  beforeAll(async () => {
    ({ sample, customer, agent, contexts } = await open('Wanda Waiting', { waitingRoom: { updateEverySeconds: 1, maxWaitSeconds: MAX_WAIT_SECONDS, onMaxWait: 'offer' } }));
  });

  afterAll(async () => {
    for (const context of contexts ?? []) await context.close();
    await sample?.close();
  });

  it('should tell the waiting customer their place in the queue, then offer to keep waiting or go back to the bot', async () => {
    await customerTypes(customer, 'I want to talk to a human');
    await botSays(customer, /Connecting you with a person/);
    await queueItems(agent).filter({ hasText: 'Wanda Waiting' }).waitFor();
    // The place comes from the emulator's real-time queue statistics: the only one waiting.
    await botSays(customer, 'Thanks for waiting. You are number 1 in the queue.');
    await botSays(customer, 'Sorry for the long wait. Do you want to keep waiting for a person, or go back to the bot?');
    await suggested(customer, 'Keep waiting').waitFor();
    await suggested(customer, 'Back to the bot').waitFor();
    await saveScreenshot(customer, SUITE, 'max wait offer');
  });

  it('should keep the customer queued and offer again when they click Keep waiting', async () => {
    await suggested(customer, 'Keep waiting').click();
    await botSays(customer, 'OK, you keep your place in the queue.');
    // Counted after the answer: an offer that crossed it is closed by it, so the test waits for the next.
    const offers = await botBubbles(customer, /Sorry for the long wait/).count();
    // The answer is the middleware's, not the agent's: 8x8 never sees it.
    const conversation = await sample.emulator!.waitForConversation((c) => c.status === 'queued' && c.messages.some((m) => m.text === 'I want to talk to a human'));
    expect(conversation.messages.map((m) => m.text)).not.toContain('Keep waiting');
    await expect(queueItems(agent).count()).resolves.toBe(1);
    // Another maximum wait later, the offer comes again.
    await customer.waitForFunction((n) => Array.from(document.querySelectorAll('.webchat__bubble:not(.webchat__bubble--from-user)')).filter((b) => b.textContent?.includes('Sorry for the long wait')).length > n, offers, { polling: 200, timeout: 15_000 });
    await suggested(customer, 'Back to the bot').waitFor();
    await saveScreenshot(customer, SUITE, 'offer again');
  });

  it('should take the customer out of the queue and back to the echo bot when they click Back to the bot', async () => {
    await suggested(customer, 'Back to the bot').click();
    await botSays(customer, 'OK, you left the queue. You are chatting with the bot again.');
    // 8x8 was told (customer-leave): the console's queue empties and the chat shows under Ended, marked left.
    await agent.locator('[data-testid="queue-count"]', { hasText: /^0$/ }).waitFor();
    await agent.locator('[data-testid="ended-list"] [data-testid="conversation-item"]', { hasText: 'Wanda Waiting' }).filter({ hasText: 'left' }).waitFor();
    await customerTypes(customer, 'Back with you, bot');
    await botSays(customer, 'You said: Back with you, bot');
    await saveScreenshot(customer, SUITE, 'back to the bot');
    await saveScreenshot(agent, SUITE, 'left the queue console');
  });

  it('should tell the customer the team is unavailable, queue nothing, and keep echoing when the console is switched to Closed', async () => {
    // The switch, clicked in a second page of the same browser (the console in another tab).
    const switchPage = await agent.context().newPage();
    await switchPage.goto(sample.consoleUrl!);
    await switchPage.getByTestId('open-mode').selectOption('closed');
    await switchPage.getByTestId('open-state').filter({ hasText: 'closed now' }).waitFor();
    await agent.getByTestId('open-state').filter({ hasText: 'closed now' }).waitFor();

    const before = sample.emulator!.conversations.length;
    await customerTypes(customer, 'agent please');
    // Web Chat's markdown turns the apostrophes typographic.
    await botSays(customer, /Sorry, our team isn[’']t available right now\. I[’']m still here to help\./);
    await customerTypes(customer, 'Still there?');
    await botSays(customer, 'You said: Still there?');
    expect(sample.emulator!.conversations.length).toBe(before);
    await expect(queueItems(agent).count()).resolves.toBe(0);
    await saveScreenshot(customer, SUITE, 'closed by the switch');
    await saveScreenshot(switchPage, SUITE, 'closed switch console');

    await switchPage.getByTestId('open-mode').selectOption('open');
    await switchPage.getByTestId('open-state').filter({ hasText: 'open now' }).waitFor();
    await switchPage.close();
  });
});

describe('echo-to-agent sample: closed by the opening hours of HANDOFF_CONFIG', () => {
  let sample: RunningSample;
  let customer: Page;
  let agent: Page;
  let contexts: BrowserContext[];
  // Today and tomorrow (UTC) are holidays, so the next opening is the day after at 09:00 UTC, also
  // when the date turns during the test.
  const day = (offset: number) => new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + offset, 9));
  const nextOpening = day(2);
  const everyDay = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['09:00', '17:00']]]));

  beforeAll(async () => {
    ({ sample, customer, agent, contexts } = await open('Carl Closed', {
      availability: { timeZone: 'UTC', weekly: everyDay, holidays: [day(0), day(1)].map((d) => d.toISOString().slice(0, 10)) },
    }));
  });

  afterAll(async () => {
    for (const context of contexts ?? []) await context.close();
    await sample?.close();
  });

  it('should tell the customer when the team is back, queue nothing, and keep echoing', async () => {
    await customerTypes(customer, 'Can I talk to a human?');
    const date = new Intl.DateTimeFormat('en-US', { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(nextOpening);
    const closed = botBubbles(customer, /isn[’']t available right now/).last();
    await closed.waitFor();
    await expect(closed.textContent()).resolves.toMatch(new RegExp(`We[’']re back on ${date} at 9:00 AM UTC\\.`));
    await customerTypes(customer, 'OK, later then');
    await botSays(customer, 'You said: OK, later then');
    expect(sample.emulator!.conversations).toHaveLength(0);
    await expect(queueItems(agent).count()).resolves.toBe(0);
    await saveScreenshot(customer, SUITE, 'closed by the opening hours');
  });
});
