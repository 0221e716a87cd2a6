/**
 * The echo-to-agent sample end to end in headless Chromium: the customer page (Web Chat over the
 * sample's local Direct Line) and the agent console of the embedded emulator, side by side. The
 * sample runs in-process on port 0; everything goes over real HTTP on 127.0.0.1.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { silentLogger } from '../../src/logger';
import { startSample, type RunningSample } from '../../samples/echo-to-agent/src/start-sample';
import { launchBrowser, saveScreenshot } from '../support/browser';

const SUITE = 'sample';

describe('echo-to-agent sample in the browser', () => {
  let sample: RunningSample;
  let browser: Browser;
  let context: BrowserContext;
  let agentContext: BrowserContext;
  let customer: Page;
  let agent: Page;
  let conversationId: string;

  const transcript = () => customer.locator('.webchat__basic-transcript');
  const botSays = (text: string | RegExp) => transcript().locator('.webchat__bubble:not(.webchat__bubble--from-user)', { hasText: text }).last().waitFor();
  const log = () => agent.locator('[data-testid="message-log"]');

  async function customerTypes(text: string): Promise<void> {
    await customer.locator('[data-id="webchat-sendbox-input"]').fill(text);
    await customer.locator('[data-id="webchat-sendbox-input"]').press('Enter');
  }

  /** Screenshots of both pages for one step. */
  async function snap(step: string): Promise<void> {
    await saveScreenshot(customer, SUITE, `${step} customer`);
    await saveScreenshot(agent, SUITE, `${step} agent console`);
  }

  /** Both windows next to each other in one picture (the README's screenshot). */
  async function sideBySide(step: string): Promise<void> {
    // Web Chat scrolls to the newest activity with an animation: finish it before the picture.
    await customer.waitForFunction(() => {
      const el = document.querySelector('.webchat__basic-transcript__scrollable');
      if (!el) return false;
      el.scrollTo({ top: el.scrollHeight, behavior: 'instant' });
      return el.scrollHeight - el.scrollTop - el.clientHeight < 2;
    }, undefined, { polling: 100 });
    const [left, right] = [await customer.screenshot(), await agent.screenshot()];
    const scratch = await context.newPage();
    await scratch.setViewportSize({ width: 2400, height: 840 });
    const img = (png: Buffer) => `<img style="height:820px;box-shadow:0 2px 8px #0003" src="data:image/png;base64,${png.toString('base64')}">`;
    await scratch.setContent(`<body style="margin:0;padding:10px;display:flex;gap:12px;background:#d9dee7">${img(left)}${img(right)}</body>`);
    await saveScreenshot(scratch, SUITE, step);
    await scratch.close();
  }

  /** A small receipt picture, drawn by the browser itself so the test needs no binary fixture. */
  async function receiptPng(): Promise<Buffer> {
    const scratch = await context.newPage();
    await scratch.setContent(
      '<div id="r" style="width:260px;padding:14px;font:15px sans-serif;background:#fffbe6;border:2px dashed #c9a227">'
      + '<b>RECEIPT #10482</b><br>1 x Blue kettle ... 39.90<br>Delivery ........... 4.90<br><b>Total ............ 44.80</b></div>',
    );
    const png = await scratch.locator('#r').screenshot();
    await scratch.close();
    return png;
  }

  beforeAll(async () => {
    sample = await startSample({ env: {}, port: 0, emulatorPort: 0, logger: silentLogger, out: () => undefined });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1100, height: 820 } });
    customer = await context.newPage();
    // Two windows, like two people: a customer and an agent.
    agentContext = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    agent = await agentContext.newPage();
    await customer.goto(`${sample.url.replace('localhost', '127.0.0.1')}/`);
    await agent.goto(sample.emulator!.consoleUrl);
    await agent.locator('[data-testid="connection-status"][data-state="live"]').waitFor();
    await agent.selectOption('[data-testid="agent-picker"]', 'agent-1');
  });

  afterAll(async () => {
    await browser?.close();
    await sample?.close();
  });

  it('should echo what the customer types when no agent is involved', async () => {
    await botSays(/the echo bot/);
    await customerTypes('Hello, my kettle arrived broken');
    await botSays('You said: Hello, my kettle arrived broken');
    await snap('echo');
  });

  it('should queue the conversation with the bot history in the console when the customer asks for an agent', async () => {
    await customerTypes('I want to talk to a human');
    await botSays(/Connecting you with a person/);
    const conversation = await sample.emulator!.waitForConversation((c) => c.messages.some((m) => m.text === 'I want to talk to a human'));
    conversationId = conversation.id;
    const queued = agent.locator(`[data-testid="queue-list"] [data-conversation-id="${conversationId}"]`);
    await queued.waitFor();
    await queued.click();
    const history = log().locator('[data-testid="message"][data-from-history="true"]');
    await history.filter({ hasText: 'You said: Hello, my kettle arrived broken' }).waitFor();
    await expect(history.filter({ hasText: 'Hello, my kettle arrived broken' }).count()).resolves.toBeGreaterThanOrEqual(2);
    await snap('queued with history');
  });

  it('should show the typing indicator to the customer when the agent accepts and types', async () => {
    await agent.click('[data-testid="accept-button"]');
    await botSays(/joined the conversation/);
    await agent.locator('[data-testid="composer-input"]').pressSequentially('Hi, this is Alice', { delay: 20 });
    await customer.locator('.webchat__typing-indicator').waitFor();
    await snap('agent typing');
  });

  it("should deliver the agent's reply to the customer when the agent sends it", async () => {
    await agent.locator('[data-testid="composer-input"]').fill("Hi, this is Alice. I'm sorry about the kettle. Do you have a photo of the receipt?");
    await agent.click('[data-testid="send-button"]');
    await botSays(/Do you have a photo of the receipt\?/);
    await snap('agent replied');
  });

  it('should show the image in the console when the customer sends one', async () => {
    // The page sends a picked file at once (styleOptions.sendAttachmentOn = 'attach').
    await customer.setInputFiles('input[type="file"]', { name: 'receipt.png', mimeType: 'image/png', buffer: await receiptPng() });
    const image = log().locator('[data-testid="message"][data-author-type="user"] [data-testid="attachment-image"]');
    await image.waitFor();
    await expect(image.getAttribute('alt')).resolves.toBe('receipt.png');
    await expect(image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).resolves.toBe(true);
    await snap('customer sent image');
  });

  it('should render the Adaptive Card in Web Chat when the agent sends one', async () => {
    await agent.click('[data-testid="card-button"]');
    await agent.selectOption('[data-testid="card-sample"]', 'order-status');
    await agent.locator('[data-testid="card-preview"] .ac-adaptiveCard').waitFor();
    await agent.click('[data-testid="card-send"]');
    const card = transcript().locator('.ac-adaptiveCard', { hasText: 'Your order is on its way' });
    await card.waitFor();
    await expect(card.textContent()).resolves.toContain('#10482');
    await snap('agent sent card');
    await sideBySide('side by side');
  });

  it('should hand the customer back to the echo bot when the agent ends the chat', async () => {
    await agent.click('[data-testid="end-button"]');
    await botSays(/chatting with the bot again/);
    await customerTypes('Thanks! Are you the bot again?');
    await botSays('You said: Thanks! Are you the bot again?');
    await agent.locator('[data-testid="ended-notice"]').waitFor();
    await snap('back to the bot');
  });
});
