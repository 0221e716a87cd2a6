/**
 * The rig of the 8x8-native channel suites: the emulator with its web widget channel, a real
 * express server whose one webhook route is HandoffMiddleware's, shared with a ChatGatewayAdapter
 * that runs a small bot. No Bot Framework channel at all: the middleware's proactive sender is
 * the ChatGatewayAdapter itself. Customers act through the widget's HTTP API.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ActivityHandler, CardFactory, EventFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { ChatGatewayAdapter, type ChatGatewayAdapterOptions } from '../../src/channel';
import { startEmulator, type Emulator, type ConsoleConversation } from '../../src/emulator';
import { ChatGatewayClient } from '../../src/gateway';
import { HandoffMiddleware, type HandoffMiddlewareOptions } from '../../src/handoff';
import { silentLogger } from '../../src/logger';
import { createAttachmentFetcher } from '../../src/transcript';
import { triggers } from '../../src/triggers';
import { HttpJwkSource, type JwkSource } from '../../src/webhook';
import type { KeyLike } from 'jose';

/** The bot's greeting. */
export const GREETING = 'Hello! I echo what you write. Say "agent" for a person.';

/** A bot that echoes, and on request sends a card, a file, quick replies, a pause or `handoff.initiate`. */
export class ChannelTestBot extends ActivityHandler {
  constructor() {
    super();
    this.onMembersAdded(async (context, next) => {
      await context.sendActivity(GREETING);
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.answer(context);
      await next();
    });
  }

  private async answer(context: TurnContext): Promise<void> {
    const text = (context.activity.text ?? '').trim();
    const files = context.activity.attachments ?? [];
    if (text === 'card') {
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard({
        type: 'AdaptiveCard', version: '1.3',
        body: [{ type: 'TextBlock', text: 'Pick a size' }, { type: 'Input.Text', id: 'size' }],
        actions: [{ type: 'Action.Submit', title: 'Order', data: { action: 'order' } }],
      })));
    } else if (text === 'file') {
      const data = Buffer.from('receipt contents').toString('base64');
      await context.sendActivity({ type: 'message', text: 'Your receipt', attachments: [{ contentType: 'text/plain', contentUrl: `data:text/plain;base64,${data}`, name: 'receipt.txt' }] });
    } else if (text === 'choices') {
      await context.sendActivity(MessageFactory.suggestedActions(['Red', 'Blue'], 'Which colour?'));
    } else if (text === 'help me') {
      await context.sendActivity(EventFactory.createHandoffInitiation(context, { reason: 'asked for help', orderId: 'A-17', tier: 'vip' }));
    } else if (text === 'pause') {
      await context.sendActivity({ type: 'delay', value: 1500 });
      await context.sendActivity('After the pause');
    } else if (text === 'slow') {
      await context.sendActivity({ type: 'typing' });
      await context.sendActivity('Done thinking');
    } else if (files.length) {
      const names = files.map((f) => f.name).join(', ');
      const got = await Promise.all(files.map(async (f) => (await fetch(f.contentUrl!)).text()));
      await context.sendActivity(`You sent ${names}: ${got.join(' | ')}${text ? ` with "${text}"` : ''}`);
    } else if (context.activity.value !== undefined) {
      await context.sendActivity(`You submitted: ${JSON.stringify(context.activity.value)}`);
    } else {
      await context.sendActivity(`You said: ${text}`);
    }
  }
}

/** A running rig. */
export interface ChannelRig {
  emulator: Emulator;
  adapter: ChatGatewayAdapter;
  handoff: HandoffMiddleware;
  /** The bot's webhook URL. */
  webhookUrl: string;
  errors: Array<{ error: unknown; where: string }>;
  /** Thinking and typing calls 8x8 accepted, in order. */
  signals: Array<{ kind: string; conversationId: string }>;
  /** A widget customer opens a conversation; resolves with its id. */
  open(name?: string): Promise<string>;
  /** A widget action (`messages`, `quick-reply`, `cards/:id/submit`, `leave`) on a conversation. */
  widget(conversationId: string, action: string, body?: unknown): Promise<void>;
  /** Resolves once the conversation matches. */
  until(conversationId: string, predicate: (c: ConsoleConversation) => boolean): Promise<ConsoleConversation>;
  close(): Promise<void>;
}

/** Options of {@link startChannelRig}. */
export interface RigOptions {
  adapter?: Partial<ChatGatewayAdapterOptions>;
  /** Also accept events this test signer signs (hand-made deliveries), besides the emulator's. */
  signer?: { kid: string; publicKey: KeyLike };
  handoff?: Partial<HandoffMiddlewareOptions>;
}

