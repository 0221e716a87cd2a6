/**
 * Acceptance (black box): ChatGatewayClient against a fake 8x8 server written from REFERENCE.md
 * section 3, and the retry table of RELIABILITY.md (O2, O3).
 */
import busboy from 'busboy';
import {
  ChatGatewayApiError, ChatGatewayClient, ChatGatewayNetworkError, ChatGatewayThrottledError, ConfigurationError, silentLogger,
  type ChatGatewayClientOptions,
} from 'botbuilder-8x8-handoff';
import { FakeGateway, type Recorded } from './support/fake-gateway';

const API_KEY = 'secret-key-1234567890';
let fake: FakeGateway;
const clients: ChatGatewayClient[] = [];
let sleeps: number[] = [];

beforeAll(async () => {
  fake = await FakeGateway.start();
});
afterEach(() => {
  fake.reset();
  sleeps = [];
});
afterAll(async () => {
  for (const c of clients) c.close();
  await fake.close();
});

function client(extra: Partial<ChatGatewayClientOptions> = {}): ChatGatewayClient {
  const c = new ChatGatewayClient({
    apiKey: API_KEY, baseUrl: fake.url, logger: silentLogger, random: () => 0.5,
    sleep: async (ms) => void sleeps.push(ms), ...extra,
  });
  clients.push(c);
  return c;
}

const json = (r: Recorded) => JSON.parse(r.body.toString('utf8')) as unknown;
const only = () => {
  expect(fake.requests).toHaveLength(1);
  return fake.requests[0];
};

function parseMultipart(r: Recorded): Promise<{ fields: Record<string, string>; files: Record<string, { filename: string; mimeType: string; data: Buffer }> }> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files: Record<string, { filename: string; mimeType: string; data: Buffer }> = {};
    const bb = busboy({ headers: r.headers as Record<string, string> });
    bb.on('field', (name, value) => void (fields[name] = value));
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => void (files[name] = { filename: info.filename ?? '', mimeType: info.mimeType, data: Buffer.concat(chunks) }));
    });
    bb.on('close', () => resolve({ fields, files }));
    bb.on('error', reject);
    bb.end(r.body);
  });
}

