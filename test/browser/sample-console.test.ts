/**
 * What a newcomer sees in the sample's agent console, in headless Chromium: two Web Chat customers
 * told apart by name, a customer's picture shown once, a card submit shown as the labels the
 * customer chose, and a labelled Transfer control listing the sample's other queue. The sample runs
 * in-process on port 0; everything goes over real HTTP on 127.0.0.1.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { silentLogger } from '../../src/logger';
import { startSample, type RunningSample } from '../../samples/echo-to-agent/src/start-sample';
import { launchBrowser, saveScreenshot } from '../support/browser';

const SUITE = 'sample-console';
/** A 1x1 PNG: enough for the console to render an image preview. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe('echo-to-agent sample: the agent console a newcomer sees', () => {
  let sample: RunningSample;
  let browser: Browser;
  let customers: BrowserContext;
  let agentContext: BrowserContext;
  let ada: Page;
  let other: Page;
  let otherName: string;
  let agent: Page;

  const transcript = (page: Page) => page.locator('.webchat__basic-transcript');
  const botSays = (page: Page, text: string | RegExp) => transcript(page).locator('.webchat__bubble:not(.webchat__bubble--from-user)', { hasText: text }).last().waitFor();
  const log = () => agent.locator('[data-testid="message-log"]');
  const item = (name: string): Locator => agent.locator('[data-testid="conversation-item"]', { has: agent.locator('[data-testid="item-name"]', { hasText: name }) });

  async function customerTypes(page: Page, text: string): Promise<void> {
    await page.locator('[data-id="webchat-sendbox-input"]').fill(text);
    await page.locator('[data-id="webchat-sendbox-input"]').press('Enter');
  }

  async function openChat(page: Page, query = ''): Promise<string> {
    await page.goto(`${sample.url}/${query}`);
    await botSays(page, /the echo bot/);
    return (await page.locator('#customer-name').textContent())!.trim();
  }

  beforeAll(async () => {
    sample = await startSample({ env: {}, port: 0, emulatorPort: 0, logger: silentLogger, out: () => undefined });
    browser = await launchBrowser();
    customers = await browser.newContext({ viewport: { width: 1000, height: 760 } });
    agentContext = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    ada = await customers.newPage();
    other = await customers.newPage();
    agent = await agentContext.newPage();
    await agent.goto(sample.consoleUrl!);
    await agent.locator('[data-testid="connection-status"][data-state="live"]').waitFor();
    await agent.selectOption('[data-testid="agent-picker"]', 'agent-1');
  });

  afterAll(async () => {
    await browser?.close();
    await sample?.close();
  });

  it('should show each Web Chat customer under their own name in the console', async () => {
    await expect(openChat(ada, '?name=Ada%20Lovelace')).resolves.toBe('Ada Lovelace');
    otherName = await openChat(other);
    expect(otherName).toMatch(/^\p{Lu}\p{Ll}+ \p{Lu}\.$/u);
    await customerTypes(ada, 'agent please');
    await customerTypes(other, 'I need a human');
    await botSays(ada, /Connecting you with a person/);
    await botSays(other, /Connecting you with a person/);

    await item('Ada Lovelace').waitFor();
    await item(otherName).waitFor();
    const names = await agent.locator('[data-testid="queue-list"] [data-testid="item-name"]').allTextContents();
    expect(names.sort()).toEqual(['Ada Lovelace', otherName].sort());
    await item('Ada Lovelace').click();
    await expect(agent.locator('[data-testid="conversation-title"]').textContent()).resolves.toBe('Ada Lovelace');
    await expect(log().locator('[data-author-type="user"] [data-testid="message-author"]').first().textContent()).resolves.toBe('Ada Lovelace');
    await saveScreenshot(agent, SUITE, 'two named customers');
  });

  it("should show a customer's picture once, without the text line that describes it to 8x8", async () => {
    await agent.click('[data-testid="accept-button"]');
    await botSays(ada, /joined the conversation/);
    await ada.setInputFiles('input[type="file"]', { name: 'receipt.png', mimeType: 'image/png', buffer: PNG });
    const message = log().locator('[data-testid="message"][data-author-type="user"]', { has: agent.locator('[data-testid="attachment-image"]') });
    await message.waitFor();
    // 8x8 has the text line; the console shows the file instead of it.
    const conversation = (await sample.emulator!.waitForConversation((c) => c.messages.some((m) => m.attachments.length > 0)));
    const stored = conversation.messages.find((m) => m.attachments.length > 0)!;
    expect(stored.text).toMatch(/^\[Attachment: receipt\.png, image\/png/);

    await expect(message.locator('[data-testid="attachment"]').count()).resolves.toBe(1);
    await expect(message.locator('[data-testid="message-text"]').count()).resolves.toBe(0);
    await expect(log().textContent()).resolves.not.toContain('[Attachment:');
    await expect(item('Ada Lovelace').textContent()).resolves.not.toContain('[Attachment:');
    await saveScreenshot(agent, SUITE, 'picture once');
  });

  it('should show a card submit as the labels the customer chose, not the raw values', async () => {
    await agent.click('[data-testid="card-button"]');
    await agent.selectOption('[data-testid="card-sample"]', 'satisfaction');
    await agent.locator('[data-testid="card-preview"] .ac-adaptiveCard').waitFor();
    await agent.click('[data-testid="card-send"]');
    const card = transcript(ada).locator('.ac-adaptiveCard', { hasText: 'How did we do today?' }).last();
    await card.waitFor();
    await card.getByText('Great', { exact: true }).click();
    await card.getByRole('button', { name: 'Send feedback' }).click();

    const submitted = log().locator('[data-testid="message"][data-author-type="user"] [data-testid="message-text"]', { hasText: 'Send feedback' });
    await submitted.waitFor();
    await expect(submitted.textContent()).resolves.toBe('Send feedback · How did we do today? Great');
    // What 8x8 received is the raw submit; the console keeps it on hover.
    await expect(submitted.getAttribute('title')).resolves.toBe('Submitted: survey = csat, rating = 3');
    await expect(log().textContent()).resolves.not.toContain('rating = 3');
    await saveScreenshot(agent, SUITE, 'card submit as labels');
  });

  it("should label multi-select choices, toggles and text inputs, and leave a submit no card explains as 8x8 has it", async () => {
    // A string, so the compiler leaves the browser's own dynamic import alone.
    const shown = await agent.evaluate(`(async () => {
      const { displayText } = await import('./static/message-text.js');
      const card = {
        type: 'AdaptiveCard',
        body: [
          { type: 'Input.ChoiceSet', id: 'extras', label: 'Extras', isMultiSelect: true, choices: [{ title: 'Gift wrap', value: 'wrap' }, { title: 'Card, signed', value: 'card' }] },
          { type: 'Input.Toggle', id: 'news', title: 'Send me news' },
          { type: 'Input.Text', id: 'note', placeholder: 'Anything else?' },
        ],
        actions: [{ type: 'Action.Submit', title: 'Order' }],
      };
      const messages = [
        { authorType: 'agent', text: ' ', attachments: [], cards: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] },
        { authorType: 'user', text: 'Submitted: extras = wrap,card, news = false, note = ring twice, then wait', attachments: [], cards: [] },
        { authorType: 'user', text: 'Submitted: size = L', attachments: [], cards: [] },
      ];
      return [displayText(messages[1], messages).text, displayText(messages[2], messages).text];
    })()`) as string[];
    expect(shown).toEqual(['Extras: Gift wrap, Card, signed · Send me news: No · Anything else? ring twice, then wait', 'Submitted: size = L']);
  });

  it('should offer a labelled Transfer control listing the other queue, and move the conversation there', async () => {
    const controls = agent.locator('[data-testid="transfer-controls"]');
    await expect(controls.isVisible()).resolves.toBe(true);
    const select = agent.getByLabel('Transfer to');
    await expect(select.getAttribute('data-testid')).resolves.toBe('transfer-queue');
    await expect(select.locator('option').allTextContents()).resolves.toEqual(['Billing']);
    await saveScreenshot(agent, SUITE, 'transfer control');

    await agent.click('[data-testid="transfer-button"]');
    const id = (await item('Ada Lovelace').getAttribute('data-conversation-id'))!;
    const moved = await sample.emulator!.waitForConversation((c) => c.id === id && c.queueId === 'billing' && c.status === 'queued');
    expect(moved.queueId).toBe('billing');
    await expect(agent.locator('[data-testid="conversation-meta"]').textContent()).resolves.toMatch(/^Billing/);
    await agent.locator('[data-testid="queue-list"] [data-testid="item-queue"]', { hasText: 'Billing' }).waitFor();
    await saveScreenshot(agent, SUITE, 'transferred to billing');
  });
});
