/**
 * A bot behind a real CloudAdapter (no app id: botbuilder skips inbound auth, acceptable only for
 * a local test bound to 127.0.0.1) with HandoffMiddleware, its `/api/messages` and 8x8 webhook on
 * one express server, and the emulator delivering to that webhook. The connector (the
 * activities' `serviceUrl`) is the caller's: a recording stub or a faulty one.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, MemoryStorage } from 'botbuilder';
import { startEmulator, type Emulator } from '../../src/emulator';
import { ChatGatewayClient } from '../../src/gateway';
import { HandoffMiddleware, type HandoffMiddlewareOptions } from '../../src/handoff';
import { silentLogger } from '../../src/logger';
import { triggers } from '../../src/triggers';
import { EchoBot } from './harness';

/** The running rig. */
export interface CloudRig {
  botUrl: string;
  emulator: Emulator;
  handoff: HandoffMiddleware;
  bot: EchoBot;
  errors: Array<{ error: unknown; where: string }>;
  /** Posts a Bot Framework message from the channel to `/api/messages`; resolves the HTTP status. */
  userSays(conversationId: string, userId: string, text: string, id: string): Promise<number>;
  close(): Promise<void>;
}

/** Starts the rig; `middleware` overrides the HandoffMiddleware options. */
export async function startCloudRig(connectorUrl: () => string, middleware: Partial<HandoffMiddlewareOptions> = {}): Promise<CloudRig> {
  const bot = new EchoBot();
  const errors: CloudRig['errors'] = [];
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const app = express();
  let webhook: express.RequestHandler = (_req, res) => void res.status(503).end();
  app.post('/api/8x8/webhook', (req, res, next) => webhook(req, res, next));
  app.post('/api/messages', express.json(), (req, res) => adapter.process(req, res, (context) => bot.run(context)));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const emulator = await startEmulator({ port: 0, webhookUrl: `${botUrl}/api/8x8/webhook`, delivery: { baseDelayMs: 5 } });
  const handoff = new HandoffMiddleware({
    gateway: new ChatGatewayClient({ apiKey: 'emulator-api-key', baseUrl: emulator.url, logger: silentLogger }),
    channelId: emulator.channelId,
    queueId: 'support',
    adapter,
    botAppId: '',
    storage: new MemoryStorage(),
    bot,
    triggers: [triggers.keywords(['agent'])],
    logger: silentLogger,
    webhook: { logger: silentLogger },
    onError: (error, info) => void errors.push({ error, where: info.where }),
    ...middleware,
  });
  adapter.use(handoff);
  webhook = handoff.webhook();
  return {
    botUrl, emulator, handoff, bot, errors,
    async userSays(conversationId, userId, text, id) {
      const activity = {
        type: 'message', id, text, channelId: 'webchat', serviceUrl: connectorUrl(), locale: 'en-US',
        from: { id: userId, name: 'Cleo' }, recipient: { id: 'bot', name: 'Bot' }, conversation: { id: conversationId },
      };
      const res = await fetch(`${botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      return res.status;
    },
    async close() {
      handoff.dispose();
      await handoff.whenIdle();
      await emulator.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
