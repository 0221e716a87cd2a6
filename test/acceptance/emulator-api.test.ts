/**
 * Acceptance (black box): the emulator's HTTP API against REFERENCE.md section 3 and 8x8's
 * OpenAPI file: statuses, body shapes, validation and error shapes. Raw fetch, no package client.
 */
import { startEmulator, type Emulator } from 'botbuilder-8x8-handoff/emulator';
import { describeContract } from '../support/openapi';
import { Oas } from './support/oas';
import { WebhookSink } from './support/webhook-sink';

const API_KEY = 'acceptance-key';
// Loaded inside the suite, so a clone without ../shared never reads the file (see describeContract).
let oas: Oas;
let emu: Emulator;
let sink: WebhookSink;

/** The suite's emulator and webhook sink; registered inside the suite so a skipped suite starts nothing. */
function setUp(): void {
  beforeAll(async () => {
    oas = new Oas();
    sink = await WebhookSink.start();
    emu = await startEmulator({
      port: 0, apiKey: API_KEY, webhookUrl: sink.url,
      queues: [{ id: 'q-support', name: 'Support' }, { id: 'q-sales', name: 'Sales' }],
      delivery: { baseDelayMs: 10, retries: 1, timeoutMs: 1000 },
    });
  });
  afterAll(async () => {
    await emu?.close();
    await sink?.close();
  });
}

interface Res { status: number; contentType: string; body: any; raw: Buffer; headers: Headers } // eslint-disable-line @typescript-eslint/no-explicit-any

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
  const init: RequestInit = { method, headers: { 'x-api-key': API_KEY, accept: 'application/hal+json', ...headers } };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const res = await fetch(`${emu.url}${path}`, init);
  const raw = Buffer.from(await res.arrayBuffer());
  const contentType = res.headers.get('content-type') ?? '';
  let parsed: unknown = raw.length ? raw.toString('utf8') : undefined;
  if (/json/.test(contentType) && raw.length) parsed = JSON.parse(raw.toString('utf8'));
  return { status: res.status, contentType, body: parsed, raw, headers: res.headers };
}

/** Asserts the status, and that status and body conform to the OpenAPI operation. */
function conforms(method: string, path: string, res: Res, status: number): void {
  expect({ path, status: res.status, body: res.body }).toMatchObject({ status });
  const template = path.split('?')[0];
  const jsonBody = /json/.test(res.contentType) ? res.body : undefined;
  expect(oas.checkResponse(method, template, res.status, jsonBody, res.contentType || undefined)).toEqual([]);
  if (status >= 400) expect(res.contentType).toMatch(/^application\/problem\+json/);
  else if (jsonBody !== undefined && !template.includes('/jwk/')) expect(res.contentType).toMatch(/^application\/(hal\+)?json/);
}

const C = '/chat-gateway/v1';
const createBody = (extra: Record<string, unknown> = {}) => ({
  channelId: emu.channelId,
  user: { name: 'James Jones', email: 'user@example.com', language: 'en', additionalProperties: [{ key: 'Intent', value: 'balance' }] },
  assignment: { type: 'queue', id: 'q-support' },
  history: { messages: [{ authorType: 'user', text: 'Hello' }, { authorType: 'bot', text: 'Sure, what is your account number' }] },
  ...extra,
});

async function createConversation(extra: Record<string, unknown> = {}): Promise<string> {
  const res = await api('POST', `${C}/conversations`, createBody(extra));
  expect(res.status).toBe(202);
  return res.body.conversationId as string;
}

