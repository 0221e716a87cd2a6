/**
 * Acceptance (black box): HandoffMiddleware (issue 4) through a botbuilder TestAdapter with
 * proactive sends, against the emulator, with `handoff.webhook()` on a real express server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { MemoryStorage, TurnContext, type Activity } from 'botbuilder-core';
import { EventFactory } from 'botbuilder';
import {
  ChatGatewayClient, DEFAULT_MESSAGES, HandoffMiddleware, silentLogger, triggers, type HandoffStatus,
} from 'botbuilder-8x8-handoff';
import { startEmulator, type Emulator } from 'botbuilder-8x8-handoff/emulator';
import { ProactiveAdapter } from './support/proactive-adapter';

const API_KEY = 'acceptance-key';
let emu: Emulator;
let server: http.Server;
let client: ChatGatewayClient;
let handoff: HandoffMiddleware;
let adapter: ProactiveAdapter;
const statuses: Array<{ conversationId: string; state: string; message?: string }> = [];
const botStatusEvents: Array<{ conversationId: string; value: any }> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
let route: express.RequestHandler = (_req, res) => void res.status(503).end();

/** The bot's own logic: echoes, and a few commands that exercise the handoff API. */
async function bot(context: TurnContext): Promise<void> {
  const text = context.activity.text ?? '';
  if (context.activity.type !== 'message') return;
  if (text === 'initiate') {
    await context.sendActivity(EventFactory.createHandoffInitiation(context, { queueId: 'q-sales' }));
    return;
  }
  if (text === 'explicit') {
    await handoff.escalate(context, { queueId: 'q-sales', reason: 'explicit request', properties: { Tier: 'gold' } });
    return;
  }
  await context.sendActivity(`echo: ${text}`);
}

beforeAll(async () => {
  const app = express();
  app.post('/api/8x8/webhook', (req, res, next) => route(req, res, next));
  app.use('/api/messages', express.json());
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  emu = await startEmulator({
    port: 0, apiKey: API_KEY, webhookUrl: `${botUrl}/api/8x8/webhook`,
    queues: [{ id: 'q-support', name: 'Support' }, { id: 'q-sales', name: 'Sales' }],
    agents: [{ id: 'agent-1', name: 'Alice Agent' }, { id: 'agent-2', name: 'Bob Agent' }],
    delivery: { baseDelayMs: 20, retries: 3, timeoutMs: 2000 },
  });
  client = new ChatGatewayClient({ apiKey: API_KEY, baseUrl: emu.url, logger: silentLogger, retry: { retries: 0 } });
  adapter = new ProactiveAdapter(bot);
  handoff = new HandoffMiddleware({
    gateway: client, channelId: emu.channelId, queueId: 'q-support', adapter, botAppId: 'test-app-id',
    storage: new MemoryStorage(), logger: silentLogger, cooldownMs: 0,
    triggers: [triggers.keywords(['agent', 'human']), triggers.handoffInitiate()],
    onStatus: (s: HandoffStatus) => void statuses.push({ conversationId: s.reference.conversation?.id ?? '', state: s.state, message: s.message }),
    bot: { run: async (ctx) => void botStatusEvents.push({ conversationId: ctx.activity.conversation.id, value: ctx.activity.value }) },
    webhook: { baseUrl: emu.url, logger: silentLogger },
    onError: () => undefined,
  });
  adapter.use(handoff);
  route = handoff.webhook();
});

