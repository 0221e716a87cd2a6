/**
 * The agent console driven in headless Chromium over real HTTP: a bot hands a customer over with a
 * history, an agent works the conversation in the console, and the emulator's webhooks (caught by a
 * small local receiver) show what 8x8 would tell the bot.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync } from 'node:zlib';
import crc32 from 'crc-32';
import axios, { type AxiosInstance } from 'axios';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startEmulator } from '../../src/emulator';
import { launchBrowser, saveScreenshot } from '../support/browser';

const SUITE = 'agent-console';
const API_KEY = 'console-test-key';
/** A 160x90 PNG with a vertical gradient, built here so the test needs no fixture file. */
const PNG = gradientPng(160, 90);

function gradientPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const frame = Buffer.alloc(8 + data.length + 4);
    frame.writeUInt32BE(data.length, 0);
    body.copy(frame, 4);
    frame.writeInt32BE(crc32.buf(body), 8 + data.length);
    return frame;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const rows = Array.from({ length: height }, (_, y) => {
    const row = Buffer.alloc(1 + width * 3); // filter byte 0, then RGB pixels
    for (let x = 0; x < width; x++) row.set([47, 91 + Math.round((y / height) * 100), 234], 1 + x * 3);
    return row;
  });
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
interface ReceivedEvent {
  eventType: string;
  conversationId?: string;
  data?: Record<string, unknown>;
}

