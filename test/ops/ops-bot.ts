/**
 * One bot process for the multi-process test (issue 13, RELIABILITY M1), run with ts-node by
 * multi-process.test.ts: a real CloudAdapter (no app id, local only) behind express on
 * 127.0.0.1:0, the HandoffMiddleware on a RedisStorage with a RedisDedupeStore (state shared with
 * the other process through one redis-server), 8x8's webhook at /api/8x8/webhook and the channel
 * at /api/messages. It prints `ready <port>` once it listens; the test SIGKILLs and restarts it.
 *
 * Environment: REDIS_PORT, EMULATOR_URL, CHANNEL_ID, INSTANCE_ID, RELAY_LEASE_MS, and
 * CLOCK_SKEW_MS (this process's clock runs that far ahead, or behind when negative).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { Redis } from 'ioredis';
import { ChatGatewayClient } from '../../src/gateway';
import { HandoffMiddleware } from '../../src/handoff';
import { silentLogger } from '../../src/logger';
import { RedisDedupeStore, RedisStorage } from '../../src/storage';
import { triggers } from '../../src/triggers';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`ops-bot: ${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const skewMs = Number(process.env.CLOCK_SKEW_MS ?? '0');
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
    await next();
  });
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const emulatorUrl = env('EMULATOR_URL');
  const redis = new Redis({ host: '127.0.0.1', port: Number(env('REDIS_PORT')) });
  const handoff = new HandoffMiddleware({
    gateway: new ChatGatewayClient({ apiKey: 'emulator-api-key', baseUrl: emulatorUrl, logger: silentLogger }),
    channelId: env('CHANNEL_ID'),
    queueId: 'support',
    adapter,
    botAppId: '',
    storage: new RedisStorage({ client: redis }),
    bot,
    triggers: [triggers.keywords(['agent'])],
    instanceId: env('INSTANCE_ID'),
    relayLeaseMs: Number(env('RELAY_LEASE_MS')),
    clock: () => Date.now() + skewMs,
    logger: silentLogger,
    webhook: { baseUrl: emulatorUrl, logger: silentLogger, dedupe: new RedisDedupeStore({ client: redis }) },
    onError: (error, info) => process.stderr.write(`ops-bot ${env('INSTANCE_ID')} ${info.where}: ${String(error)}\n`),
  });
  adapter.use(handoff);
  const app = express();
  app.post('/api/8x8/webhook', handoff.webhook());
  app.post('/api/messages', express.json(), (req, res) => adapter.process(req, res, (context) => bot.run(context)));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`ops-bot failed: ${String(error)}\n`);
  process.exit(1);
});
