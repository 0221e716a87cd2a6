/**
 * The end-to-end rig of the middleware tests: the real emulator (8x8), the real ChatGatewayClient,
 * the real webhook receiver behind express on 127.0.0.1:0, and botbuilder's TestAdapter (with
 * proactive sends) running an ActivityHandler bot behind the HandoffMiddleware.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ActivityHandler, CardFactory, MemoryStorage, type Activity, type Storage } from 'botbuilder';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator';
import { ChatGatewayClient } from '../../src/gateway';
import { HandoffMiddleware, type HandoffMiddlewareOptions, type HandoffStatus } from '../../src/handoff';
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
  readonly statuses: Array<{ state: string; message?: string }> = [];
  readonly heard: string[] = [];

  constructor() {
    super();
    this.onMessage(async (context, next) => {
      const text = context.activity.text ?? '';
      this.heard.push(text);
      if (text === 'card') {
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
      if (context.activity.name === 'handoff.status') this.statuses.push(context.activity.value as { state: string; message?: string });
      await next();
    });
  }
}

/** One running rig. */
export interface Harness {
  emulator: Emulator;
  adapter: ProactiveTestAdapter;
  handoff: HandoffMiddleware;
  bot: EchoBot;
  storage: Storage;
  gateway: ChatGatewayClient;
  webhookUrl: string;
  errors: Array<{ error: unknown; where: string }>;
  statuses: HandoffStatus[];
  /** A second middleware on the same storage (another bot instance), behind its own adapter. */
  newInstance(extra?: Partial<HandoffMiddlewareOptions>): { adapter: ProactiveTestAdapter; handoff: HandoffMiddleware; bot: EchoBot };
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
    const adapter = new ProactiveTestAdapter(async (context) => bot.run(context));
    const handoff = new HandoffMiddleware({
      gateway,
      channelId: emulator.channelId,
      queueId: 'support',
      adapter,
      botAppId: '',
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
    gateway,
    webhookUrl,
    errors,
    statuses,
    newInstance: build,
    routeWebhooksTo(handoff) {
      handler = handoff.webhook();
    },
    async close() {
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