/** Collects the emulator's webhook deliveries and answers 200, like a bot's webhook would. */
async function startReceiver(): Promise<{ server: Server; url: string; events: ReceivedEvent[] }> {
  const events: ReceivedEvent[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      events.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReceivedEvent);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`, events };
}

/** Polls `probe` until it returns a value (not undefined/false) or `timeoutMs` passes. */
async function eventually<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const adaptiveCard = (text: string) => ({
  contentType: 'application/vnd.microsoft.card.adaptive',
  content: { type: 'AdaptiveCard', version: '1.3', body: [{ type: 'TextBlock', text, weight: 'Bolder' }] },
});

describe('agent console', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let emulator: Emulator;
  let api: AxiosInstance;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let conversationId: string;

  const consoleUrl = () => `${emulator.url}/console/`;
  const eventsOf = (type: string, id = conversationId) => receiver.events.filter((e) => e.eventType === type && e.conversationId === id);
  const item = (p: Page, list: string, id: string) => p.locator(`[data-testid="${list}-list"] [data-conversation-id="${id}"]`);

  async function createConversation(name: string, history: unknown[] = []): Promise<string> {
    const response = await api.post('/chat-gateway/v1/conversations', {
      channelId: 'emulator-channel',
      user: {
        name,
        email: `${name.split(' ')[0].toLowerCase()}@example.com`,
        language: 'de',
        additionalProperties: [{ key: 'plan', value: 'Gold' }, { key: 'intent', value: 'refund' }],
      },
      assignment: { type: 'queue', id: 'support' },
      history: { messages: history },
    });
    expect(response.status).toBe(202);
    return (response.data as { conversationId: string }).conversationId;
  }

  async function openConsole(agentId: string): Promise<Page> {
    const tab = await context.newPage();
    await tab.goto(consoleUrl());
    await tab.locator('[data-testid="connection-status"][data-state="live"]').waitFor();
    await tab.selectOption('[data-testid="agent-picker"]', agentId);
    return tab;
  }

  beforeAll(async () => {
    receiver = await startReceiver();
    emulator = await startEmulator({
      port: 0,
      apiKey: API_KEY,
      webhookUrl: receiver.url,
      queues: [{ id: 'support', name: 'Support' }, { id: 'billing', name: 'Billing' }],
    });
    api = axios.create({ baseURL: emulator.url, headers: { 'x-api-key': API_KEY }, validateStatus: () => true });
    conversationId = await createConversation('Dana Customer', [
      { authorType: 'user', text: 'My parcel never arrived' },
      { authorType: 'bot', text: 'Here is what I found:', cards: [adaptiveCard('Order #10482 is delayed')] },
      {
        authorType: 'bot',
        text: 'What would you like to do?',
        cards: [{ contentType: 'application/8x8.quick.replies', content: { options: [{ title: 'Refund', data: { postback: 'refund' } }, { title: 'Talk to a person' }] } }],
      },
      { authorType: 'user', text: 'Talk to a person' },
    ]);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await openConsole('agent-1');
  });

  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
    await new Promise((resolve) => receiver?.server.close(resolve));
  });

  it('should list the waiting customer with the screen-pop when a bot hands over', async () => {
    const queued = item(page, 'queue', conversationId);
    await queued.waitFor();
    await expect(queued.locator('[data-testid="item-name"]').textContent()).resolves.toBe('Dana Customer');
    await expect(queued.locator('[data-testid="item-email"]').textContent()).resolves.toBe('dana@example.com');
    await expect(queued.locator('[data-testid="item-language"]').textContent()).resolves.toBe('de');
    await expect(queued.locator('[data-testid="item-queue"]').textContent()).resolves.toBe('Support');
    await expect(queued.locator('[data-testid="item-prop"]').allTextContents()).resolves.toEqual(['plan: Gold', 'intent: refund']);
    await saveScreenshot(page, SUITE, 'queue with screen-pop');
  });

  it('should show the history with the rendered Adaptive Card and quick replies when the agent selects it', async () => {
    await item(page, 'queue', conversationId).click();
    const log = page.locator('[data-testid="message-log"]');
    await expect(log.locator('[data-testid="message"]').count()).resolves.toBe(4);
    await expect(log.locator('[data-testid="message"][data-author-type="bot"][data-from-history="true"]').count()).resolves.toBe(2);
    const rendered = log.locator('[data-testid="adaptive-card"] .ac-adaptiveCard');
    await expect(rendered.textContent()).resolves.toContain('Order #10482 is delayed');
    await expect(log.locator('[data-testid="quick-reply"]').allTextContents()).resolves.toEqual(['Refund', 'Talk to a person']);
    await expect(page.locator('[data-testid="pop-prop"][data-key="intent"]').textContent()).resolves.toBe('refund');
    await saveScreenshot(page, SUITE, 'history selected');
  });

  it('should assign the conversation and deliver agent joined when the agent accepts', async () => {
    await page.click('[data-testid="accept-button"]');
    await item(page, 'mine', conversationId).waitFor();
    const joined = await eventually('MEMBERS_CHANGED joined', () =>
      eventsOf('MEMBERS_CHANGED').find((e) => e.data?.change === 'joined' && e.data?.memberType === 'agent'));
    expect(joined.data?.id).toBe('agent-1');
    const conversation = await api.get(`/chat-gateway/v1/conversations/${conversationId}`);
    expect(conversation.data.assignment).toEqual({ type: 'agent', id: 'agent-1' });
    await saveScreenshot(page, SUITE, 'accepted');
  });

  it('should deliver typing activity for the agent when the agent types', async () => {
    await page.locator('[data-testid="composer-input"]').pressSequentially('Hello Dana', { delay: 10 });
    const typing = await eventually('ACTIVITY typing', () =>
      eventsOf('ACTIVITY').find((e) => e.data?.name === 'typing' && JSON.stringify(e.data?.value).includes('agent-1')));
    expect(typing.data?.value).toEqual({ users: [{ type: 'agent', id: 'agent-1' }] });
    await saveScreenshot(page, SUITE, 'typing');
  });

  it('should deliver the reply as a MESSAGE with isEcho false when the agent sends text', async () => {
    await page.fill('[data-testid="composer-input"]', 'Hello Dana, I am on it.');
    await page.click('[data-testid="send-button"]');
    const message = await eventually('agent MESSAGE', () => eventsOf('MESSAGE').find((e) => e.data?.text === 'Hello Dana, I am on it.'));
    expect(message.data).toMatchObject({ isEcho: false, sender: { type: 'agent', id: 'agent-1' } });
    await eventually('typing stopped', () => eventsOf('ACTIVITY').find((e) => JSON.stringify(e.data?.value) === '{"users":[]}'));
    const stored = await api.get(`/chat-gateway/v1/conversations/${conversationId}/messages`);
    expect(JSON.stringify(stored.data)).toContain('Hello Dana, I am on it.');
    await expect(page.locator('[data-testid="composer-input"]').inputValue()).resolves.toBe('');
    await page.locator('[data-testid="message"][data-author-type="agent"]').first().waitFor();
    await saveScreenshot(page, SUITE, 'reply sent');
  });

  it('should show a customer message live without a reload when the bot posts one', async () => {
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    const posted = await api.post(`/chat-gateway/v1/conversations/${conversationId}/messages`, { authorType: 'user', text: 'Thanks, any news?' });
    expect(posted.status).toBe(202);
    await page.locator('[data-testid="message"][data-author-type="user"]', { hasText: 'Thanks, any news?' }).waitFor();
    await expect(page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).resolves.toBe(true);
    await saveScreenshot(page, SUITE, 'live customer message');
  });

  it('should send an Adaptive Card picked from the samples', async () => {
    await page.click('[data-testid="card-button"]');
    await page.selectOption('[data-testid="card-sample"]', 'order-status');
    await page.locator('[data-testid="card-preview"] .ac-adaptiveCard').waitFor();
    await saveScreenshot(page, SUITE, 'card dialog');
    await page.click('[data-testid="card-send"]');
    const message = await eventually('card MESSAGE', () =>
      eventsOf('MESSAGE').find((e) => Array.isArray(e.data?.cards) && (e.data.cards as unknown[]).length > 0 && e.data?.isEcho === false));
    expect(JSON.stringify(message.data?.cards)).toContain('Your order is on its way');
    await page.locator('[data-testid="message"][data-author-type="agent"] .ac-adaptiveCard', { hasText: 'Your order is on its way' }).waitFor();
    await saveScreenshot(page, SUITE, 'card sent');
  });

  it('should refuse to send card JSON that is not valid', async () => {
    await page.click('[data-testid="card-button"]');
    await page.fill('[data-testid="card-json"]', '{ "type": "AdaptiveCard", ');
    await expect(page.locator('[data-testid="card-error"]').textContent()).resolves.toContain('Not valid JSON');
    await expect(page.locator('[data-testid="card-send"]').isDisabled()).resolves.toBe(true);
    await page.click('[data-testid="card-cancel"]');
  });

  it('should send a file that the bot can download and the console shows inline', async () => {
    await page.setInputFiles('[data-testid="file-input"]', { name: 'parcel.png', mimeType: 'image/png', buffer: PNG });
    await page.click('[data-testid="send-button"]');
    const message = await eventually('file MESSAGE', () =>
      eventsOf('MESSAGE').find((e) => Array.isArray(e.data?.attachments) && (e.data.attachments as unknown[]).length > 0));
    const [attachment] = message.data?.attachments as Array<{ preSignedUrl: string; fileName: string }>;
    expect(attachment.fileName).toBe('parcel.png');
    const bytes = await axios.get(attachment.preSignedUrl, { responseType: 'arraybuffer' });
    expect(Buffer.from(bytes.data as ArrayBuffer).equals(PNG)).toBe(true);
    const image = page.locator('[data-testid="message"][data-author-type="agent"] [data-testid="attachment-image"]');
    await eventually('image decoded', () => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth === 160));
    const download = await page.locator('[data-testid="attachment-download"]').last().getAttribute('href');
    const downloaded = await axios.get(new URL(download!, emulator.url).href, { responseType: 'arraybuffer' });
    expect(Buffer.from(downloaded.data as ArrayBuffer).equals(PNG)).toBe(true);
    await saveScreenshot(page, SUITE, 'file sent');
  });

  it('should keep the scroll position when a message arrives while the agent reads older messages', async () => {
    const log = page.locator('[data-testid="message-log"]');
    await expect(log.evaluate((el) => el.scrollHeight > el.clientHeight)).resolves.toBe(true);
    await log.evaluate((el) => { el.scrollTop = 0; });
    await api.post(`/chat-gateway/v1/conversations/${conversationId}/messages`, { authorType: 'user', text: 'Still there?' });
    await log.locator('[data-testid="message"]', { hasText: 'Still there?' }).waitFor();
    await expect(log.evaluate((el) => el.scrollTop)).resolves.toBe(0);
    await expect(page.locator('[data-testid="conversation-title"]').textContent()).resolves.toBe('Dana Customer');
  });

  it('should leave the conversation idle and deliver agent left when the agent ends it', async () => {
    await page.click('[data-testid="end-button"]');
    await item(page, 'ended', conversationId).waitFor();
    await eventually('MEMBERS_CHANGED left', () => eventsOf('MEMBERS_CHANGED').find((e) => e.data?.change === 'left' && e.data?.id === 'agent-1'));
    await eventually('CONVERSATION_UPDATE idle', () => eventsOf('CONVERSATION_UPDATE').find((e) => e.data?.state === 'idle'));
    const conversation = await api.get(`/chat-gateway/v1/conversations/${conversationId}`);
    expect(conversation.data.state).toBe('idle');
    await expect(page.locator('[data-testid="composer-input"]').isDisabled()).resolves.toBe(true);
    await page.locator('[data-testid="ended-notice"]').waitFor();
    await saveScreenshot(page, SUITE, 'ended');
  });

  describe('with two agents in two tabs', () => {
    let bob: Page;
    let second: string;

    beforeAll(async () => {
      second = await createConversation('Erik Kunde', [{ authorType: 'user', text: 'Hallo, ich brauche Hilfe' }]);
      bob = await openConsole('agent-2');
    });

    afterAll(async () => {
      await bob?.close();
      await page.bringToFront();
    });

    it('should take the conversation out of the other agent\'s queue when one agent accepts it', async () => {
      await item(page, 'queue', second).waitFor();
      await item(bob, 'queue', second).waitFor();
      await saveScreenshot(bob, SUITE, 'two tabs both see the queue');
      await item(bob, 'queue', second).click();
      await bob.click('[data-testid="accept-button"]');
      await item(bob, 'mine', second).waitFor();
      await page.bringToFront();
      await item(page, 'queue', second).waitFor({ state: 'detached' });
      await item(page, 'others', second).waitFor();
      await saveScreenshot(page, SUITE, 'other agent took it');
    });

    it('should queue the conversation in the target queue when the agent transfers it', async () => {
      await bob.bringToFront();
      await bob.selectOption('[data-testid="transfer-queue"]', 'billing');
      await bob.click('[data-testid="transfer-button"]');
      await eventually('TRANSFER', () => eventsOf('TRANSFER', second)[0]);
      // Chromium throttles background tabs; the agent works in the tab in front.
      await page.bringToFront();
      const queued = item(page, 'queue', second);
      await expect(queued.locator('[data-testid="item-queue"]').textContent()).resolves.toBe('Billing');
      await queued.click();
      await page.click('[data-testid="accept-button"]');
      await eventually('the new agent joined', () =>
        eventsOf('MEMBERS_CHANGED', second).find((e) => e.data?.change === 'joined' && e.data?.id === 'agent-1'));
      expect(eventsOf('MEMBERS_CHANGED', second).map((e) => `${String(e.data?.id)} ${String(e.data?.change)}`))
        .toEqual(['agent-2 joined', 'agent-2 left', 'agent-1 joined']);
      await saveScreenshot(page, SUITE, 'transferred and accepted');
    });

    it('should show the customer typing and then leaving when the bot reports both', async () => {
      const typing = await api.post(`/chat-gateway/v1/conversations/${second}/typing`, { authorType: 'user' });
      expect(typing.status).toBe(204);
      await page.locator('[data-testid="user-typing"]').waitFor({ state: 'visible' });
      await saveScreenshot(page, SUITE, 'customer typing');
      const left = await api.patch(`/chat-gateway/v1/conversations/${second}/participants/user`, { removed: true });
      expect(left.status).toBe(204);
      await page.locator('[data-testid="user-left-notice"]').waitFor({ state: 'visible' });
      await item(page, 'ended', second).waitFor();
      await expect(page.locator('[data-testid="user-typing"]').isHidden()).resolves.toBe(true);
      await expect(page.locator('[data-testid="composer-input"]').isDisabled()).resolves.toBe(true);
      await saveScreenshot(page, SUITE, 'customer left');
    });

    it('should keep each tab\'s agent when the tabs reload', async () => {
      for (const [tab, agentId] of [[bob, 'agent-2'], [page, 'agent-1']] as const) {
        await tab.bringToFront();
        await tab.reload();
        await tab.locator('[data-testid="connection-status"][data-state="live"]').waitFor();
        await expect(tab.locator('[data-testid="agent-picker"]').inputValue()).resolves.toBe(agentId);
      }
    });
  });

  describe('when the connection to the emulator drops', () => {
    it('should show the connection-lost banner and resume live updates after a restart', async () => {
      const port = Number(new URL(emulator.url).port);
      await emulator.close();
      await page.locator('[data-testid="connection-banner"]').waitFor({ state: 'visible' });
      await saveScreenshot(page, SUITE, 'connection lost');
      emulator = await startEmulator({ port, apiKey: API_KEY, webhookUrl: receiver.url });
      const fresh = await createConversation('Fresh Start');
      await item(page, 'queue', fresh).waitFor({ timeout: 15_000 });
      await page.locator('[data-testid="connection-banner"]').waitFor({ state: 'hidden' });
      await saveScreenshot(page, SUITE, 'reconnected');
    });
  });
});
