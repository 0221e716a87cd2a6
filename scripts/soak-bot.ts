/**
 * The bot process `npm run soak` puts under load (scripts/soak.ts starts it): a real CloudAdapter
 * (no app id, 127.0.0.1 only) with the HandoffMiddleware on a MemoryStorage (one instance), 8x8's
 * webhook at /api/8x8/webhook and the channel at /api/messages. It measures itself, so the
 * figures are the bot's and not the load generator's: webhook ack time (request in to response
 * finished), event-loop delay, RSS, active handles and unhandled rejections, served as JSON on
 * GET /soak-stats (`?reset=1` starts a new window for the latency figures).
 *
 * Environment: EMULATOR_URL, CHANNEL_ID.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import express from 'express';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, MemoryStorage } from 'botbuilder';
import { ChatGatewayClient } from '../src/gateway';
import { HandoffMiddleware } from '../src/handoff';
import { silentLogger } from '../src/logger';
import { triggers } from '../src/triggers';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`soak-bot: ${name} is not set`);
  return value;
}

let unhandledRejections = 0;
process.on('unhandledRejection', () => void unhandledRejections++);
const errors: Record<string, number> = {};

async function main(): Promise<void> {
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
    await next();
  });
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const emulatorUrl = env('EMULATOR_URL');
  const handoff = new HandoffMiddleware({
    gateway: new ChatGatewayClient({ apiKey: 'emulator-api-key', baseUrl: emulatorUrl, logger: silentLogger }),
    channelId: env('CHANNEL_ID'),
    queueId: 'support',
    adapter,
    botAppId: '',
    storage: new MemoryStorage(),
    bot,
    triggers: [triggers.keywords(['agent'])],
    logger: silentLogger,
    webhook: { baseUrl: emulatorUrl, logger: silentLogger },
    onError: (_error, info) => void (errors[info.where] = (errors[info.where] ?? 0) + 1),
  });
  adapter.use(handoff);

  let acks: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const app = express();
  app.post('/api/8x8/webhook', (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => acks.push(Number(process.hrtime.bigint() - start) / 1e6));
    next();
  }, handoff.webhook());
  app.post('/api/messages', express.json(), (req, res) => adapter.process(req, res, (context) => bot.run(context)));
  app.get('/soak-stats', (req, res) => {
    const sorted = [...acks].sort((x, y) => x - y);
    const p = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((q / 100) * sorted.length) - 1)]! : null);
    const resources = process.getActiveResourcesInfo();
    res.json({
      acks: sorted.length, ackP50Ms: p(50), ackP99Ms: p(99), ackMaxMs: sorted.at(-1) ?? null,
      eventLoopDelayP99Ms: loop.percentile(99) / 1e6, eventLoopDelayMaxMs: loop.max / 1e6,
      rssMb: process.memoryUsage.rss() / 1024 / 1024, heapUsedMb: process.memoryUsage().heapUsed / 1024 / 1024,
      activeHandles: resources.length, handleTypes: resources.reduce<Record<string, number>>((m, t) => ({ ...m, [t]: (m[t] ?? 0) + 1 }), {}),
      unhandledRejections, errors,
    });
    if (req.query.reset) {
      acks = [];
      loop.reset();
    }
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`soak-bot failed: ${String(error)}\n`);
  process.exit(1);
});
