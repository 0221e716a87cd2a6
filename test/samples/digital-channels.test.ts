/**
 * The sample's contract for customers on 8x8's own channels (issue 14): signed webhook events of
 * 8x8 conversations the sample did not create reach the echo bot, whose answers go back as `bot`
 * messages, and the escalation keywords re-route that same conversation to EIGHTX8_QUEUE_ID;
 * with EIGHTX8_DIGITAL_CHANNELS=off none of that happens. A separately started emulator stands in
 * for api.8x8.com (with its web widget channel routed to the sample's real webhook route), so the
 * events are the signed deliveries 8x8 would send: the widget's, and hand-made ones signed with
 * the gateway's own key (`deliverEvent`). The default `npm start` mode (embedded emulator) is
 * covered at the end.
 */
import { silentLogger } from '../../src/logger';
import { startEmulator, type ConsoleConversation, type Emulator } from '../../src/emulator';
import { startSample, type RunningSample } from '../../samples/echo-to-agent/src/start-sample';
import { WELCOME_TEXT } from '../../samples/echo-to-agent/src/bot/echo-bot';
import { TestDirectLine } from './support/directline-client';
import { freePort } from './support/free-port';

const API_KEY = 'tenant-key-digital-0123456789';
const WIDGET_CHANNEL = 'acme-webchat';

interface Tenant {
  gateway: Emulator;
  sample: RunningSample;
  port: number;
  close(): Promise<void>;
}

/** "8x8" (an emulator with a web widget channel routed to the sample) and the sample pointed at it. */
async function startTenant(digitalChannels?: 'on' | 'off'): Promise<Tenant> {
  const port = await freePort();
  const gateway = await startEmulator({
    port: 0, apiKey: API_KEY, webhookUrl: `http://127.0.0.1:${port}/api/8x8/webhook`, widgetChannelId: WIDGET_CHANNEL,
    queues: [{ id: 'tier1', name: 'Tier 1' }, { id: 'billing', name: 'Billing' }],
  });
  const env: NodeJS.ProcessEnv = {
    EIGHTX8_API_KEY: API_KEY, EIGHTX8_CHANNEL_ID: gateway.channelId, EIGHTX8_QUEUE_ID: 'billing', EIGHTX8_BASE_URL: gateway.url,
    ...(digitalChannels ? { EIGHTX8_DIGITAL_CHANNELS: digitalChannels } : {}),
  };
  const sample = await startSample({ env, port, logger: silentLogger, out: () => undefined });
  return {
    gateway, sample, port,
    async close() {
      await sample.close();
      await gateway.close();
    },
  };
}

/** The widget's customer API (what 8x8's web widget does in the customer's browser). */
function widget(gateway: Emulator) {
  const api = `${gateway.url}/widget/api/conversations`;
  const post = async (url: string, body: unknown) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : ((await res.json()) as { conversationId: string });
  };
  return {
    open: async (name: string) => (await post(api, { name, email: `${name.toLowerCase()}@example.com` }))!.conversationId,
    say: async (id: string, text: string) => void (await post(`${api}/${id}/messages`, { text })),
    pick: async (id: string, title: string, payload?: string) => void (await post(`${api}/${id}/quick-reply`, { title, payload })),
  };
}

const texts = (c: ConsoleConversation | undefined, author: string) => (c?.messages ?? []).filter((m) => m.authorType === author).map((m) => m.text);

/** Resolves once 8x8's delivery of the conversation's last event of `eventType` was acknowledged by the sample (2xx). */
async function acknowledged(gateway: Emulator, conversationId: string, eventType: string): Promise<void> {
  const sent = gateway.deliveries.filter((d) => d.conversationId === conversationId && d.eventType === eventType).at(-1);
  if (!sent) throw new Error(`no ${eventType} delivery for ${conversationId}`);
  await gateway.waitForDelivery((d) => d.eventId === sent.eventId && d.status === 'delivered', { timeoutMs: 8000 });
}

