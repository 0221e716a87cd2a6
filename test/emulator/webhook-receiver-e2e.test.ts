import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { startEmulator, type Emulator } from '../../src/emulator';
import { WebhookReceiver, expressWebhook, type ConversationEvent } from '../../src/webhook';
import { silentLogger } from '../../src/logger';
import { call } from './support/http';

describe('emulator webhooks through our own WebhookReceiver', () => {
  let emulator: Emulator;
  let server: http.Server;
  const handled: ConversationEvent[] = [];
  const answers: number[] = [];

  beforeAll(async () => {
    let receiver: WebhookReceiver | undefined = undefined;
    const app = express();
    const adapter = (req: express.Request, res: express.Response, next: express.NextFunction) => {
      res.on('finish', () => answers.push(res.statusCode));
      return expressWebhook(receiver!)(req, res, next);
    };
    app.post('/hook', adapter);
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    emulator = await startEmulator({ port: 0, webhookUrl: url, faults: { delivery: { duplicate: true } }, delivery: { baseDelayMs: 10 } });
    // The key URL comes from configuration (the emulator's base URL), never from the request.
    receiver = new WebhookReceiver({ baseUrl: emulator.url, logger: silentLogger, onEvent: async (event) => void handled.push(event) });
  });
  afterAll(async () => {
    await emulator.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('should verify every delivery, process each event once despite redelivery, and keep the order', async () => {
    const created = await call(emulator, 'POST', 'conversations', { body: { channelId: emulator.channelId, user: { name: 'Eve' } } });
    const id = (created.body as { conversationId: string }).conversationId;
    const agent = emulator.agent('agent-1');
    await agent.accept(id);
    await agent.say('Hello Eve');
    await agent.leave();
    await emulator.waitForDelivery((d) => d.conversationId === id && d.duplicate && d.eventType === 'CONVERSATION_UPDATE' && (d.event.data as { state: string }).state === 'idle' && d.status === 'delivered');
    const mine = handled.filter((e) => e.conversationId === id);
    expect(mine.map((e) => e.eventType)).toEqual([
      'CONVERSATION_UPDATE', 'CONVERSATION_UPDATE', 'QUEUED', 'MEMBERS_CHANGED', 'CONVERSATION_UPDATE', 'MESSAGE', 'MEMBERS_CHANGED', 'CONVERSATION_UPDATE',
    ]);
    const records = emulator.deliveries.filter((d) => d.conversationId === id);
    expect(records).toHaveLength(16);
    expect(records.every((d) => d.status === 'delivered' && d.attempts.length === 1 && d.attempts[0]!.status === 200)).toBe(true);
    expect(answers.every((s) => s === 200)).toBe(true);
  });
});