describeContract('emulator API (acceptance)', () => {
  setUp();
  describe('authentication', () => {
    it('should answer 401 in the UnauthorizedResponse shape without x-api-key', async () => {
      const res = await api('GET', `${C}/conversations`, undefined, { 'x-api-key': '' });
      conforms('GET', `${C}/conversations`, res, 401);
      expect(res.body.message).toEqual(expect.any(String));
      expect(Array.isArray(res.body.errors)).toBe(true);
    });

    it('should answer 401 with a wrong x-api-key', async () => {
      const res = await api('POST', `${C}/conversations`, createBody(), { 'x-api-key': 'wrong' });
      conforms('POST', `${C}/conversations`, res, 401);
    });

    it('should serve the public JWK without an api key, as application/json', async () => {
      const res = await fetch(`${emu.url}${C}/jwk/${encodeURIComponent(emu.jwk.kid)}/public`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const jwk = await res.json() as Record<string, unknown>;
      expect(jwk).toMatchObject({ kty: 'RSA', kid: emu.jwk.kid, e: expect.any(String), n: expect.any(String) });
      expect(jwk.d).toBeUndefined();
    });

    it('should answer 404 for an unknown kid', async () => {
      const res = await api('GET', `${C}/jwk/nope/public`);
      expect(res.status).toBe(404);
    });
  });

  describe('conversations', () => {
    it('should answer 202 {conversationId, createdAt} to create, as application/hal+json', async () => {
      const res = await api('POST', `${C}/conversations`, createBody());
      conforms('POST', `${C}/conversations`, res, 202);
      expect(res.body).toEqual({ conversationId: expect.any(String), createdAt: expect.any(String) });
      expect(Number.isNaN(Date.parse(res.body.createdAt))).toBe(false);
    });

    it('should return the conversation (200) with id, state, channelId, assignment and user', async () => {
      const id = await createConversation();
      const res = await api('GET', `${C}/conversations/${id}`);
      conforms('GET', `${C}/conversations/${id}`, res, 200);
      expect(res.body).toMatchObject({ id, channelId: emu.channelId, assignment: { type: 'queue', id: 'q-support' }, user: { name: 'James Jones' } });
      expect(['created', 'active', 'idle']).toContain(res.body.state);
    });

    it('should list conversations in a HAL envelope with paging', async () => {
      await createConversation();
      await createConversation();
      const res = await api('GET', `${C}/conversations?size=1&page=0`);
      conforms('GET', `${C}/conversations`, res, 200);
      expect(res.body._embedded.conversations).toHaveLength(1);
      expect(res.body.page).toMatchObject({ size: 1, number: 0 });
      expect(res.body.page.totalElements).toBeGreaterThanOrEqual(2);
      expect(res.body.page.totalPages).toBe(res.body.page.totalElements);
      expect(res.body._links.self.href).toEqual(expect.any(String));
      const page1 = await api('GET', `${C}/conversations?size=1&page=1`);
      expect(page1.body._embedded.conversations[0].id).not.toBe(res.body._embedded.conversations[0].id);
    });

    it('should answer 202 with the conversation to PUT and PATCH', async () => {
      const id = await createConversation();
      const put = await api('PUT', `${C}/conversations/${id}`, { channelId: emu.channelId, user: { name: 'New Name' }, assignment: { type: 'queue', id: 'q-sales' } });
      conforms('PUT', `${C}/conversations/${id}`, put, 202);
      expect(put.body.id).toBe(id);
      const patch = await api('PATCH', `${C}/conversations/${id}`, { user: { name: 'Patched' } });
      conforms('PATCH', `${C}/conversations/${id}`, patch, 202);
      expect(patch.body.id).toBe(id);
    });

    it('should list interactions, participants and messages (history included) in HAL envelopes', async () => {
      const id = await createConversation();
      const inter = await api('GET', `${C}/conversations/${id}/interactions`);
      conforms('GET', `${C}/conversations/${id}/interactions`, inter, 200);
      expect(Array.isArray(inter.body._embedded.interactions)).toBe(true);
      const parts = await api('GET', `${C}/conversations/${id}/participants`);
      conforms('GET', `${C}/conversations/${id}/participants`, parts, 200);
      expect(parts.body._embedded.participants.map((p: { type: string }) => p.type)).toContain('user');
      const msgs = await api('GET', `${C}/conversations/${id}/messages`);
      conforms('GET', `${C}/conversations/${id}/messages`, msgs, 200);
      const texts = msgs.body._embedded.messages.map((m: { text: string }) => m.text);
      expect(texts).toEqual(expect.arrayContaining(['Hello', 'Sure, what is your account number']));
      const bot = msgs.body._embedded.messages.find((m: { text: string }) => m.text === 'Hello');
      expect(bot.author.type).toBe('user');
      const one = await api('GET', `${C}/conversations/${id}/messages/${bot.id}`);
      conforms('GET', `${C}/conversations/${id}/messages/${bot.id}`, one, 200);
      expect(one.body.text).toBe('Hello');
    });

    it('should sort messages by createdAt:desc by default', async () => {
      const id = await createConversation({ history: { messages: [{ authorType: 'user', text: 'first' }] } });
      await api('POST', `${C}/conversations/${id}/messages`, { authorType: 'user', text: 'second' });
      await new Promise((r) => setTimeout(r, 5));
      await api('POST', `${C}/conversations/${id}/messages`, { authorType: 'user', text: 'third' });
      const msgs = await api('GET', `${C}/conversations/${id}/messages`);
      expect(msgs.body._embedded.messages[0].text).toBe('third');
    });

    it('should answer 202 with no body to send-message, 204 to typing and 204 to user-leave', async () => {
      const id = await createConversation();
      const send = await api('POST', `${C}/conversations/${id}/messages`, { authorType: 'user', text: 'hi' });
      conforms('POST', `${C}/conversations/${id}/messages`, send, 202);
      expect(send.raw.length).toBe(0);
      const typing = await api('POST', `${C}/conversations/${id}/typing`, { authorType: 'user' });
      conforms('POST', `${C}/conversations/${id}/typing`, typing, 204);
      const leave = await api('PATCH', `${C}/conversations/${id}/participants/user`, { removed: true });
      conforms('PATCH', `${C}/conversations/${id}/participants/user`, leave, 204);
    });
  });

  describe('attachments', () => {
    it('should answer 200 with the attachment to a multipart upload, then get, list and download it', async () => {
      const id = await createConversation();
      const form = new FormData();
      form.append('attachment', new Blob([Buffer.from('%PDF-1.4 hello')], { type: 'application/pdf' }), 'doc.pdf');
      form.append('authorType', 'user');
      const up = await api('POST', `${C}/conversations/${id}/attachments`, form);
      conforms('POST', `${C}/conversations/${id}/attachments`, up, 200);
      expect(up.body).toMatchObject({ id: expect.any(String), filename: 'doc.pdf', sizeInBytes: 14 });
      const attId = up.body.id as string;
      const get = await api('GET', `${C}/conversations/${id}/attachments/${attId}`);
      conforms('GET', `${C}/conversations/${id}/attachments/${attId}`, get, 200);
      const list = await api('GET', `${C}/conversations/${id}/attachments`);
      conforms('GET', `${C}/conversations/${id}/attachments`, list, 200);
      expect(list.body._embedded.attachments.map((a: { id: string }) => a.id)).toContain(attId);
      const content = await api('GET', `${C}/conversations/${id}/attachments/${attId}/content`);
      expect(content.status).toBe(200);
      expect(content.contentType).toMatch(/^application\/octet-stream/);
      expect(content.headers.get('content-disposition')).toMatch(/doc\.pdf/);
      expect(content.raw.toString()).toBe('%PDF-1.4 hello');
      const send = await api('POST', `${C}/conversations/${id}/messages`, { authorType: 'user', text: 'see file', attachments: [{ id: attId }] });
      expect(send.status).toBe(202);
    });

    it('should answer 404 for an unknown attachment', async () => {
      const id = await createConversation();
      const res = await api('GET', `${C}/conversations/${id}/attachments/nope`);
      conforms('GET', `${C}/conversations/${id}/attachments/nope`, res, 404);
    });
  });

  describe('webhooks and channels', () => {
    it('should have the default webhook and ChatAPI channel from the start', async () => {
      const hooks = await api('GET', `${C}/webhooks`);
      conforms('GET', `${C}/webhooks`, hooks, 200);
      expect(hooks.body._embedded.webhooks).toEqual(expect.arrayContaining([expect.objectContaining({ id: emu.webhookId, uri: sink.url, version: 'Chat Gateway v1.0' })]));
      const chans = await api('GET', `${C}/channels`);
      conforms('GET', `${C}/channels`, chans, 200);
      expect(chans.body._embedded.channels).toEqual(expect.arrayContaining([expect.objectContaining({ id: emu.channelId, type: 'ChatAPI', webHookId: emu.webhookId, routingOptions: { type: 'queue', id: 'q-support' } })]));
    });

    it('should create (200), get, put (200) and delete (204) a webhook, accepting notificationVersion or version', async () => {
      const created = await api('POST', `${C}/webhooks`, { name: 'mine', uri: 'http://127.0.0.1:9/x', notificationVersion: 'Chat Gateway v1.0' });
      conforms('POST', `${C}/webhooks`, created, 200);
      expect(created.body).toMatchObject({ id: expect.any(String), name: 'mine', uri: 'http://127.0.0.1:9/x', version: 'Chat Gateway v1.0' });
      const id = created.body.id as string;
      const created2 = await api('POST', `${C}/webhooks`, { name: 'mine2', uri: 'http://127.0.0.1:9/y', version: 'Chat Gateway v1.0' });
      expect(created2.status).toBe(200);
      conforms('GET', `${C}/webhooks/${id}`, await api('GET', `${C}/webhooks/${id}`), 200);
      const put = await api('PUT', `${C}/webhooks/${id}`, { name: 'renamed', uri: 'http://127.0.0.1:9/z', version: 'Chat Gateway v1.0' });
      conforms('PUT', `${C}/webhooks/${id}`, put, 200);
      expect(put.body.name).toBe('renamed');
      conforms('DELETE', `${C}/webhooks/${id}`, await api('DELETE', `${C}/webhooks/${id}`), 204);
      conforms('GET', `${C}/webhooks/${id}`, await api('GET', `${C}/webhooks/${id}`), 404);
    });

    it('should answer 400 to a webhook without a uri', async () => {
      const res = await api('POST', `${C}/webhooks`, { name: 'no uri', version: 'Chat Gateway v1.0' });
      conforms('POST', `${C}/webhooks`, res, 400);
    });

    it('should answer 204 to verify a reachable webhook URL and send it WEB_HOOK_VERIFY', async () => {
      const res = await api('POST', `${C}/webhooks/verify`, { uri: sink.url, version: 'Chat Gateway v1.0' });
      conforms('POST', `${C}/webhooks/verify`, res, 204);
      const ping = await sink.until((list) => list.find((d) => d.body.eventType === 'WEB_HOOK_VERIFY'));
      expect(ping.body.conversationId).toBeUndefined();
      expect(ping.body.notificationVersion).toBe('Chat Gateway v1.0');
    });

    it('should create (200), get, put (200) and delete (204) a channel', async () => {
      const body = { name: 'chan', type: 'ChatAPI', webHookId: emu.webhookId, routingOptions: { type: 'queue', id: 'q-sales' } };
      const created = await api('POST', `${C}/channels`, body);
      conforms('POST', `${C}/channels`, created, 200);
      expect(created.body).toMatchObject({ id: expect.any(String), ...body });
      const id = created.body.id as string;
      conforms('GET', `${C}/channels/${id}`, await api('GET', `${C}/channels/${id}`), 200);
      const put = await api('PUT', `${C}/channels/${id}`, { ...body, name: 'renamed' });
      conforms('PUT', `${C}/channels/${id}`, put, 200);
      expect(put.body.name).toBe('renamed');
      conforms('DELETE', `${C}/channels/${id}`, await api('DELETE', `${C}/channels/${id}`), 204);
      conforms('GET', `${C}/channels/${id}`, await api('GET', `${C}/channels/${id}`), 404);
    });

    it('should answer 400 to a channel without routingOptions', async () => {
      const res = await api('POST', `${C}/channels`, { name: 'x', webHookId: emu.webhookId });
      conforms('POST', `${C}/channels`, res, 400);
    });
  });

  describe('validation', () => {
    const tooMany = Array.from({ length: 201 }, (_, i) => ({ authorType: 'user', text: `m${i}` }));
    const props = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));

    it.each<[string, Record<string, unknown>]>([
      ['more than 200 history messages', { history: { messages: tooMany } }],
      ['more than 30 additionalProperties', { user: { name: 'x', additionalProperties: props(31) } }],
      ['an additionalProperty without value', { user: { name: 'x', additionalProperties: [{ key: 'k' }] } }],
      ['an additionalProperty without key', { user: { name: 'x', additionalProperties: [{ value: 'v' }] } }],
      ['no channelId', { channelId: undefined }],
      ['no user', { user: undefined }],
      ['a history message with a bad authorType', { history: { messages: [{ authorType: 'robot', text: 'x' }] } }],
      ['a history message with authorType agent', { history: { messages: [{ authorType: 'agent', text: 'x' }] } }],
      ['history without messages', { history: {} }],
    ])('should answer 400 in the general error shape to create with %s', async (_name, extra) => {
      const res = await api('POST', `${C}/conversations`, createBody(extra));
      conforms('POST', `${C}/conversations`, res, 400);
      expect(Array.isArray(res.body.errors)).toBe(true);
      expect(res.body.errors.length).toBeGreaterThan(0);
    });

    it('should accept exactly 200 history messages and 30 additionalProperties', async () => {
      const res = await api('POST', `${C}/conversations`, createBody({
        history: { messages: tooMany.slice(0, 200) },
        user: { name: 'x', additionalProperties: props(30) },
      }));
      expect(res.status).toBe(202);
    });

    it('should answer 400 with errors as one object (BadRequestResponse) to a message with a bad authorType', async () => {
      const id = await createConversation();
      const res = await api('POST', `${C}/conversations/${id}/messages`, { authorType: 'ghfgh', text: 'x' });
      conforms('POST', `${C}/conversations/${id}/messages`, res, 400);
      expect(Array.isArray(res.body.errors)).toBe(false);
      expect(res.body.errors).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      expect(res.body.referenceId).toEqual(expect.any(String));
    });

    it('should answer 400 to a typing call with a bad authorType', async () => {
      const id = await createConversation();
      const res = await api('POST', `${C}/conversations/${id}/typing`, { authorType: 'agent' });
      conforms('POST', `${C}/conversations/${id}/typing`, res, 400);
    });

    it.each<[string, string, unknown]>([
      ['GET', `${C}/conversations/unknown-id`, undefined],
      ['PUT', `${C}/conversations/unknown-id`, { user: { name: 'x' } }],
      ['PATCH', `${C}/conversations/unknown-id`, { user: { name: 'x' } }],
      ['POST', `${C}/conversations/unknown-id/messages`, { authorType: 'user', text: 'x' }],
      ['POST', `${C}/conversations/unknown-id/typing`, { authorType: 'user' }],
      ['PATCH', `${C}/conversations/unknown-id/participants/user`, { removed: true }],
      ['GET', `${C}/conversations/unknown-id/messages/nope`, undefined],
      ['GET', `${C}/webhooks/unknown-id`, undefined],
      ['DELETE', `${C}/webhooks/unknown-id`, undefined],
      ['GET', `${C}/channels/unknown-id`, undefined],
      ['DELETE', `${C}/channels/unknown-id`, undefined],
    ])('should answer 404 in the documented shape to %s %s', async (method, path, body) => {
      const res = await api(method, path, body);
      conforms(method, path, res, 404);
    });

    it('should use a string errors array for 404 on conversations and an object array for 404 on typing', async () => {
      const conv = await api('GET', `${C}/conversations/unknown-id`);
      expect(conv.body.errors.every((e: unknown) => typeof e === 'string')).toBe(true);
      const typing = await api('POST', `${C}/conversations/unknown-id/typing`, { authorType: 'user' });
      expect(typing.body.errors.every((e: unknown) => typeof e === 'object')).toBe(true);
    });
  });

  describe('faults', () => {
    it('should answer an injected API error in 8x8 shape, once', async () => {
      emu.faults.apiErrors = [{ method: 'POST', path: '/conversations', status: 500 }];
      const res = await api('POST', `${C}/conversations`, createBody());
      conforms('POST', `${C}/conversations`, res, 500);
      const next = await api('POST', `${C}/conversations`, createBody());
      expect(next.status).toBe(202);
      emu.faults.apiErrors = [];
    });
  });
});
