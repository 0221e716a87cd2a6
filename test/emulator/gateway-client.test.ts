import { startEmulator, type Emulator } from '../../src/emulator';
import { ChatGatewayApiError, ChatGatewayClient } from '../../src/gateway';
import { silentLogger } from '../../src/logger';
import { startReceiver, type Receiver } from './support/receiver';

/** The real ChatGatewayClient against the emulator: every endpoint, success and error paths. */
describe('ChatGatewayClient against the emulator', () => {
  let emulator: Emulator;
  let receiver: Receiver;
  let client: ChatGatewayClient;

  beforeAll(async () => {
    receiver = await startReceiver();
    emulator = await startEmulator({ port: 0, webhookUrl: receiver.url, tenantId: 'T1', delivery: { baseDelayMs: 5 } });
    client = new ChatGatewayClient({ apiKey: 'emulator-api-key', baseUrl: emulator.url, tenantId: 'T1', logger: silentLogger, keepAlive: false, retry: { retries: 0 } });
  });
  afterAll(async () => {
    await emulator.close();
    await receiver.close();
  });

  const apiError = async (promise: Promise<unknown>): Promise<ChatGatewayApiError> => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ChatGatewayApiError);
    return error as ChatGatewayApiError;
  };

  it('should manage webhooks and channels, and fetch the JWK', async () => {
    const webhook = await client.createWebhook({ name: 'hook', uri: receiver.url, version: 'Chat Gateway v1.0' });
    expect(await client.getWebhook(webhook.id)).toEqual(webhook);
    expect((await client.updateWebhook(webhook.id, { name: 'hook2', uri: receiver.url })).name).toBe('hook2');
    expect((await client.listWebhooks()).page.totalElements).toBe(2);
    await client.verifyWebhook({ uri: receiver.url, version: 'Chat Gateway v1.0' });
    const channel = await client.createChannel({ name: 'c', type: 'ChatAPI', webHookId: webhook.id, routingOptions: { type: 'queue', id: 'support' } });
    expect(await client.getChannel(channel.id)).toEqual(channel);
    expect((await client.updateChannel(channel.id, { ...channel, name: 'c2' })).name).toBe('c2');
    expect((await client.listChannels()).page.totalElements).toBe(2);
    await client.deleteChannel(channel.id);
    await client.deleteWebhook(webhook.id);
    expect((await apiError(client.getWebhook(webhook.id))).status).toBe(404);
    expect((await apiError(client.getChannel(channel.id))).status).toBe(404);
    expect(await client.getPublicJwk(emulator.jwk.kid)).toMatchObject({ kty: 'RSA', kid: emulator.jwk.kid });
  });

  it('should run a conversation: create, update, messages, signals, participants, interactions, attachments', async () => {
    const { conversationId: id } = await client.createConversation({ channelId: emulator.channelId, user: { name: 'Client' }, history: { messages: [{ authorType: 'bot', text: 'hi' }] } });
    expect(await client.getConversation(id)).toMatchObject({ id, channelId: emulator.channelId });
    expect((await client.listConversations({ filter: `id==${id}` })).page.totalElements).toBe(1);
    expect((await client.updateConversation(id, { user: { name: 'Put' } })).user).toEqual({ name: 'Put' });
    expect((await client.patchConversation(id, { user: { name: 'Patch' } })).user).toEqual({ name: 'Patch' });
    await client.sendTyping(id, 'bot');
    await client.sendThinking(id);
    await client.sendReadReceipt(id, { authorType: 'user', readAt: Date.now() });
    await client.postAgentAssignment(id, { id: emulator.webhookId, type: 'webhook' });
    const file = await client.uploadAttachment(id, { data: Buffer.from('bytes'), filename: 'a.txt', contentType: 'text/plain', authorType: 'user' });
    expect(await client.getAttachment(id, file.id)).toEqual(file);
    expect((await client.listAttachments(id)).page.totalElements).toBe(1);
    const download = await client.downloadAttachment(id, file.id);
    const chunks: Buffer[] = [];
    for await (const chunk of download.stream) chunks.push(chunk as Buffer);
    expect([Buffer.concat(chunks).toString(), download.filename]).toEqual(['bytes', 'a.txt']);
    await client.sendMessage(id, { authorType: 'user', text: 'with card', attachments: [{ id: file.id }], cards: [{ contentType: 'application/8x8.quick.replies', content: { options: [] } }] });
    const messages = await client.listMessages(id);
    const latest = messages._embedded.messages[0]!;
    expect(latest).toMatchObject({ text: 'with card', attachments: [{ id: file.id }] });
    expect(await client.getMessage(id, latest.id)).toEqual(latest);
    expect((await client.listCards(id, latest.id))._embedded.cards).toHaveLength(1);
    expect((await client.listInteractions(id)).page.totalElements).toBe(1);
    await client.removeUser(id);
    expect((await client.listParticipants(id))._embedded.participants).toContainEqual({ id: 'user', type: 'user', removed: true });
  });

  it('should surface 8x8 errors with status, referenceId and details', async () => {
    const bad = await apiError(client.sendMessage('nope', { authorType: 'user', text: 'x' }));
    expect(bad.status).toBe(404);
    const { conversationId: id } = await client.createConversation({ channelId: emulator.channelId, user: {} });
    const invalid = await apiError(client.sendMessage(id, { authorType: 'agent' as 'user', text: 'x' }));
    expect([invalid.status, invalid.referenceId]).toEqual([400, expect.any(String)]);
    const wrongKey = new ChatGatewayClient({ apiKey: 'wrong', baseUrl: emulator.url, logger: silentLogger, keepAlive: false });
    expect((await apiError(wrongKey.listWebhooks())).status).toBe(401);
    const wrongTenant = new ChatGatewayClient({ apiKey: 'emulator-api-key', tenantId: 'T2', baseUrl: emulator.url, logger: silentLogger, keepAlive: false });
    expect((await apiError(wrongTenant.listChannels())).status).toBe(403);
    expect((await apiError(client.createConversation({ channelId: 'nope', user: {} }))).status).toBe(400);
  });
});
