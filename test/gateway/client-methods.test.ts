import type { ChatGatewayClient } from '../../src/gateway';
import { USER_AGENT } from '../../src/gateway';
import { clientFor, TEST_API_KEY, useFakeGateway } from './support/client';
import { FakeGateway, type Reply } from './support/fake-gateway';

const V1 = '/chat-gateway/v1';
const page = { size: 20, number: 0, totalElements: 1, totalPages: 1 };
const hal = (key: string, item: unknown) => ({ _embedded: { [key]: [item] }, _links: { self: { href: 'x' } }, page });
const conversation = { id: 'c 1', state: 'active', channelId: '25', assignment: { type: 'queue', id: '100' }, user: { name: 'Ann' } };
const message = { id: 'm1', text: 'hi', author: { id: 'user', type: 'user' } };
const attachment = { id: 'a1', filename: 'f.txt', sizeInBytes: 3 };
const webhook = { id: '12', name: 'bot', uri: 'https://bot.example/api/8x8/webhook', version: 'Chat Gateway v1.0' };
const channel = { id: '25', name: 'Bot', type: 'ChatAPI', webHookId: '12', routingOptions: { type: 'queue', id: '100' } };

interface Case {
  name: string;
  call: (c: ChatGatewayClient) => Promise<unknown>;
  method: string;
  path: string;
  body?: unknown;
  reply: Reply & object;
  result?: unknown;
}