describe('echo-to-agent sample with customers on 8x8 channels (EIGHTX8_DIGITAL_CHANNELS on, the default)', () => {
  let tenant: Tenant;
  beforeAll(async () => {
    tenant = await startTenant();
  });
  afterAll(async () => {
    await tenant?.close();
  });

  const until = (id: string, predicate: (c: ConsoleConversation) => boolean) =>
    tenant.gateway.waitForConversation((c) => c.id === id && predicate(c), { timeoutMs: 8000 });

  it('should greet a widget customer and answer each message with the echo bot, as bot messages in that conversation', async () => {
    const { open, say } = widget(tenant.gateway);
    const id = await open('Wendy');
    await until(id, (c) => texts(c, 'bot').includes(WELCOME_TEXT));
    await say(id, 'where is my parcel?');
    const c = await until(id, (x) => texts(x, 'bot').includes('You said: where is my parcel?'));
    expect(texts(c, 'bot')).toEqual([WELCOME_TEXT, 'You said: where is my parcel?']);
    expect(c).toMatchObject({ channelId: WIDGET_CHANNEL, status: 'bot' });
    // Nothing was created: the bot answered in 8x8's own conversation.
    expect(tenant.gateway.conversations.filter((x) => x.user.name === 'Wendy')).toHaveLength(1);
  });

  it('should answer a signed customer MESSAGE with fields it does not use, and stay quiet on echoes and agent messages', async () => {
    const { open } = widget(tenant.gateway);
    const id = await open('Omar');
    await until(id, (c) => texts(c, 'bot').includes(WELCOME_TEXT));
    const at = Date.now();
    // The forms 8x8 sends (REFERENCE.md section 4): its own echo of the bot's reply, an agent's line, a customer's line.
    tenant.gateway.deliverEvent({ eventType: 'MESSAGE', conversationId: id, timestamp: at, data: { isEcho: true, sender: { type: 'bot', id: 'bot' }, messageId: 'echo-1', text: 'You said: ignore me', attachments: [], cards: [] } });
    tenant.gateway.deliverEvent({ eventType: 'MESSAGE', conversationId: id, timestamp: at + 1, data: { isEcho: false, sender: { type: 'agent', id: 'agent-9' }, messageId: 'agent-1', text: 'agent line', attachments: [], cards: [] } });
    tenant.gateway.deliverEvent({
      eventType: 'MESSAGE', conversationId: id, timestamp: at + 2,
      data: { isEcho: false, sender: { type: 'user', id: 'user', name: 'Omar' }, messageId: 'cust-1', text: 'is anyone there', attachments: [], cards: [], channel: 'WhatsApp', somethingNew: { x: 1 } },
    });
    const c = await until(id, (x) => texts(x, 'bot').includes('You said: is anyone there'));
    await acknowledged(tenant.gateway, id, 'MESSAGE');
    expect(texts(c, 'bot')).toEqual([WELCOME_TEXT, 'You said: is anyone there']);
  });

  it('should re-route the same conversation to EIGHTX8_QUEUE_ID on an escalation keyword, keep the bot silent with the agent, and answer again after', async () => {
    const { open, say } = widget(tenant.gateway);
    const id = await open('Xena');
    await say(id, 'my order is late');
    await until(id, (c) => texts(c, 'bot').includes('You said: my order is late'));
    await say(id, 'I want a real person');
    const queued = await until(id, (c) => c.status === 'queued');
    expect(queued).toMatchObject({ id, channelId: WIDGET_CHANNEL, queueId: 'billing' });
    expect(queued.user).toMatchObject({ name: 'Xena', email: 'xena@example.com' });
    // The agent sees everything said so far, in the conversation the customer never left.
    expect(texts(queued, 'user')).toEqual(['my order is late', 'I want a real person']);
    expect(texts(queued, 'bot')).not.toContain('You said: I want a real person');

    const agent = tenant.gateway.agent('agent-1');
    await agent.accept(id);
    await agent.say('Billing here, hello Xena.');
    await say(id, 'hi, it is order 17');
    await acknowledged(tenant.gateway, id, 'MESSAGE');
    await agent.say('Found it.');
    const talking = await until(id, (c) => texts(c, 'agent').includes('Found it.'));
    expect(texts(talking, 'bot').filter((t) => t.startsWith('You said'))).toEqual(['You said: my order is late']);

    await agent.leave();
    await until(id, (c) => c.status === 'ended');
    await say(id, 'thanks');
    const back = await until(id, (c) => texts(c, 'bot').includes('You said: thanks'));
    expect(back.status).toBe('bot');
  });

  it('should never answer as a customer in a conversation the sample created for a Web Chat customer', async () => {
    const dl = await TestDirectLine.start(`http://127.0.0.1:${tenant.port}/v3/directline`, 'dl-owner');
    await dl.say('agent');
    const created = await tenant.gateway.waitForConversation((c) => c.channelId === tenant.gateway.channelId && c.messages.some((m) => m.text === 'agent'), { timeoutMs: 8000 });
    await tenant.gateway.agent('agent-2').accept(created.id);
    // A customer line 8x8 itself delivers (not the bot's echo): the adapter must leave it alone.
    const record = tenant.gateway.deliverEvent({
      eventType: 'MESSAGE', conversationId: created.id, timestamp: Date.now(),
      data: { isEcho: false, sender: { type: 'user', id: 'user' }, messageId: 'native-looking', text: 'echo me if you dare', attachments: [], cards: [] },
    });
    await tenant.gateway.waitForDelivery((d) => d.eventId === record.eventId && d.status === 'delivered', { timeoutMs: 8000 });
    await tenant.gateway.agent('agent-2').say('Agent here.');
    await dl.botSays('Agent here.');
    expect(texts(tenant.gateway.conversation(created.id), 'bot').filter((t) => t.includes('echo me if you dare'))).toEqual([]);
  });
});