/** Starts the emulator (with a widget channel), the bot server and the wiring. */
export async function startChannelRig(options: RigOptions = {}): Promise<ChannelRig> {
  const app = express();
  let route: express.RequestHandler = (_req, res) => void res.status(503).end();
  app.post('/api/8x8/webhook', (req, res, next) => route(req, res, next));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/8x8/webhook`;
  const emulator = await startEmulator({ port: 0, webhookUrl, widgetChannelId: 'emulator-webchat', delivery: { baseDelayMs: 10 } });
  const gateway = new ChatGatewayClient({ apiKey: 'emulator-api-key', baseUrl: emulator.url });
  // Signals leave no message behind: record them on their way to the (real) emulator.
  const signals: ChannelRig['signals'] = [];
  const sendThinking = gateway.sendThinking.bind(gateway);
  const sendTyping = gateway.sendTyping.bind(gateway);
  gateway.sendThinking = async (conversationId, req) => {
    await sendThinking(conversationId, req);
    signals.push({ kind: 'thinking', conversationId });
  };
  gateway.sendTyping = async (conversationId, authorType) => {
    await sendTyping(conversationId, authorType);
    signals.push({ kind: `typing:${authorType}`, conversationId });
  };
  const errors: ChannelRig['errors'] = [];
  const onError = (error: unknown, info: { where: string }) => void errors.push({ error, where: info.where });
  const adapter = new ChatGatewayAdapter({
    gateway,
    bot: new ChannelTestBot(),
    greeting: true,
    // The emulator serves the files on loopback: allow exactly its host.
    fetchAttachment: createAttachmentFetcher({ maxBytes: 1024 * 1024, allowHosts: ['127.0.0.1'] }),
    onError,
    logger: silentLogger,
    ...options.adapter,
  });
  const handoff = new HandoffMiddleware({
    gateway,
    channelId: emulator.channelId,
    queueId: 'support',
    adapter,
    botAppId: '',
    triggers: [triggers.keywords(['agent', 'human']), triggers.handoffInitiate()],
    userResolver: () => ({ additionalProperties: [{ key: 'plan', value: 'gold' }] }),
    webhook: { keySource: keySource(emulator.url, options.signer), logger: silentLogger },
    orphanSweepMs: false,
    onError,
    logger: silentLogger,
    ...options.handoff,
  });
  adapter.use(handoff);
  handoff.shareWebhookWith(adapter);
  route = handoff.webhook();

  const widgetApi = `${emulator.url}/widget/api/conversations`;
  const post = async (url: string, body?: unknown) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
    if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : ((await res.json()) as unknown);
  };
  return {
    emulator, adapter, handoff, webhookUrl, errors, signals,
    async open(name = 'Wendy') {
      return ((await post(widgetApi, { name, email: `${name.toLowerCase()}@example.com` })) as { conversationId: string }).conversationId;
    },
    async widget(conversationId, action, body) {
      if (body instanceof FormData) {
        const res = await fetch(`${widgetApi}/${conversationId}/${action}`, { method: 'POST', body });
        if (!res.ok) throw new Error(`${action}: ${res.status} ${await res.text()}`);
        return;
      }
      await post(`${widgetApi}/${conversationId}/${action}`, body);
    },
    async until(conversationId, predicate) {
      try {
        return await emulator.waitForConversation((c) => c.id === conversationId && predicate(c), { timeoutMs: 8000 });
      } catch (error) {
        // Say where the conversation got stuck, not only that it did.
        const c = emulator.conversation(conversationId);
        const state = c && { status: c.status, messages: c.messages.map((m) => `${m.authorType}: ${m.text}`), errors: errors.map((e) => `${e.where}: ${String(e.error)}`) };
        throw new Error(`${(error as Error).message}; conversation now: ${JSON.stringify(state, null, 1)}`);
      }
    },
    async close() {
      handoff.dispose();
      await handoff.whenIdle();
      await emulator.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function keySource(emulatorUrl: string, signer: RigOptions['signer']): JwkSource {
  const emulatorKeys = new HttpJwkSource({ baseUrl: emulatorUrl });
  return { getKey: (kid) => (signer && kid === signer.kid ? Promise.resolve(signer.publicKey) : emulatorKeys.getKey(kid)) };
}

/** The texts of a conversation's messages by one author type. */
export function textsOf(c: ConsoleConversation, authorType: string): string[] {
  return c.messages.filter((m) => m.authorType === authorType).map((m) => m.text);
}
