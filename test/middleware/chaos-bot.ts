/**
 * A whole bot process for the crash test (RELIABILITY D9), run with ts-node by chaos.test.ts:
 * a real CloudAdapter (no app id, local only) behind express on 127.0.0.1:0, the HandoffMiddleware
 * on a RedisStorage, 8x8's webhook at /api/8x8/webhook and the channel at /api/messages. It prints
 * `ready <port>` once it listens. The test kills it with SIGKILL mid-burst and starts another.
 *
 * Environment: REDIS_PORT, EMULATOR_URL, CHANNEL_ID, RELAY_LEASE_MS.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { Redis } from 'ioredis';
import { ChatGatewayClient } from '../../src/gateway';
import { HandoffMiddleware } from '../../src/handoff';
import { silentLogger } from '../../src/logger';
import { RedisStorage } from '../../src/storage';
import { triggers } from '../../src/triggers';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`chaos-bot: ${name} is not set`);
  return value;
}

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
    storage: new RedisStorage({ client: new Redis({ host: '127.0.0.1', port: Number(env('REDIS_PORT')) }) }),
    bot,
    triggers: [triggers.keywords(['agent'])],
    relayLeaseMs: Number(env('RELAY_LEASE_MS')),
    // The subject is crash recovery; paced, 60 messages per conversation would take 15 s more.
    pacing: false,
    logger: silentLogger,
    webhook: { baseUrl: emulatorUrl, logger: silentLogger },
    onError: () => undefined,
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
  process.stderr.write(`chaos-bot failed: ${String(error)}\n`);
  process.exit(1);
});