describe('echo-to-agent sample with EIGHTX8_DIGITAL_CHANNELS=off', () => {
  let tenant: Tenant;
  beforeAll(async () => {
    tenant = await startTenant('off');
  });
  afterAll(async () => {
    await tenant?.close();
  });

  it('should neither answer nor re-route a conversation it did not create, and still hand Web Chat customers over', async () => {
    const { open, say } = widget(tenant.gateway);
    const id = await open('Paula');
    await say(id, 'hello');
    await acknowledged(tenant.gateway, id, 'MESSAGE');
    await say(id, 'agent');
    await acknowledged(tenant.gateway, id, 'MESSAGE');
    const c = tenant.gateway.conversation(id)!;
    expect(texts(c, 'bot')).toEqual([]);
    expect(c.status).toBe('bot');

    // The first flow is unaffected.
    const dl = await TestDirectLine.start(`http://127.0.0.1:${tenant.port}/v3/directline`, 'dl-off');
    await dl.say('agent');
    const created = await tenant.gateway.waitForConversation((x) => x.channelId === tenant.gateway.channelId, { timeoutMs: 8000 });
    expect(created.queueId).toBe('billing');
    // The widget conversation was left as it was.
    expect(tenant.gateway.conversation(id)!.status).toBe('bot');
  });
});

describe('npm start (embedded emulator): both flows', () => {
  let sample: RunningSample;
  const banner: string[] = [];
  beforeAll(async () => {
    sample = await startSample({ env: {}, port: 0, emulatorPort: 0, logger: silentLogger, out: (line) => banner.push(line) });
  });
  afterAll(async () => {
    await sample?.close();
  });

  it('should link the customer page to the 8x8 web widget, whose customers the bot answers and hands over to the console queue', async () => {
    expect(sample.widgetUrl).toMatch(/^http:\/\/(localhost|127\.0\.0\.1):\d+\/widget\/$/);
    expect(banner.join('\n')).toContain(`8x8 web widget:  ${sample.widgetUrl}`);
    const base = sample.url.replace('localhost', '127.0.0.1');
    const config = (await (await fetch(`${base}/sample-config.json`)).json()) as { widgetUrl?: string };
    expect(config.widgetUrl).toBe(sample.emulator!.widgetUrl);
    expect(await (await fetch(`${base}/`)).text()).toContain('id="widget-url"');
    expect((await fetch(config.widgetUrl!)).status).toBe(200);

    const emulator = sample.emulator!;
    const { open, say } = widget(emulator);
    const id = await open('Nina');
    await say(id, 'hi there');
    await emulator.waitForConversation((c) => c.id === id && texts(c, 'bot').includes('You said: hi there'), { timeoutMs: 8000 });
    await say(id, 'human');
    const queued = await emulator.waitForConversation((c) => c.id === id && c.status === 'queued', { timeoutMs: 8000 });
    expect(queued.queueId).toBe('support');
    expect(texts(queued, 'bot')).toEqual(expect.arrayContaining([WELCOME_TEXT, 'You said: hi there']));
  });

  it("should offer a person as 8x8 quick replies and re-route on the dialog's handoff.initiate, with its reason for the screen pop", async () => {
    const emulator = sample.emulator!;
    const { open, say, pick } = widget(emulator);
    const id = await open('Otto');
    await say(id, 'help me');
    const offered = await emulator.waitForConversation((c) => c.id === id && c.messages.some((m) => m.authorType === 'bot' && m.cards.some((k) => k.contentType === 'application/8x8.quick.replies')), { timeoutMs: 8000 });
    const quick = offered.messages.find((m) => m.cards.some((k) => k.contentType === 'application/8x8.quick.replies'))!;
    expect(quick.text).toContain('Would you like to talk to a person?');
    const options = (quick.cards[0]!.content as { options: Array<{ title: string; data?: { postback?: string } }> }).options;
    const yes = options.find((o) => /yes/i.test(o.title))!;
    await pick(id, yes.title, yes.data?.postback);
    const queued = await emulator.waitForConversation((c) => c.id === id && c.status === 'queued', { timeoutMs: 8000 });
    const props = Object.fromEntries((queued.user.additionalProperties ?? []).map((p) => [p.key, p.value]));
    // The dialog's `skill` routes (to the Support queue), its `reason` goes to the agent's screen pop.
    expect(props).toEqual(expect.objectContaining({ reason: 'The customer asked for help' }));
    expect(queued.queueId).toBe('support');
    expect(texts(queued, 'user')).toEqual(['help me', yes.title]);
  });
});