const cases: Case[] = [
  {
    name: 'createConversation', method: 'POST', path: `${V1}/conversations`,
    call: (c) => c.createConversation({ channelId: '25', user: { name: 'Ann' }, assignment: { type: 'queue', id: '100' } }),
    body: { channelId: '25', user: { name: 'Ann' }, assignment: { type: 'queue', id: '100' } },
    reply: { status: 202, body: { conversationId: 'c1', createdAt: '2026-01-01T00:00:00Z' } },
    result: { conversationId: 'c1', createdAt: '2026-01-01T00:00:00Z' },
  },
  { name: 'getConversation', method: 'GET', path: `${V1}/conversations/c%201`, call: (c) => c.getConversation('c 1'), reply: { status: 200, body: conversation }, result: conversation },
  {
    name: 'listConversations', method: 'GET', path: `${V1}/conversations`, call: (c) => c.listConversations({ size: 5 }),
    reply: { status: 200, body: hal('conversations', conversation) }, result: hal('conversations', conversation),
  },
  {
    name: 'updateConversation', method: 'PUT', path: `${V1}/conversations/c1`, call: (c) => c.updateConversation('c1', { assignment: { type: 'queue', id: '7' } }),
    body: { assignment: { type: 'queue', id: '7' } }, reply: { status: 202, body: conversation }, result: conversation,
  },
  {
    name: 'patchConversation', method: 'PATCH', path: `${V1}/conversations/c1`, call: (c) => c.patchConversation('c1', { user: { name: 'Bo' } }),
    body: { user: { name: 'Bo' } }, reply: { status: 202, body: conversation }, result: conversation,
  },
  {
    name: 'listInteractions', method: 'GET', path: `${V1}/conversations/c1/interactions`, call: (c) => c.listInteractions('c1'),
    reply: { status: 200, body: hal('interactions', { id: 'int-1' }) }, result: hal('interactions', { id: 'int-1' }),
  },
  {
    name: 'postAgentAssignment', method: 'POST', path: `${V1}/conversations/c1/post-agent-assignment`,
    call: (c) => c.postAgentAssignment('c1', { id: 'wh', type: 'webhook', configuration: { maxTotalMinutes: 30 } }),
    body: { id: 'wh', type: 'webhook', configuration: { maxTotalMinutes: 30 } }, reply: { status: 201 },
  },
  { name: 'sendTyping', method: 'POST', path: `${V1}/conversations/c1/typing`, call: (c) => c.sendTyping('c1', 'user'), body: { authorType: 'user' }, reply: { status: 204 } },
  { name: 'sendThinking', method: 'POST', path: `${V1}/conversations/c1/thinking`, call: (c) => c.sendThinking('c1'), body: { authorType: 'bot' }, reply: { status: 204 } },
  {
    name: 'sendThinking (with time)', method: 'POST', path: `${V1}/conversations/c1/thinking`, call: (c) => c.sendThinking('c1', { maxThinkingTimeSeconds: 30 }),
    body: { authorType: 'bot', maxThinkingTimeSeconds: 30 }, reply: { status: 204 },
  },
  {
    name: 'sendReadReceipt', method: 'POST', path: `${V1}/conversations/c1/read-receipt`, call: (c) => c.sendReadReceipt('c1', { authorType: 'user', readAt: 1700000000000 }),
    body: { authorType: 'user', readAt: 1700000000000 }, reply: { status: 204 },
  },
  {
    name: 'sendMessage', method: 'POST', path: `${V1}/conversations/c1/messages`, call: (c) => c.sendMessage('c1', { authorType: 'user', text: 'hello', attachments: [{ id: 'a1' }] }),
    body: { authorType: 'user', text: 'hello', attachments: [{ id: 'a1' }] }, reply: { status: 202 },
  },
  {
    name: 'listMessages', method: 'GET', path: `${V1}/conversations/c1/messages`, call: (c) => c.listMessages('c1', { sort: 'createdAt:asc' }),
    reply: { status: 200, body: { _embedded: { messages: [message] }, page } }, result: { _embedded: { messages: [message] }, page },
  },
  { name: 'getMessage', method: 'GET', path: `${V1}/conversations/c1/messages/m1`, call: (c) => c.getMessage('c1', 'm1'), reply: { status: 200, body: message }, result: message },
  {
    name: 'listCards', method: 'GET', path: `${V1}/conversations/c1/messages/m1/cards`, call: (c) => c.listCards('c1', 'm1'),
    reply: { status: 200, body: hal('cards', { id: 'k', contentType: 'application/8x8.quick.replies', content: { options: [] } }) },
    result: hal('cards', { id: 'k', contentType: 'application/8x8.quick.replies', content: { options: [] } }),
  },
  {
    name: 'listParticipants', method: 'GET', path: `${V1}/conversations/c1/participants`, call: (c) => c.listParticipants('c1'),
    reply: { status: 200, body: hal('participants', { id: 'user', type: 'user' }) }, result: hal('participants', { id: 'user', type: 'user' }),
  },
  { name: 'removeUser', method: 'PATCH', path: `${V1}/conversations/c1/participants/user`, call: (c) => c.removeUser('c1'), body: { removed: true }, reply: { status: 204 } },
  {
    name: 'listAttachments', method: 'GET', path: `${V1}/conversations/c1/attachments`, call: (c) => c.listAttachments('c1'),
    reply: { status: 200, body: hal('attachments', attachment) }, result: hal('attachments', attachment),
  },
  { name: 'getAttachment', method: 'GET', path: `${V1}/conversations/c1/attachments/a1`, call: (c) => c.getAttachment('c1', 'a1'), reply: { status: 200, body: attachment }, result: attachment },
  { name: 'listWebhooks', method: 'GET', path: `${V1}/webhooks`, call: (c) => c.listWebhooks(), reply: { status: 200, body: hal('webhooks', webhook) }, result: hal('webhooks', webhook) },
  {
    name: 'createWebhook', method: 'POST', path: `${V1}/webhooks`, call: (c) => c.createWebhook({ name: 'bot', uri: webhook.uri }),
    body: { name: 'bot', uri: webhook.uri, version: 'Chat Gateway v1.0', notificationVersion: 'Chat Gateway v1.0' }, reply: { status: 200, body: webhook }, result: webhook,
  },
  { name: 'getWebhook', method: 'GET', path: `${V1}/webhooks/12`, call: (c) => c.getWebhook('12'), reply: { status: 200, body: webhook }, result: webhook },
  {
    name: 'updateWebhook', method: 'PUT', path: `${V1}/webhooks/12`, call: (c) => c.updateWebhook('12', { name: 'bot2', uri: webhook.uri }),
    body: { name: 'bot2', uri: webhook.uri, version: 'Chat Gateway v1.0', notificationVersion: 'Chat Gateway v1.0' }, reply: { status: 200, body: webhook }, result: webhook,
  },
  { name: 'deleteWebhook', method: 'DELETE', path: `${V1}/webhooks/12`, call: (c) => c.deleteWebhook('12'), reply: { status: 204 } },
  {
    name: 'verifyWebhook', method: 'POST', path: `${V1}/webhooks/verify`, call: (c) => c.verifyWebhook({ uri: webhook.uri }),
    body: { version: 'Chat Gateway v1.0', uri: webhook.uri }, reply: { status: 204 },
  },
  { name: 'listChannels', method: 'GET', path: `${V1}/channels`, call: (c) => c.listChannels(), reply: { status: 200, body: hal('channels', channel) }, result: hal('channels', channel) },
  {
    name: 'createChannel', method: 'POST', path: `${V1}/channels`, call: (c) => c.createChannel({ name: 'Bot', webHookId: '12', routingOptions: { type: 'queue', id: '100' } }),
    body: { name: 'Bot', type: 'ChatAPI', webHookId: '12', routingOptions: { type: 'queue', id: '100' } }, reply: { status: 200, body: channel }, result: channel,
  },
  { name: 'getChannel', method: 'GET', path: `${V1}/channels/25`, call: (c) => c.getChannel('25'), reply: { status: 200, body: channel }, result: channel },
  {
    name: 'updateChannel', method: 'PUT', path: `${V1}/channels/25`, call: (c) => c.updateChannel('25', { name: 'Bot', webHookId: '12', routingOptions: { type: 'queue', id: '7' } }),
    body: { name: 'Bot', type: 'ChatAPI', webHookId: '12', routingOptions: { type: 'queue', id: '7' } }, reply: { status: 200, body: channel }, result: channel,
  },
  { name: 'deleteChannel', method: 'DELETE', path: `${V1}/channels/25`, call: (c) => c.deleteChannel('25'), reply: { status: 204 } },
];