describe('ChatGatewayClient (acceptance)', () => {
  describe('requests', () => {
    it('should send x-api-key and X-8x8-Tenant on every call when tenantId is set', async () => {
      await client({ tenantId: 'tenant-7' }).getConversation('c1');
      const r = only();
      expect(r.headers['x-api-key']).toBe(API_KEY);
      expect(r.headers['x-8x8-tenant']).toBe('tenant-7');
      expect(r.headers.authorization).toBeUndefined();
    });

    it('should not send X-8x8-Tenant when tenantId is not set', async () => {
      await client().getConversation('c1');
      expect(only().headers['x-8x8-tenant']).toBeUndefined();
    });

    it('should POST /chat-gateway/v1/conversations as JSON and return the 202 body', async () => {
      const req = {
        channelId: 'ch-1', user: { name: 'James Jones', language: 'en', additionalProperties: [{ key: 'Intent', value: 'balance' }] },
        assignment: { type: 'queue', id: '123' }, history: { messages: [{ authorType: 'user' as const, text: 'Hello' }, { authorType: 'bot' as const, text: 'Hi' }] },
      };
      const res = await client().createConversation(req);
      expect(res).toEqual({ conversationId: 'conv-1', createdAt: '2021-01-30T08:30:00Z' });
      const r = only();
      expect([r.method, r.path]).toEqual(['POST', '/chat-gateway/v1/conversations']);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(json(r)).toEqual(req);
    });

    it('should map each conversation call to its documented method and path', async () => {
      const c = client();
      const calls: Array<[() => Promise<unknown>, string, string, unknown?]> = [
        [() => c.getConversation('c 1'), 'GET', '/chat-gateway/v1/conversations/c%201'],
        [() => c.listConversations({ size: 5, page: 2 }), 'GET', '/chat-gateway/v1/conversations'],
        [() => c.updateConversation('c1', { assignment: { type: 'queue', id: 'q2' } }), 'PUT', '/chat-gateway/v1/conversations/c1', { assignment: { type: 'queue', id: 'q2' } }],
        [() => c.patchConversation('c1', { user: { name: 'N' } }), 'PATCH', '/chat-gateway/v1/conversations/c1', { user: { name: 'N' } }],
        [() => c.listInteractions('c1'), 'GET', '/chat-gateway/v1/conversations/c1/interactions'],
        [() => c.postAgentAssignment('c1', { id: 'wh', type: 'webhook' }), 'POST', '/chat-gateway/v1/conversations/c1/post-agent-assignment', { id: 'wh', type: 'webhook' }],
        [() => c.sendTyping('c1', 'bot'), 'POST', '/chat-gateway/v1/conversations/c1/typing', { authorType: 'bot' }],
        [() => c.sendMessage('c1', { authorType: 'user', text: 'yo' }), 'POST', '/chat-gateway/v1/conversations/c1/messages', { authorType: 'user', text: 'yo' }],
        [() => c.listMessages('c1'), 'GET', '/chat-gateway/v1/conversations/c1/messages'],
        [() => c.getMessage('c1', 'm1'), 'GET', '/chat-gateway/v1/conversations/c1/messages/m1'],
        [() => c.listCards('c1', 'm1'), 'GET', '/chat-gateway/v1/conversations/c1/messages/m1/cards'],
        [() => c.listParticipants('c1'), 'GET', '/chat-gateway/v1/conversations/c1/participants'],
        [() => c.removeUser('c1'), 'PATCH', '/chat-gateway/v1/conversations/c1/participants/user', { removed: true }],
        [() => c.listAttachments('c1'), 'GET', '/chat-gateway/v1/conversations/c1/attachments'],
        [() => c.getAttachment('c1', 'a1'), 'GET', '/chat-gateway/v1/conversations/c1/attachments/a1'],
      ];
      for (const [call, method, path, body] of calls) {
        fake.reset();
        await call();
        const r = only();
        expect(`${r.method} ${r.path}`).toBe(`${method} ${path}`);
        if (body !== undefined) expect(json(r)).toEqual(body);
      }
    });

    it('should pass list paging as size and page query parameters', async () => {
      await client().listConversations({ size: 5, page: 2, sort: 'id:asc' });
      const r = only();
      expect(r.query.get('size')).toBe('5');
      expect(r.query.get('page')).toBe('2');
      expect(r.query.get('sort')).toBe('id:asc');
    });

    it('should return HAL list envelopes as received', async () => {
      const list = await client().listConversations();
      expect(list._embedded.conversations[0].id).toBe('conv-1');
      expect(list.page.totalElements).toBe(1);
      const msgs = await client().listMessages('c1');
      expect(msgs._embedded.messages[0].author.type).toBe('user');
    });

    it('should resolve with nothing for 202 send-message, 204 typing and 204 user-leave', async () => {
      const c = client();
      await expect(c.sendMessage('c1', { authorType: 'bot', text: 'x' })).resolves.toBeUndefined();
      await expect(c.sendTyping('c1', 'user')).resolves.toBeUndefined();
      await expect(c.removeUser('c1')).resolves.toBeUndefined();
    });

    it('should upload an attachment as multipart/form-data with parts attachment and authorType', async () => {
      const att = await client().uploadAttachment('c1', { data: Buffer.from('hello file'), filename: 'note.txt', contentType: 'text/plain', authorType: 'user' });
      expect(att.id).toBe('att-1');
      const r = only();
      expect(`${r.method} ${r.path}`).toBe('POST /chat-gateway/v1/conversations/c1/attachments');
      expect(r.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      const { fields, files } = await parseMultipart(r);
      expect(fields.authorType).toBe('user');
      expect(files.attachment.filename).toBe('note.txt');
      expect(files.attachment.mimeType).toBe('text/plain');
      expect(files.attachment.data.toString()).toBe('hello file');
    });

    it('should download attachment content as a stream with the filename from Content-Disposition', async () => {
      const dl = await client().downloadAttachment('c1', 'a1');
      const chunks: Buffer[] = [];
      for await (const chunk of dl.stream) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).toString()).toBe('hello');
      expect(dl.filename).toBe('a.txt');
      expect(only().path).toBe('/chat-gateway/v1/conversations/c1/attachments/a1/content');
    });

    it('should cover webhooks, channels and the public JWK', async () => {
      const c = client();
      const calls: Array<[() => Promise<unknown>, string, string, unknown?]> = [
        [() => c.listWebhooks(), 'GET', '/chat-gateway/v1/webhooks'],
        [() => c.createWebhook({ name: 'hook', uri: 'https://example.com/hook' }), 'POST', '/chat-gateway/v1/webhooks'],
        [() => c.getWebhook('wh-1'), 'GET', '/chat-gateway/v1/webhooks/wh-1'],
        [() => c.updateWebhook('wh-1', { name: 'hook', uri: 'https://example.com/hook' }), 'PUT', '/chat-gateway/v1/webhooks/wh-1'],
        [() => c.deleteWebhook('wh-1'), 'DELETE', '/chat-gateway/v1/webhooks/wh-1'],
        [() => c.verifyWebhook({ uri: 'https://example.com/hook' }), 'POST', '/chat-gateway/v1/webhooks/verify'],
        [() => c.listChannels(), 'GET', '/chat-gateway/v1/channels'],
        [() => c.createChannel({ name: 'chan', webHookId: 'wh-1', routingOptions: { type: 'queue', id: 'q-1' } }), 'POST', '/chat-gateway/v1/channels'],
        [() => c.getChannel('ch-1'), 'GET', '/chat-gateway/v1/channels/ch-1'],
        [() => c.updateChannel('ch-1', { name: 'chan', webHookId: 'wh-1', routingOptions: { type: 'queue', id: 'q-1' } }), 'PUT', '/chat-gateway/v1/channels/ch-1'],
        [() => c.deleteChannel('ch-1'), 'DELETE', '/chat-gateway/v1/channels/ch-1'],
        [() => c.getPublicJwk('k1'), 'GET', '/chat-gateway/v1/jwk/k1/public'],
      ];
      for (const [call, method, path] of calls) {
        fake.reset();
        await call();
        expect(`${only().method} ${only().path}`).toBe(`${method} ${path}`);
      }
      fake.reset();
      await c.createWebhook({ name: 'hook', uri: 'https://example.com/hook' });
      const body = json(only()) as Record<string, unknown>;
      expect(body.name).toBe('hook');
      expect(body.version ?? body.notificationVersion).toBe('Chat Gateway v1.0');
      fake.reset();
      await c.verifyWebhook({ uri: 'https://example.com/hook' });
      expect((json(only()) as Record<string, unknown>).version).toBe('Chat Gateway v1.0');
    });
  });

  describe('errors', () => {
    async function failure(p: Promise<unknown>): Promise<ChatGatewayApiError> {
      const error = await p.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ChatGatewayApiError);
      return error as ChatGatewayApiError;
    }

    it('should parse the 400 general shape (errors as objects)', async () => {
      fake.next({ status: 400, body: { message: 'Internal error.', errors: [{ code: 'invalid_queue', message: 'Queue ID 112 is invalid.' }] } });
      const e = await failure(client().createConversation({ channelId: 'c', user: {} }));
      expect(e.status).toBe(400);
      expect(e.method).toBe('POST');
      expect(e.path).toBe('/chat-gateway/v1/conversations');
      expect(e.errors).toEqual([{ code: 'invalid_queue', message: 'Queue ID 112 is invalid.' }]);
      expect(e.code).toEqual(expect.any(String));
    });

    it('should parse the 401 shape with referenceId', async () => {
      fake.next({ status: 401, body: { message: 'Access Denied', errors: [{ message: 'Access Denied', code: 'access_denied' }], referenceId: 'dacd0dd252723a2' } });
      const e = await failure(client().getConversation('c1'));
      expect(e.status).toBe(401);
      expect(e.referenceId).toBe('dacd0dd252723a2');
      expect(e.errors).toEqual([{ message: 'Access Denied', code: 'access_denied' }]);
      expect(fake.requests).toHaveLength(1);
    });

    it('should parse the 403 shape (errors as strings)', async () => {
      fake.next({ status: 403, body: { message: 'The tenant does not belong to customer.', errors: ["Header X-8x8-Tenant doesn't match tenant information for customerId=aaaa"] } });
      const e = await failure(client().listConversations());
      expect(e.status).toBe(403);
      expect(e.errors).toEqual([{ message: "Header X-8x8-Tenant doesn't match tenant information for customerId=aaaa" }]);
    });

    it('should parse the 404 shape (errors as strings)', async () => {
      fake.next({ status: 404, body: { message: 'Resource of type Conversation with id x was not found.', errors: ['Tenant t does not belong to customer c.'] } });
      const e = await failure(client().getConversation('x'));
      expect(e.status).toBe(404);
      expect(e.errors.map((x) => x.message)).toEqual(['Tenant t does not belong to customer c.']);
    });

    it('should parse the send-message 400 shape (errors as one object) with referenceId', async () => {
      fake.next({ status: 400, body: { message: 'Invalid authorType=ghfgh, has to be one of user, bot, agent', errors: { code: 'invalid_json_object', message: 'Invalid authorType=ghfgh, has to be one of user, bot, agent' }, referenceId: '98e9da1f69f06d9019353ec66da6063a' } });
      const e = await failure(client().sendMessage('c1', { authorType: 'user', text: 'x' }));
      expect(e.status).toBe(400);
      expect(e.referenceId).toBe('98e9da1f69f06d9019353ec66da6063a');
      expect(e.errors).toEqual([{ code: 'invalid_json_object', message: 'Invalid authorType=ghfgh, has to be one of user, bot, agent' }]);
    });

    it('should parse the invalid-parameter and resource-not-found-exception shapes', async () => {
      fake.next({ status: 404, body: { message: 'Resource not found', errors: [{ code: 'resource_not_found', message: 'Entity of type Conversation with id aaa was not found.' }] } });
      const e = await failure(client().sendTyping('aaa', 'bot'));
      expect(e.errors[0].code).toBe('resource_not_found');
      fake.next({ status: 400, body: { message: 'Invalid parameter exception', errors: [{ code: 'invalid_parameter', message: '...' }], referenceId: 'r1' } });
      const e2 = await failure(client().sendTyping('aaa', 'bot'));
      expect(e2.errors[0].code).toBe('invalid_parameter');
      expect(e2.referenceId).toBe('r1');
    });

    it('should never put the API key in an error message or its JSON', async () => {
      fake.next({ status: 401, body: { message: 'Access Denied', errors: [] } });
      const e = await failure(client().getConversation('c1'));
      expect(`${e.message} ${e.stack} ${JSON.stringify(e)}`).not.toContain(API_KEY);
    });
  });

  describe('retries', () => {
    it('should retry a GET after 429 honouring Retry-After in seconds', async () => {
      fake.next({ status: 429, body: { message: 'Too many' }, headers: { 'retry-after': '2' } });
      const conv = await client().getConversation('c1');
      expect(conv.id).toBe('conv-1');
      expect(fake.requests).toHaveLength(2);
      expect(sleeps).toEqual([2000]);
    });

    it('should honour Retry-After given as an HTTP date', async () => {
      const now = Date.UTC(2026, 0, 5, 12, 0, 0); // a whole second: HTTP-dates have second resolution
      fake.next({ status: 429, body: { message: 'Too many' }, headers: { 'retry-after': new Date(now + 3000).toUTCString() } });
      await client({ clock: () => now }).getConversation('c1');
      expect(fake.requests).toHaveLength(2);
      expect(sleeps).toEqual([3000]);
    });

    it('should fail fast as throttled when Retry-After is above the 60 s cap', async () => {
      fake.next({ status: 429, body: { message: 'Too many' }, headers: { 'retry-after': '120' } });
      const error = await client().getConversation('c1').then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ChatGatewayThrottledError);
      expect((error as ChatGatewayThrottledError).status).toBe(429);
      expect(fake.requests).toHaveLength(1);
      expect(sleeps).toEqual([]);
    });

    it('should refuse a response body above maxResponseBytes', async () => {
      fake.next({ status: 200, body: { id: 'c1', padding: 'x'.repeat(5000) } });
      await expect(client({ maxResponseBytes: 1000, retry: { retries: 0 } }).getConversation('c1')).rejects.toThrow();
    });

    it('should retry create-conversation after 429 and after 503 (never processed)', async () => {
      fake.next({ status: 429, body: { message: 'Too many' }, headers: { 'retry-after': '1' } }, { status: 503, body: { message: 'Unavailable' } });
      const res = await client().createConversation({ channelId: 'c', user: {} });
      expect(res.conversationId).toBe('conv-1');
      expect(fake.requests.map((r) => r.method)).toEqual(['POST', 'POST', 'POST']);
    });

    it('should retry a GET after 503 then succeed', async () => {
      fake.next({ status: 503, body: { message: 'Unavailable' } });
      await client().listMessages('c1');
      expect(fake.requests).toHaveLength(2);
    });

    it('should not retry send-message after 500 (outcome unknown)', async () => {
      fake.next({ status: 500, body: { message: 'Internal error.', errors: [] } });
      await expect(client().sendMessage('c1', { authorType: 'user', text: 'once' })).rejects.toBeInstanceOf(ChatGatewayApiError);
      expect(fake.requests).toHaveLength(1);
    });

    it('should not retry a 400', async () => {
      fake.next({ status: 400, body: { message: 'bad', errors: [] } });
      await expect(client().getConversation('c1')).rejects.toMatchObject({ status: 400 });
      expect(fake.requests).toHaveLength(1);
    });

    it('should never POST a message twice after the server read it and reset the connection', async () => {
      fake.next({ reset: true });
      const error = await client().sendMessage('c1', { authorType: 'user', text: 'once' }).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ChatGatewayNetworkError);
      expect((error as ChatGatewayNetworkError).kind).toBe('reset');
      expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    });

    it('should never POST create-conversation twice after a reset', async () => {
      fake.next({ reset: true });
      await expect(client().createConversation({ channelId: 'c', user: {} })).rejects.toBeInstanceOf(ChatGatewayNetworkError);
      expect(fake.requests).toHaveLength(1);
    });

    it('should retry an idempotent GET after a reset', async () => {
      fake.next({ reset: true });
      await client().getConversation('c1');
      expect(fake.requests).toHaveLength(2);
    });

    it('should fail with a timeout network error when the server never answers', async () => {
      fake.next({ hang: true });
      const started = Date.now();
      const error = await client({ timeoutMs: 300, retry: { retries: 0 } }).getConversation('c1').then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ChatGatewayNetworkError);
      expect((error as ChatGatewayNetworkError).kind).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it('should fail with a refused network error when nothing listens', async () => {
      const error = await client({ baseUrl: 'http://127.0.0.1:1', retry: { retries: 0 } }).getConversation('c1').then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ChatGatewayNetworkError);
      expect((error as ChatGatewayNetworkError).kind).toBe('refused');
    });
  });

  describe('construction', () => {
    it.each<[string, Partial<ChatGatewayClientOptions>, RegExp]>([
      ['apiKey missing', { apiKey: undefined }, /apiKey/],
      ['apiKey empty', { apiKey: '' }, /apiKey/],
      ['baseUrl not a URL', { baseUrl: 'api.8x8.com' }, /baseUrl/],
      ['timeoutMs negative', { timeoutMs: -1 }, /timeoutMs/],
      ['deadlineMs not a number', { deadlineMs: Number.NaN }, /deadlineMs/],
      ['retry.retries negative', { retry: { retries: -2 } }, /retries/],
    ])('should throw a ConfigurationError naming the option when %s', (_name, bad, re) => {
      let error: unknown;
      try {
        new ChatGatewayClient({ apiKey: API_KEY, baseUrl: fake.url, logger: silentLogger, ...bad } as ChatGatewayClientOptions);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toMatch(re);
    });
  });
});
