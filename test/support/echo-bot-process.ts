/**
 * What the bot processes of the process-level runs share (test/middleware/chaos-bot.ts,
 * test/ops/ops-bot.ts, scripts/soak-bot.ts): an echo bot behind a real CloudAdapter (no app id,
 * local only) with the HandoffMiddleware against the emulator, express on 127.0.0.1:0, and the
 * `ready <port>` line the parent process waits for. Each process adds only what it is about
 * (storage, instance id, clock, measurements).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type RequestHandler } from 'express';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { ChatGatewayClient } from '../../src/gateway';
import { HandoffMiddleware, type HandoffMiddlewareOptions } from '../../src/handoff';
import { silentLogger } from '../../src/logger';
import { triggers } from '../../src/triggers';

/** A process's name, for its error lines. */
type Who = 'chaos-bot' | 'ops-bot' | 'soak-bot';

/** The variable `name`, or a clear failure naming the process and the variable. */
export function requiredEnv(who: Who, name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${who}: ${name} is not set`);
  return value;
}

/** A running echo bot with the middleware in place. */
export interface EchoBotProcess {
  app: Express;
  handoff: HandoffMiddleware;
}

/**
 * Builds the echo bot, its CloudAdapter and the middleware (EMULATOR_URL, CHANNEL_ID, queue
 * `support`, keyword `agent`) with `options` on top; mounts `/api/messages` and, behind
 * `beforeWebhook` when given, `/api/8x8/webhook`.
 */
export function echoBotProcess(
  who: Who,
  options: Partial<HandoffMiddlewareOptions> & Pick<HandoffMiddlewareOptions, 'storage'>,
  beforeWebhook?: RequestHandler,
): EchoBotProcess {
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
    await next();
  });
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const emulatorUrl = requiredEnv(who, 'EMULATOR_URL');
  const handoff = new HandoffMiddleware({
    gateway: new ChatGatewayClient({ apiKey: 'emulator-api-key', baseUrl: emulatorUrl, logger: silentLogger }),
    channelId: requiredEnv(who, 'CHANNEL_ID'),
    queueId: 'support',
    adapter,
    botAppId: '',
    bot,
    triggers: [triggers.keywords(['agent'])],
    logger: silentLogger,
    ...options,
    webhook: { baseUrl: emulatorUrl, logger: silentLogger, ...options.webhook },
  });
  adapter.use(handoff);
  const app = express();
  app.post('/api/8x8/webhook', ...(beforeWebhook ? [beforeWebhook] : []), handoff.webhook());
  app.post('/api/messages', express.json(), (req, res) => adapter.process(req, res, (context) => bot.run(context)));
  return { app, handoff };
}

/** Listens on 127.0.0.1:0 and prints `ready <port>`; a failure of `main` exits 1 with its message. */
export function runBotProcess(who: Who, main: () => Promise<Express>): void {
  main()
    .then(async (app) => {
      const server = http.createServer(app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${who} failed: ${String(error)}\n`);
      process.exit(1);
    });
}