describe('ChatGatewayClient', () => {
  const suite = useFakeGateway(() => FakeGateway.start());

  describe.each(cases)('#$name()', (c) => {
    it(`should send ${c.method} ${c.path} with the api key, tenant, accept and user-agent headers and return the parsed body`, async () => {
      suite.fake.reply(c.reply);
      const result = await c.call(suite.client);
      const req = suite.fake.last();
      expect(suite.fake.requests).toHaveLength(1);
      expect(`${req.method} ${req.path}`).toBe(`${c.method} ${c.path}`);
      expect(req.headers['x-api-key']).toBe(TEST_API_KEY);
      expect(req.headers['x-8x8-tenant']).toBe('tenant-1');
      expect(req.headers.accept).toBe('application/hal+json, application/json');
      expect(req.headers['user-agent']).toBe(USER_AGENT);
      if (c.body === undefined) {
        expect(req.body.length).toBe(0);
      } else {
        expect(req.headers['content-type']).toMatch(/^application\/json/);
        expect(req.json).toEqual(c.body);
      }
      expect(result).toEqual(c.result);
    });
  });

  describe('#listConversations()', () => {
    it('should send size, page, sort and filter as query parameters when given', async () => {
      suite.fake.reply({ status: 200, body: hal('conversations', conversation) });
      await suite.client.listConversations({ size: 5, page: 2, sort: 'id:desc', filter: 'name==Ann,(routingOption.id==11)' });
      const q = suite.fake.last().query;
      expect([q.get('size'), q.get('page'), q.get('sort'), q.get('filter')]).toEqual(['5', '2', 'id:desc', 'name==Ann,(routingOption.id==11)']);
    });
  });

  describe('#getPublicJwk()', () => {
    it('should fetch the key without sending the api key when called', async () => {
      const jwk = { kty: 'RSA', e: 'AQAB', kid: 'k1', n: 'abc' };
      suite.fake.reply({ status: 200, body: jwk, headers: { 'content-type': 'application/json' } });
      await expect(suite.client.getPublicJwk('k1')).resolves.toEqual(jwk);
      expect(suite.fake.last().path).toBe(`${V1}/jwk/k1/public`);
      expect(suite.fake.last().headers['x-api-key']).toBeUndefined();
    });
  });

  describe('#getConversation()', () => {
    it('should reject an empty id before sending anything', async () => {
      await expect(suite.client.getConversation('')).rejects.toThrow(/conversationId must be a non-empty string/);
      expect(suite.fake.requests).toHaveLength(0);
    });
  });

  it('should omit X-8x8-Tenant when no tenantId is configured', async () => {
    const { client: noTenant } = clientFor(suite.fake, { tenantId: undefined });
    await noTenant.sendTyping('c1', 'bot');
    expect(suite.fake.last().headers['x-8x8-tenant']).toBeUndefined();
    noTenant.close();
  });
});
