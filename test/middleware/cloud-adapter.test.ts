import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, MemoryStorage } from 'botbuilder';
import { startEmulator, type Emulator } from '../../src/emulator';
import { ChatGatewayClient } from '../../src/gateway';
import { HandoffMiddleware } from '../../src/handoff';
import { silentLogger } from '../../src/logger';
import { triggers } from '../../src/triggers';
import { startConnectorStub, type ConnectorStub } from '../support/connector-stub';
import { EchoBot, eventually } from './harness';

describe('HandoffMiddleware through a real CloudAdapter over HTTP', () => {
  let emulator: Emulator;
  let connector: ConnectorStub;
  let server: http.Server;
  let botUrl: string;
  let handoff: HandoffMiddleware;
  const bot = new EchoBot();
  const errors: unknown[] = [];
  let nextId = 0;

  beforeAll(async () => {
    connector = await startConnectorStub();
    // No app id: botbuilder skips inbound auth, acceptable only for a local test bound to 127.0.0.1.
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    const app = express();
    let webhook: express.RequestHandler = (_req, res) => void res.status(503).end();
    app.post('/api/8x8/webhook', (req, res, next) => webhook(req, res, next));
    app.post('/api/messages', express.json(), (req, res) => adapter.process(req, res, (context) => bot.run(context)));
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    emulator = await startEmulator({ port: 0, webhookUrl: `${botUrl}/api/8x8/webhook`, delivery: { baseDelayMs: 5 } });
    handoff = new HandoffMiddleware({
      gateway: new ChatGatewayClient({ apiKey: 'emulator-api-key', baseUrl: emulator.url, logger: silentLogger }),
      channelId: emulator.channelId,
      queueId: 'support',
      adapter,
      botAppId: '',
      storage: new MemoryStorage(),
      bot,
      triggers: [triggers.keywords(['agent'])],
      logger: silentLogger,
      // No webhook.baseUrl: the signing keys are fetched from the gateway client's host (the emulator).
      webhook: { logger: silentLogger },
      onError: (error) => void errors.push(error),
    });
    adapter.use(handoff);
    webhook = handoff.webhook();
  });
  afterAll(async () => {
    await handoff.whenIdle();
    await emulator.close();
    await connector.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** Posts a Bot Framework activity from the channel (the connector stub is its serviceUrl). */
  async function userSays(text: string): Promise<number> {
    const activity = {
      type: 'message', id: `act-${++nextId}`, text, channelId: 'webchat', serviceUrl: connector.url, locale: 'en-US',
      from: { id: 'cloud-user', name: 'Cleo' }, recipient: { id: 'bot', name: 'Bot' }, conversation: { id: 'cloud-conv' },
    };
    const res = await fetch(`${botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    return res.status;
  }
  const said = (text: string) => connector.waitFor((p) => p.activity.text === text);

  it('should answer as the bot and escalate, replying through the connector', async () => {
    expect(await userSays('hi')).toBe(200);
    const [echo] = await said('echo: hi');
    expect(echo).toMatchObject({ conversationId: 'cloud-conv', replyToId: 'act-1' });
    expect(await userSays('agent please')).toBe(200);
    await said('Connecting you with a person. Please wait a moment…');
    const conversation = await emulator.waitForConversation((c) => c.user.userId === 'cloud-user');
    expect(conversation.user).toMatchObject({ name: 'Cleo', language: 'en' });
  });

  it('should relay the agent proactively and forward the user to the agent until the agent leaves', async () => {
    const id = emulator.conversations.find((c) => c.user.userId === 'cloud-user')!.id;
    await eventually(() => emulator.conversation(id)?.status === 'queued', 'queued');
    const agent = emulator.agent('agent-1');
    await agent.accept(id);
    const [joined] = await said('An agent joined the conversation.');
    expect(joined).toMatchObject({ conversationId: 'cloud-conv' });
    await agent.say('Hello from the agent');
    const [agentMessage] = await said('Hello from the agent');
    // A proactive message answers nothing the channel saw: no replyToId (Web Chat would hold it).
    expect(agentMessage!.activity.replyToId).toBeUndefined();
    expect(agentMessage!.replyToId).toBeUndefined();
    await userSays('thanks, agent');
    await agent.waitForMessage(id, (m) => m.text === 'thanks, agent');
    await agent.leave(id);
    await said('The agent left the conversation. You are chatting with the bot again.');
    await userSays('bot again?');
    await said('echo: bot again?');
    expect(bot.heard).toEqual(['hi', 'bot again?']);
    expect(errors).toEqual([]);
  });
});
