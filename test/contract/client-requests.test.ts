/**
 * Contract: every JSON body the ChatGatewayClient sends is valid against 8x8's own OpenAPI file.
 * The bodies are captured from real HTTP requests, so what is checked is what goes on the wire.
 */
import type { ChatGatewayClient } from '../../src/gateway';
import type { SendMessageRequest } from '../../src/gateway/types';
import { clientFor } from '../gateway/support/client';
import { FakeGateway } from '../gateway/support/fake-gateway';
import { describeContract, OpenApiContract } from '../support/openapi';

const adaptiveCard = {
  contentType: 'application/vnd.microsoft.card.adaptive',
  content: {
    type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.3',
    body: [{ type: 'TextBlock', size: 'Medium', weight: 'Bolder', text: 'Your order' }],
    actions: [{ type: 'Action.Submit', title: 'Track', data: { action: 'track' } }],
  },
};
const quickReplies = {
  contentType: 'application/8x8.quick.replies',
  content: { options: [{ title: 'Yes', data: { postback: 'yes' } }, { title: 'No', data: { postback: 'no' } }] },
};
const history: SendMessageRequest[] = [
  { authorType: 'user', text: 'Hello, can I get my balance please' },
  { authorType: 'bot', text: 'Here is your order. Anything else?', cards: [adaptiveCard, quickReplies] },
  { authorType: 'user', text: 'I attached my invoice', attachments: [{ id: 'T6c-pPJYJoeiTZOJ4RxEOzXMBcmxG8KES2TZkmvuukcU' }] },
  { authorType: 'user', text: 'agent please' },
];
const user = {
  name: 'James Jones', userId: 'u-42', email: 'user@example.com', phone: '013453403332', company: 'Contoso',
  caseId: 'case-7', language: 'en',
  additionalProperties: [{ key: 'Authenticated', value: 'yes' }, { key: 'Intent', value: 'balance' }],
};

/** Each client call that sends a JSON body. */
const calls: Array<[string, (c: ChatGatewayClient) => Promise<unknown>]> = [
  ['createConversation', (c) => c.createConversation({ channelId: 'f5odm43occnifcdcsa', user, assignment: { type: 'queue', id: '123' }, history: { messages: history } })],
  ['createConversation (minimal)', (c) => c.createConversation({ channelId: '25', user: { name: 'Ann' } })],
  ['updateConversation', (c) => c.updateConversation('c1', { channelId: '25', user, assignment: { type: 'queue', id: '7' } })],
  ['patchConversation (assignment)', (c) => c.patchConversation('c1', { assignment: { type: 'queue', id: '7' } })],
  ['patchConversation (user)', (c) => c.patchConversation('c1', { user: { name: 'Bo', language: 'de' } })],
  ['postAgentAssignment', (c) => c.postAgentAssignment('c1', { id: 'NSCIiFrvSHeI7q5apOriDQ', type: 'webhook', configuration: { notifyChannelWebhookIfExists: 'false', maxTotalMinutes: 300, userTimeoutInMinutes: 150 } })],
  ['sendTyping', (c) => c.sendTyping('c1', 'bot')],
  ['sendThinking', (c) => c.sendThinking('c1', { maxThinkingTimeSeconds: 60 })],
  ['sendReadReceipt', (c) => c.sendReadReceipt('c1', { authorType: 'user', readAt: 1_700_000_000_000 })],
  ['sendMessage (text)', (c) => c.sendMessage('c1', { authorType: 'user', text: 'hello' })],
  ['sendMessage (cards and attachments)', (c) => c.sendMessage('c1', history[1]!).then(() => c.sendMessage('c1', history[2]!))],
  ['sendMessage (external provider)', (c) => c.sendMessage('c1', { authorType: 'user', externalProvider: { name: 'X', externalMessageId: '1790' } })],
  ['removeUser', (c) => c.removeUser('c1')],
  ['createWebhook', (c) => c.createWebhook({ name: 'bot webhook', uri: 'https://bot.example/api/8x8/webhook' })],
  ['updateWebhook', (c) => c.updateWebhook('12', { name: 'bot webhook', uri: 'https://bot.example/api/8x8/webhook2' })],
  ['verifyWebhook', (c) => c.verifyWebhook({ uri: 'https://bot.example/api/8x8/webhook' })],
  ['createChannel', (c) => c.createChannel({ name: 'Bot channel', webHookId: '12', routingOptions: { type: 'queue', id: '100' } })],
  ['updateChannel', (c) => c.updateChannel('25', { name: 'Bot channel', webHookId: '12', routingOptions: { type: 'queue', id: '101' } })],
];

describeContract('ChatGatewayClient request bodies against 8x8 OpenAPI', () => {
  let contract: OpenApiContract;
  let fake: FakeGateway;
  let client: ChatGatewayClient;

  beforeAll(async () => {
    contract = OpenApiContract.load();
    fake = await FakeGateway.start();
    fake.setDefault({ status: 200, body: {} });
    client = clientFor(fake).client;
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    client.close();
    await fake.close();
  });

  it.each(calls)('should send a valid body when calling %s', async (_name, call) => {
    fake.setDefault({ status: 200, body: {} });
    await call(client);
    expect(fake.requests.length).toBeGreaterThan(0);
    for (const req of fake.requests) {
      expect(req.json).toBeDefined();
      expect({ [`${req.method} ${req.path}`]: contract.validateRequest(req.method, req.path, req.json) })
        .toEqual({ [`${req.method} ${req.path}`]: [] });
    }
  });

  it('should report errors when a body breaks the contract', () => {
    const path = '/chat-gateway/v1/conversations';
    expect(contract.validateRequest('POST', path, { user: { name: 'Ann' }, history: { messages: [{ text: 'no author' }] } })).not.toEqual([]);
    expect(contract.validateRequest('POST', '/chat-gateway/v1/conversations/c1/typing', {})).not.toEqual([]);
  });
});
