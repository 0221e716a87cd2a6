/**
 * The seeds' second flow in headless Chromium: a customer on 8x8's own channel (the emulator's web
 * widget, reached from the sample's customer page) talks to the echo bot, asks for a person, and
 * the same conversation, with everything said, appears in the agent console's queue; the agent
 * answers in the widget, leaves, and the bot takes over again. The sample runs in-process on
 * port 0 (as `npm start` runs it); everything goes over real HTTP on 127.0.0.1.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { silentLogger } from '../../src/logger';
import { startSample, type RunningSample } from '../../samples/echo-to-agent/src/start-sample';
import { WELCOME_TEXT } from '../../samples/echo-to-agent/src/bot/echo-bot';
import { launchBrowser, saveScreenshot } from '../support/browser';

const SUITE = 'widget';

describe('8x8 web widget and agent console with the echo-to-agent sample', () => {
  let sample: RunningSample;
  let browser: Browser;
  let customerContext: BrowserContext;
  let agentContext: BrowserContext;
  let customer: Page;
  let agent: Page;
  let conversationId: string;

  const widgetSays = (author: 'bot' | 'agent' | 'user', text: string | RegExp) =>
    customer.locator(`#log .msg--${author}`, { hasText: text }).last().waitFor();
  const log = () => agent.locator('[data-testid="message-log"]');

  async function customerTypes(text: string): Promise<void> {
    await customer.fill('#text', text);
    await customer.click('#send');
  }

  async function snap(step: string): Promise<void> {
    await saveScreenshot(customer, SUITE, `${step} widget`);
    await saveScreenshot(agent, SUITE, `${step} agent console`);
  }

  beforeAll(async () => {
    sample = await startSample({ env: {}, port: 0, emulatorPort: 0, logger: silentLogger, out: () => undefined });
    browser = await launchBrowser();
    customerContext = await browser.newContext({ viewport: { width: 900, height: 820 } });
    agentContext = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    customer = await customerContext.newPage();
    agent = await agentContext.newPage();
    await agent.goto(sample.emulator!.consoleUrl);
    await agent.locator('[data-testid="connection-status"][data-state="live"]').waitFor();
    await agent.selectOption('[data-testid="agent-picker"]', 'agent-1');
  });

  afterAll(async () => {
    await browser?.close();
    await sample?.close();
  });

  it('should reach the widget from the customer page and get the bot\'s greeting and answers there', async () => {
    await customer.goto(`${sample.url.replace('localhost', '127.0.0.1')}/`);
    const link = customer.locator('#widget-link a#widget-url');
    await link.waitFor();
    const href = await link.getAttribute('href');
    expect(href).toBe(sample.emulator!.widgetUrl);
    await customer.goto(href!);
    await customer.fill('#name', 'Wendy Widget');
    await customer.fill('#email', 'wendy@example.com');
    await customer.click('#start-button');
    await widgetSays('bot', WELCOME_TEXT);
    // The pre-chat form gives way to the conversation.
    await expect(customer.locator('#start').isVisible()).resolves.toBe(false);
    conversationId = (await customer.locator('body').getAttribute('data-conversation-id'))!;
    expect(conversationId).toBeTruthy();
    await customerTypes('My kettle arrived broken');
    await widgetSays('bot', 'You said: My kettle arrived broken');
    await expect(customer.locator('#status').textContent()).resolves.toBe('Chatting with our assistant');
    await snap('bot answers');
  });

  it('should put the same conversation, with everything said, in the console queue when the customer asks for an agent', async () => {
    await customerTypes('I want to talk to a human');
    await customer.locator('#status', { hasText: 'Waiting for an agent' }).waitFor();
    const queued = agent.locator(`[data-testid="queue-list"] [data-conversation-id="${conversationId}"]`);
    await queued.waitFor();
    await expect(queued.locator('[data-testid="item-name"]').textContent()).resolves.toBe('Wendy Widget');
    await queued.click();
    for (const [author, text] of [['user', 'My kettle arrived broken'], ['bot', 'You said: My kettle arrived broken'], ['user', 'I want to talk to a human']] as const) {
      await log().locator(`[data-testid="message"][data-author-type="${author}"]`, { hasText: text }).first().waitFor();
    }
    await snap('queued with everything said');
  });

  it('should show the agent\'s answer in the widget, with the bot silent meanwhile', async () => {
    await agent.click('[data-testid="accept-button"]');
    await customer.locator('#status', { hasText: 'Chatting with an agent' }).waitFor();
    await agent.locator('[data-testid="composer-input"]').fill('Hi Wendy, Alice here. Sorry about the kettle!');
    await agent.click('[data-testid="send-button"]');
    await widgetSays('agent', 'Hi Wendy, Alice here. Sorry about the kettle!');
    await customerTypes('Can I get a new one?');
    await log().locator('[data-testid="message"][data-author-type="user"]', { hasText: 'Can I get a new one?' }).waitFor();
    await agent.locator('[data-testid="composer-input"]').fill('Yes, it ships today.');
    await agent.click('[data-testid="send-button"]');
    await widgetSays('agent', 'Yes, it ships today.');
    // The line the customer wrote to the agent was not the bot's to answer.
    await expect(customer.locator('#log .msg--bot', { hasText: 'Can I get a new one?' }).count()).resolves.toBe(0);
    await snap('agent answers');
  });

  it('should give the conversation back to the bot when the agent leaves', async () => {
    await agent.click('[data-testid="end-button"]');
    await customer.locator('#status', { hasText: 'Chat ended' }).waitFor();
    await customerTypes('Thanks! Bot again?');
    await widgetSays('bot', 'You said: Thanks! Bot again?');
    await customer.locator('#status', { hasText: 'Chatting with our assistant' }).waitFor();
    await snap('back to the bot');
  });
});
