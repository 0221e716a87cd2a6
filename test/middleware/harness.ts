/**
 * The end-to-end rig of the middleware tests: the real emulator (8x8), the real ChatGatewayClient,
 * the real webhook receiver behind express on 127.0.0.1:0, and botbuilder's TestAdapter (with
 * proactive sends) running an ActivityHandler bot behind the HandoffMiddleware.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ActivityHandler, CardFactory, MemoryStorage, type Activity, type ResourceResponse, type Storage, type TurnContext } from 'botbuilder';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator';
import { ChatGatewayClient } from '../../src/gateway';
import { DEFAULT_MESSAGES, HandoffMiddleware, type HandoffMiddlewareOptions, type HandoffStatus } from '../../src/handoff';
import { HandoffStore } from '../../src/handoff/store';
import { silentLogger } from '../../src/logger';
import { markFallback } from '../../src/triggers';
import { ProactiveTestAdapter } from '../support/test-adapter';

/** The Adaptive Card the bot sends when the user says "card". */
export const PLAN_CARD = {
  type: 'AdaptiveCard',
  version: '1.3',
  body: [{ type: 'TextBlock', text: 'Pick a plan' }, { type: 'Input.Text', id: 'plan' }],
  actions: [{ type: 'Action.Submit', title: 'OK' }],
};

/** A bot that echoes, flags "???" as a fallback turn and records the handoff.status events it gets. */
export class EchoBot extends ActivityHandler {
  readonly statuses: Array<{ state: string; message?: string; conversation: string }> = [];
  readonly heard: string[] = [];
  readonly heardIn: Array<{ conversation: string; text: string }> = [];
  /** Replaces the echo for a given text (tests plug bot behaviour in here). */
  readonly hooks = new Map<string, (context: TurnContext) => Promise<void>>();

  constructor() {
    super();
    this.onMessage(async (context, next) => {
      const text = context.activity.text ?? '';
      this.heard.push(text);
      this.heardIn.push({ conversation: context.activity.conversation.id, text });
      const hook = this.hooks.get(text);
      if (hook) {
        await hook(context);
      } else if (text === 'card') {
        await context.sendActivity({ attachments: [CardFactory.adaptiveCard(PLAN_CARD)] });
      } else if (text === '???') {
        markFallback(context);
        await context.sendActivity("Sorry, I didn't get that.");
      } else {
        await context.sendActivity(`echo: ${text}`);
      }
      await next();
    });
    this.onEvent(async (context, next) => {
      if (context.activity.name === 'handoff.status') {
        this.statuses.push({ ...(context.activity.value as { state: string; message?: string }), conversation: context.activity.conversation.id });
      }
      await next();
    });
  }
}

/** The app id the harness gives the middleware for proactive sends (non-empty, so a test can tell it was used). */
export const HARNESS_BOT_APP_ID = 'bot-app-id';

/** The harness's TestAdapter: proactive, and it records when each activity was sent. */
export class HarnessAdapter extends ProactiveTestAdapter {
  /** Every activity sent (in turns and proactively), with `performance.now()` at the send. */
  readonly sends: Array<{ at: number; activity: Partial<Activity> }> = [];

  /** What the next sends throw instead of sending (like a connector error after botbuilder's retries), in order. */
  readonly failures: unknown[] = [];

  override async sendActivities(context: TurnContext, activities: Array<Partial<Activity>>): Promise<ResourceResponse[]> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    for (const activity of activities) this.sends.push({ at: performance.now(), activity });
    return super.sendActivities(context, activities);
  }
}

/** One running rig. */
export interface Harness {
  emulator: Emulator;
  adapter: HarnessAdapter;
  handoff: HandoffMiddleware;
  bot: EchoBot;
  storage: Storage;
  /** The conversation records in `storage` (an internal module, for tests that read or seed records). */
  store: HandoffStore;
  gateway: ChatGatewayClient;
  webhookUrl: string;
  errors: Array<{ error: unknown; where: string }>;
  statuses: HandoffStatus[];
  /** A second middleware on the same storage (another bot instance), behind its own adapter. */
  newInstance(extra?: Partial<HandoffMiddlewareOptions>): { adapter: HarnessAdapter; handoff: HandoffMiddleware; bot: EchoBot };
  /** Routes webhooks to another middleware (e.g. after a "restart"). */
  routeWebhooksTo(handoff: HandoffMiddleware): void;
  close(): Promise<void>;
}

