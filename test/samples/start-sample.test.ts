/**
 * The whole sample in-process on port 0 with the embedded emulator on port 0: a customer over the
 * local Direct Line, the echo bot behind CloudAdapter and the handoff middleware, and a scripted
 * agent in the emulator. Everything goes over real HTTP on 127.0.0.1.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { silentLogger } from '../../src/logger';
import { ConfigurationError } from '../../src/errors';
import { startSample, type RunningSample } from '../../samples/echo-to-agent/src/start-sample';
import { WELCOME_TEXT } from '../../samples/echo-to-agent/src/bot/echo-bot';
import { TestDirectLine } from './support/directline-client';

let sample: RunningSample;
const banner: string[] = [];

beforeAll(async () => {
  sample = await startSample({ env: {}, port: 0, emulatorPort: 0, logger: process.env.DEBUG_SAMPLE ? { ...silentLogger, error: (o: object, m?: string) => console.error(m, o), warn: (o: object, m?: string) => console.error(m, o) } : silentLogger, out: (line) => banner.push(line) });
});

afterAll(async () => {
  await sample?.close();
});

const directLine = () => TestDirectLine.start(`${sample.url.replace('localhost', '127.0.0.1')}/v3/directline`, `dl_${Math.random().toString(36).slice(2)}`);

describe('#startSample()', () => {
  it('should print the chat page, the agent console and that auth is off when started without 8x8 or Microsoft credentials', () => {
    const text = banner.join('\n');
    expect(text).toContain(`Customer chat:   ${sample.url}/`);
    expect(text).toContain(`Agent console:   ${sample.consoleUrl}`);
    expect(text).toMatch(/auth is OFF .*127\.0\.0\.1 only/);
  });

  it('should print the addresses the servers really bound, and they answer', async () => {
    expect(sample.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sample.consoleUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/console\/$/);
    expect((await fetch(`${sample.url}/`)).status).toBe(200);
    expect((await fetch(sample.consoleUrl!)).status).toBe(200);
  });

  it("should redirect the emulator's root to the agent console", async () => {
    const root = sample.consoleUrl!.replace(/\/console\/$/, '/');
    const redirect = await fetch(root, { redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).toEqual([302, '/console/']);
    const followed = await fetch(root);
    expect([followed.url, followed.status]).toEqual([sample.consoleUrl, 200]);
    expect(await followed.text()).toMatch(/<title>[^<]*console/i);
  });

  it('should give the embedded emulator two queues, so a conversation can be transferred', async () => {
    const state = (await (await fetch(`${sample.consoleUrl}api/state`)).json()) as { queues: Array<{ id: string; name: string }> };
    expect(state.queues.map((q) => [q.id, q.name])).toEqual([['support', 'Support'], ['billing', 'Billing']]);
  });

  it('should serve the chat page and the Web Chat bundle from node_modules', async () => {
    const base = sample.url.replace('localhost', '127.0.0.1');
    const page = await fetch(`${base}/`);
    const bundle = await fetch(`${base}/vendor/webchat.js`);
    const config = await (await fetch(`${base}/sample-config.json`)).json();
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/vendor/webchat.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    await bundle.arrayBuffer();
    expect(config).toEqual({ consoleUrl: sample.emulator!.consoleUrl, widgetUrl: sample.emulator!.widgetUrl });
  });

  it('should echo a user message when no handoff is active', async () => {
    const dl = await directLine();
    await dl.botSays(WELCOME_TEXT);
    await dl.say('ping');
    await dl.botSays('You said: ping');
  });

  it('should hand the conversation to an agent and back when the user types agent', async () => {
    const dl = await directLine();
    await dl.say('hello bot');
    await dl.botSays('You said: hello bot');
    await dl.say('I want an agent');
    await dl.botSays(/Connecting you with a person/);
    const conversation = await sample.emulator!.waitForConversation((c) => c.messages.some((m) => m.text === 'hello bot'));
    expect(conversation.messages.filter((m) => m.fromHistory).map((m) => m.text)).toEqual(expect.arrayContaining(['hello bot', 'You said: hello bot']));

    const agent = sample.emulator!.agent('agent-1');
    await agent.accept(conversation.id);
    await dl.botSays(/joined the conversation/);
    await agent.say('Hi, I am Alice. How can I help?');
    await dl.botSays('Hi, I am Alice. How can I help?');
    await dl.say('my order is late');
    await agent.waitForMessage(conversation.id, (m) => m.authorType === 'user' && m.text === 'my order is late');

    await agent.leave(conversation.id);
    await dl.botSays(/chatting with the bot again/);
    await dl.say('are you the bot?');
    await dl.botSays('You said: are you the bot?');
  });

  it('should escalate through handoff.initiate when the user says help me and confirms', async () => {
    const dl = await directLine();
    await dl.say('help me');
    await dl.botSays(/Would you like to talk to a person\?/);
    await dl.say('yes');
    await dl.botSays(/Connecting you with a person/);
    await sample.emulator!.waitForConversation((c) => c.messages.some((m) => m.text === 'help me'));
  });

  it('should give the agent the file when the user uploads an image during a handoff', async () => {
    const dl = await directLine();
    await dl.say('human please');
    const conversation = await sample.emulator!.waitForConversation((c) => c.messages.some((m) => m.text === 'human please'));
    const agent = sample.emulator!.agent('agent-2');
    await agent.accept(conversation.id);
    await dl.botSays(/joined the conversation/);
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    expect((await dl.upload([{ name: 'receipt.png', type: 'image/png', bytes: png }])).status).toBe(200);
    const message = await agent.waitForMessage(conversation.id, (m) => m.authorType === 'user' && m.attachments.length > 0);
    expect(message.attachments[0]).toMatchObject({ filename: 'receipt.png', contentType: 'image/png', sizeInBytes: png.length });
    const bytes = Buffer.from(await (await fetch(message.attachments[0].url)).arrayBuffer());
    expect(bytes).toEqual(png);
    await agent.leave(conversation.id);
  });

  it('should give the user an agent\'s file as a link to the sample\'s /api/8x8/files route, which fetches it from 8x8 by id', async () => {
    const dl = await directLine();
    await dl.say('agent please');
    const conversation = await sample.emulator!.waitForConversation((c) => c.messages.some((m) => m.text === 'agent please'));
    const agent = sample.emulator!.agent('agent-1');
    await agent.accept(conversation.id);
    await dl.botSays(/joined the conversation/);
    await agent.say('Your invoice', { conversationId: conversation.id, attachments: [{ filename: 'invoice.pdf', contentType: 'application/pdf', data: Buffer.from('%PDF-1.4 invoice') }] });
    const reply = await dl.botSays('Your invoice');
    const file = reply.attachments?.[0];
    expect(file).toMatchObject({ name: 'invoice.pdf', contentType: 'application/pdf' });
    const link = new URL(file!.contentUrl!);
    expect(`${link.origin}${link.pathname}`).toMatch(new RegExp(`^${sample.url.replace('localhost', '127.0.0.1').replace(/[.]/g, '\\.')}/api/8x8/files/`));
    const res = await fetch(link);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('%PDF-1.4 invoice');
    await agent.leave(conversation.id);
  });

  it("should reply through the caller's serviceUrl when a Bot Framework Emulator-style client posts to /api/messages", async () => {
    const replies: Array<{ text?: string; replyToId?: string }> = [];
    const connector = express().post('/v3/conversations/:id/activities/:replyTo', express.json(), (req, res) => {
      replies.push(req.body as { text?: string; replyToId?: string });
      res.json({ id: `reply-${replies.length}` });
    }).listen(0, '127.0.0.1');
    await once(connector, 'listening');
    try {
      const serviceUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}`;
      const res = await fetch(`${sample.url.replace('localhost', '127.0.0.1')}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message', id: 'emu-1', text: 'from the emulator', channelId: 'emulator', serviceUrl,
          from: { id: 'emu-user', name: 'User' }, recipient: { id: 'bot', name: 'Bot' }, conversation: { id: 'emu-conv' },
        }),
      });
      expect(res.status).toBe(200);
      expect(replies).toEqual([expect.objectContaining({ text: 'You said: from the emulator', replyToId: 'emu-1' })]);
    } finally {
      connector.closeAllConnections();
      await new Promise((resolve) => connector.close(resolve));
    }
  });

  it('should refuse unauthenticated channel requests and turn the local chat off when MicrosoftAppId is set', async () => {
    const lines: string[] = [];
    const secured = await startSample({
      env: { MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-used-offline' },
      port: 0, emulatorPort: 0, logger: silentLogger, out: (line) => lines.push(line),
    });
    try {
      const base = secured.url.replace('localhost', '127.0.0.1');
      const res = await fetch(`${base}/api/messages`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: 'hi', serviceUrl: 'http://127.0.0.1:1', channelId: 'emulator', conversation: { id: 'c' }, from: { id: 'u' }, recipient: { id: 'b' } }),
      });
      expect(res.status).toBe(401);
      expect((await fetch(`${base}/v3/directline/tokens/generate`, { method: 'POST' })).status).toBe(404);
      expect(secured.directLine).toBeUndefined();
      expect(lines.join('\n')).toMatch(/auth is ON/);
    } finally {
      await secured.close();
    }
  });

  it('should reject with one line naming the variable and leave no server open when the environment is incomplete', async () => {
    const attempt = startSample({ env: { EIGHTX8_API_KEY: 'k', EIGHTX8_QUEUE_ID: 'q' }, port: 0, logger: silentLogger, out: () => undefined });
    await expect(attempt).rejects.toBeInstanceOf(ConfigurationError);
    await expect(attempt).rejects.toThrow(/^Invalid option `EIGHTX8_CHANNEL_ID`: is missing[^\n]*$/);
  });
});