afterAll(async () => {
  await handoff.whenIdle();
  await emu.close();
  client.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterEach(() => {
  emu.faults.apiErrors = [];
  emu.faults.delivery = {};
});

let seq = 0;
function newUser() {
  seq += 1;
  const conversationId = `bot-conv-${seq}-${Date.now()}`;
  const name = `Customer ${seq}`;
  const say = (text: string, extra: Partial<Activity> = {}) => adapter.receiveActivity({
    type: 'message', text, conversation: { id: conversationId } as Activity['conversation'],
    from: { id: `user-${seq}`, name }, recipient: { id: 'bot', name: 'Bot' }, channelId: 'test', locale: 'en-US', ...extra,
  });
  const replies = () => adapter.sentTo(conversationId);
  const texts = () => replies().filter((a) => a.type === 'message').map((a) => a.text ?? '');
  return { conversationId, name, say, replies, texts };
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 6000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

const gatewayConversationOf = (name: string) => emu.waitForConversation((c) => c.user.name === name, { timeoutMs: 6000 });
const statusOf = (conversationId: string, state: string) => until(`handoff.status ${state}`, () => statuses.find((s) => s.conversationId === conversationId && s.state === state));

describe('HandoffMiddleware (acceptance)', () => {
  it('should run the full path: keyword escalation, history, agent joins and speaks, user replies, agent leaves, bot answers again', async () => {
    const u = newUser();
    await u.say('hello');
    expect(u.texts()).toEqual(['echo: hello']);

    await u.say('I want to talk to a human');
    await until('the connecting notice', () => u.texts().includes(DEFAULT_MESSAGES.connecting));
    const conv = await gatewayConversationOf(u.name);
    expect(conv.queueId).toBe('q-support');
    // What 8x8 received, read through the API (oldest first).
    const listed = (await client.listMessages(conv.id, { size: 50 }))._embedded.messages;
    const history = listed.map((m) => [m.author.type, m.text]);
    expect(history).toEqual(expect.arrayContaining([['user', 'hello'], ['bot', 'echo: hello'], ['user', 'I want to talk to a human']]));
    expect(emu.conversation(conv.id)!.messages.filter((m) => m.fromHistory).map((m) => m.text)).toEqual(['hello', 'echo: hello', 'I want to talk to a human']);

    await statusOf(u.conversationId, 'accepted');
    await until('handoff.status reaching the bot', () => botStatusEvents.find((e) => e.conversationId === u.conversationId && e.value?.state === 'accepted'));

    await emu.agent('agent-1').accept(conv.id);
    await until('an agent-joined notice', () => u.texts().find((t) => /joined/i.test(t) && /Alice Agent|agent/i.test(t)));
    await emu.agent('agent-1').say('Hi, I am Alice. How can I help?');
    await until('the agent message', () => u.texts().includes('Hi, I am Alice. How can I help?'));

    await u.say('my order is late');
    const relayed = await emu.agent('agent-1').waitForMessage(conv.id, (m) => m.text === 'my order is late', { timeoutMs: 6000 });
    expect(relayed.authorType).toBe('user');
    expect(relayed.fromHistory).toBe(false);
    expect(u.texts()).not.toContain('echo: my order is late');
    await handoff.whenIdle();
    // The echo of the user's own message (isEcho true) must not come back to the user.
    expect(u.texts().filter((t) => t === 'my order is late')).toEqual([]);

    await emu.agent('agent-1').leave();
    await until('the agent-left notice', () => u.texts().includes(DEFAULT_MESSAGES.agentLeft));
    await statusOf(u.conversationId, 'completed');

    await u.say('hello again');
    expect(u.texts()).toContain('echo: hello again');
    expect(adapter.proactiveAppIds.every((id) => id === 'test-app-id')).toBe(true);
  });

  it('should relay agent typing as a typing activity', async () => {
    const u = newUser();
    await u.say('agent please');
    const conv = await gatewayConversationOf(u.name);
    await statusOf(u.conversationId, 'accepted');
    await emu.agent('agent-1').accept(conv.id);
    await emu.agent('agent-1').typing(true, conv.id);
    await until('a typing activity', () => u.replies().find((a) => a.type === 'typing'));
    await emu.agent('agent-1').leave(conv.id);
    await statusOf(u.conversationId, 'completed');
  });

  it('should relay an agent attachment as a contentUrl the user can open (small files inline, issue 10) and an Adaptive Card as an attachment', async () => {
    const u = newUser();
    await u.say('human');
    const conv = await gatewayConversationOf(u.name);
    await statusOf(u.conversationId, 'accepted');
    const agent = emu.agent('agent-1');
    await agent.accept(conv.id);
    const card = { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.3', body: [{ type: 'TextBlock', text: 'Rate us' }] } };
    await agent.say('files for you', { conversationId: conv.id, attachments: [{ filename: 'guide.txt', contentType: 'text/plain', data: 'guide' }], cards: [card] });
    const attachments = () => u.replies().flatMap((a) => a.attachments ?? []);
    const file = await until('the agent file', () => attachments().find((a) => a.name === 'guide.txt'));
    const all = attachments();
    expect(file?.contentUrl).toMatch(/^(http|data:)/);
    expect(await (await fetch(file!.contentUrl!)).text()).toBe('guide');
    expect(all.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content).toMatchObject({ type: 'AdaptiveCard' });
    await agent.leave(conv.id);
    await statusOf(u.conversationId, 'completed');
  });

  it('should not end the handoff on the agent-left that follows a TRANSFER', async () => {
    const u = newUser();
    await u.say('agent');
    const conv = await gatewayConversationOf(u.name);
    await statusOf(u.conversationId, 'accepted');
    await emu.agent('agent-1').accept(conv.id);
    await emu.agent('agent-1').transfer('q-sales', conv.id);
    await emu.waitForConversation((c) => c.id === conv.id && c.status === 'queued' && c.queueId === 'q-sales');
    await handoff.whenIdle();
    await u.say('still there?');
    await emu.agent('agent-2').waitForMessage(conv.id, (m) => m.text === 'still there?', { timeoutMs: 6000 });
    expect(u.texts()).not.toContain('echo: still there?');
    expect(statuses.filter((s) => s.conversationId === u.conversationId).map((s) => s.state)).not.toContain('completed');
    await emu.agent('agent-2').accept(conv.id);
    await emu.agent('agent-2').say('Bob here', { conversationId: conv.id });
    await until('the second agent message', () => u.texts().includes('Bob here'));
    await emu.agent('agent-2').leave(conv.id);
    await statusOf(u.conversationId, 'completed');
  });

  it('should forward a user attachment (uploaded to 8x8) and a card submit as readable text while the handoff is active', async () => {
    const u = newUser();
    await u.say('agent');
    const conv = await gatewayConversationOf(u.name);
    await statusOf(u.conversationId, 'accepted');
    await emu.agent('agent-1').accept(conv.id);
    await u.say('', { attachments: [{ name: 'receipt.txt', contentType: 'text/plain', contentUrl: `data:text/plain;base64,${Buffer.from('receipt 42').toString('base64')}` }] });
    const withFile = await emu.agent('agent-1').waitForMessage(conv.id, (m) => m.attachments.some((a) => a.filename === 'receipt.txt'), { timeoutMs: 6000 });
    expect(withFile.authorType).toBe('user');
    expect(await (await fetch(withFile.attachments[0].url)).text()).toBe('receipt 42');
    await u.say(undefined as unknown as string, { value: { rating: '5', comment: 'great' } });
    const submit = await emu.agent('agent-1').waitForMessage(conv.id, (m) => /great/.test(m.text), { timeoutMs: 6000 });
    expect(submit.authorType).toBe('user');
    await emu.agent('agent-1').leave(conv.id);
    await statusOf(u.conversationId, 'completed');
  });

  it('should relay an agent message once when 8x8 delivers its webhook twice', async () => {
    const u = newUser();
    await u.say('agent');
    const conv = await gatewayConversationOf(u.name);
    await statusOf(u.conversationId, 'accepted');
    await emu.agent('agent-1').accept(conv.id);
    emu.faults.delivery = { duplicate: true };
    await emu.agent('agent-1').say('only once please', { conversationId: conv.id });
    await until('the agent message', () => u.texts().includes('only once please'));
    await emu.waitForDelivery((d) => d.duplicate && d.conversationId === conv.id && d.status === 'delivered');
    await handoff.whenIdle();
    emu.faults.delivery = {};
    expect(u.texts().filter((t) => t === 'only once please')).toHaveLength(1);
    await emu.agent('agent-1').leave(conv.id);
    await statusOf(u.conversationId, 'completed');
  });

  it('should end the handoff when the user sends endOfConversation', async () => {
    const u = newUser();
    await u.say('agent');
    const conv = await gatewayConversationOf(u.name);
    await statusOf(u.conversationId, 'accepted');
    await u.say(undefined as unknown as string, { type: 'endOfConversation' });
    await emu.waitForConversation((c) => c.id === conv.id && c.userLeft);
    await u.say('bot again?');
    expect(u.texts()).toContain('echo: bot again?');
  });

  it('should escalate when the bot sends EventFactory.createHandoffInitiation, honouring its queueId', async () => {
    const u = newUser();
    await u.say('hi');
    await u.say('initiate');
    const conv = await gatewayConversationOf(u.name);
    expect(conv.queueId).toBe('q-sales');
    await handoff.whenIdle();
    expect(emu.conversation(conv.id)!.messages.filter((m) => m.fromHistory).map((m) => m.text)).toEqual(expect.arrayContaining(['hi', 'echo: hi']));
    await statusOf(u.conversationId, 'accepted');
    await u.say('cancel');
    await statusOf(u.conversationId, 'completed');
  });

  it('should escalate with handoff.escalate(context, { queueId, reason, properties })', async () => {
    const u = newUser();
    await u.say('explicit');
    const conv = await gatewayConversationOf(u.name);
    expect(conv.queueId).toBe('q-sales');
    expect(conv.user.additionalProperties).toEqual(expect.arrayContaining([{ key: 'Tier', value: 'gold' }]));
    await statusOf(u.conversationId, 'accepted');
    await u.say('cancel');
    await statusOf(u.conversationId, 'completed');
  });

  it('should end the handoff on a cancel phrase: the user leaves in 8x8, is told, and the bot answers again', async () => {
    const u = newUser();
    await u.say('human please');
    const conv = await gatewayConversationOf(u.name);
    await statusOf(u.conversationId, 'accepted');
    await emu.agent('agent-1').accept(conv.id);
    await until('agent joined notice', () => u.texts().find((t) => /joined/i.test(t)));
    await u.say('cancel');
    await until('the user-ended notice', () => u.texts().includes(DEFAULT_MESSAGES.userEnded));
    await emu.waitForConversation((c) => c.id === conv.id && c.userLeft);
    await u.say('back to the bot');
    expect(u.texts()).toContain('echo: back to the bot');
  });

  it('should report failed, apologise and keep the bot answering when create fails (500)', async () => {
    emu.faults.apiErrors = [{ method: 'POST', path: /\/conversations$/, status: 500, times: 5 }];
    const u = newUser();
    await u.say('agent');
    await statusOf(u.conversationId, 'failed');
    await until('the apology', () => u.texts().includes(DEFAULT_MESSAGES.failed));
    await until('handoff.status failed reaching the bot', () => botStatusEvents.find((e) => e.conversationId === u.conversationId && e.value?.state === 'failed'));
    emu.faults.apiErrors = [];
    await u.say('are you there');
    expect(u.texts()).toContain('echo: are you there');
  });
});