/** Starts the rig. */
export async function startHarness(
  options: { middleware?: Partial<HandoffMiddlewareOptions>; emulator?: EmulatorOptions } = {},
): Promise<Harness> {
  let handler: express.RequestHandler = (_req, res) => void res.status(503).end();
  const app = express();
  app.post('/api/8x8/webhook', (req, res, next) => handler(req, res, next));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/8x8/webhook`;
  const emulator = await startEmulator({
    port: 0,
    webhookUrl,
    delivery: { baseDelayMs: 5 },
    queues: [{ id: 'support', name: 'Support' }, { id: 'billing', name: 'Billing' }],
    ...options.emulator,
  });
  const gateway = new ChatGatewayClient({ apiKey: 'emulator-api-key', baseUrl: emulator.url, logger: silentLogger, timeoutMs: 2000, deadlineMs: 4000 });
  const storage = options.middleware?.storage ?? new MemoryStorage();
  const errors: Harness['errors'] = [];
  const statuses: HandoffStatus[] = [];

  const build = (extra: Partial<HandoffMiddlewareOptions> = {}) => {
    const bot = new EchoBot();
    const adapter = new HarnessAdapter(async (context) => bot.run(context));
    const handoff = new HandoffMiddleware({
      gateway,
      channelId: emulator.channelId,
      queueId: 'support',
      adapter,
      botAppId: HARNESS_BOT_APP_ID,
      storage,
      bot,
      logger: silentLogger,
      webhook: { baseUrl: emulator.url, logger: silentLogger },
      onError: (error, info) => errors.push({ error, where: info.where }),
      onStatus: (status) => void statuses.push(status),
      ...options.middleware,
      ...extra,
    });
    adapter.use(handoff);
    return { adapter, handoff, bot };
  };

  const first = build();
  handler = first.handoff.webhook();
  return {
    emulator,
    ...first,
    storage,
    store: new HandoffStore(storage, { namespace: options.middleware?.namespace }),
    gateway,
    webhookUrl,
    errors,
    statuses,
    newInstance: build,
    routeWebhooksTo(handoff) {
      handler = handoff.webhook();
    },
    async close() {
      first.handoff.dispose();
      await first.handoff.whenIdle();
      await emulator.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Texts of the replies the adapter sent so far (proactive ones included). */
export function replyTexts(adapter: ProactiveTestAdapter): string[] {
  return (adapter.activeQueue as Array<Partial<Activity>>).filter((a) => a.type === 'message').map((a) => a.text ?? '');
}

/** Waits until a reply satisfying `predicate` was sent. */
export function waitForReply(adapter: ProactiveTestAdapter, predicate: (a: Partial<Activity>) => boolean, what: string): Promise<Partial<Activity>> {
  return eventually(() => (adapter.activeQueue as Array<Partial<Activity>>).find(predicate), what);
}

/** One user in their own conversation of the test adapter. */
export interface TestUser {
  say(activity: string | Partial<Activity>): Promise<void>;
  /** Everything sent to this conversation so far. */
  replies(): Array<Partial<Activity>>;
  texts(): string[];
  waitFor(predicate: (a: Partial<Activity>) => boolean, what: string): Promise<Partial<Activity>>;
  waitForText(text: string): Promise<Partial<Activity>>;
}

/** The emulator conversation created for the test user of `conversationId`. */
export function gatewayConversationOf(h: Harness, conversationId: string, timeoutMs = 5000) {
  return h.emulator.waitForConversation((c) => c.user.userId === `user-${conversationId}`, { timeoutMs });
}

/** A user talking in conversation `conversationId` through `adapter`. */
export function testUser(adapter: ProactiveTestAdapter, conversationId: string): TestUser {
  const replies = () => (adapter.activeQueue as Array<Partial<Activity>>).filter((a) => a.conversation?.id === conversationId);
  const user: TestUser = {
    async say(activity) {
      const base: Partial<Activity> = typeof activity === 'string' ? { type: 'message', text: activity } : { type: 'message', ...activity };
      const from = { id: `user-${conversationId}`, name: `User ${conversationId}` };
      await adapter.receiveActivity({ from, ...base, conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' } });
    },
    replies,
    texts: () => replies().filter((a) => a.type === 'message').map((a) => a.text ?? ''),
    waitFor: (predicate, what) => eventually(() => replies().find(predicate), what),
    waitForText: (text) => user.waitFor((a) => a.text === text, `reply "${text}"`),
  };
  return user;
}

/**
 * Escalates the user of `conversationId` (they say "agent"), waits until the 8x8 conversation is
 * queued, and has `agentId` accept it; resolves once the user was told the agent joined.
 */
export async function connectedUser(h: Harness, conversationId: string, agentId = 'agent-1'): Promise<{ user: TestUser; gatewayId: string }> {
  const user = testUser(h.adapter, conversationId);
  await user.say('agent');
  const conversation = await gatewayConversationOf(h, conversationId);
  await eventually(() => h.emulator.conversation(conversation.id)?.status === 'queued', 'queued');
  await h.emulator.agent(agentId).accept(conversation.id);
  await user.waitForText(DEFAULT_MESSAGES.agentJoined);
  return { user, gatewayId: conversation.id };
}
