import { startEmulator, type Emulator } from '../../src/emulator';
import { describeContract } from '../support/openapi';
import { checked } from './support/contract';

type Body = Record<string, unknown> & { errors?: unknown };

describeContract('emulator API: conversations, messages, participants, attachments', () => {
  let emulator: Emulator;
  const channelId = 'chan-1';

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      queues: [{ id: 'support', name: 'Support' }, { id: 'sales', name: 'Sales' }],
      webhooks: [{ id: 'wh-1', name: 'unreachable', uri: 'http://127.0.0.1:9/none' }],
      channels: [{ id: channelId, name: 'Chat', webHookId: 'wh-1', routingOptions: { type: 'queue', id: 'sales' } }],
      delivery: { retries: 0, timeoutMs: 200 },
    });
  });
  afterAll(() => emulator.close());

  const create = async (extra: Record<string, unknown> = {}) => {
    const res = await checked(emulator, 'POST', 'conversations', { body: { channelId, user: { name: 'Jo' }, ...extra } });
    expect(res.status).toBe(202);
    return (res.body as { conversationId: string }).conversationId;
  };

  describe('POST /conversations', () => {
    it('should answer 202 with the id and createdAt, route to the channel queue, and store the history', async () => {
      const history = { messages: [{ authorType: 'user', text: 'Hello' }, { authorType: 'bot', text: 'Hi', cards: [{ contentType: 'application/8x8.quick.replies', content: { options: [{ title: 'A' }] } }] }] };
      const id = await create({ user: { name: 'Jo', language: 'de', additionalProperties: [{ key: 'Intent', value: 'balance' }] }, history });
      const got = await checked(emulator, 'GET', `conversations/${id}`);
      expect(got.body).toEqual({ id, state: 'active', channelId, assignment: { type: 'queue', id: 'sales' }, user: { name: 'Jo', language: 'de', additionalProperties: [{ key: 'Intent', value: 'balance' }] } });
      const messages = await checked(emulator, 'GET', `conversations/${id}/messages?sort=createdAt:asc`);
      expect((messages.body as { _embedded: { messages: Body[] } })._embedded.messages.map((m) => [m.text, (m.author as Body).type])).toEqual([['Hello', 'user'], ['Hi', 'bot']]);
    });

    it('should answer 400 in the general shape for each broken rule', async () => {
      const props = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: 'v' }));
      const cases: Array<[string, Record<string, unknown>]> = [
        ['invalid_channel', { user: {} }],
        ['invalid_user', { channelId }],
        ['invalid_queue', { channelId, user: {}, assignment: { type: 'queue', id: '112' } }],
        ['invalid_user', { channelId, user: { additionalProperties: props(31) } }],
        ['invalid_user', { channelId, user: { additionalProperties: [{ key: 'k' }] } }],
        ['invalid_history', { channelId, user: {}, history: { messages: Array.from({ length: 201 }, () => ({ authorType: 'user', text: 'x' })) } }],
        ['invalid_history', { channelId, user: {}, history: { messages: [{ authorType: 'agent', text: 'x' }] } }],
        ['invalid_history', { channelId, user: {}, history: { messages: [{ authorType: 'user', text: 'x', externalProvider: { name: 'X', externalMessageId: '1' } }] } }],
        ['invalid_history', { channelId, user: {}, history: {} }],
      ];
      for (const [code, body] of cases) {
        const res = await checked(emulator, 'POST', 'conversations', { body });
        expect([res.status, (res.body as { errors: Array<{ code: string }> }).errors[0]!.code]).toEqual([400, code]);
      }
      expect((await checked(emulator, 'POST', 'conversations', { body: { channelId, user: { additionalProperties: props(30) } } })).status).toBe(202);
    });
  });

  describe('GET /conversations', () => {
    it('should page, filter with FIQL and reject a malformed filter', async () => {
      const ids = [await create({ user: { name: 'Pager' } }), await create({ user: { name: 'Pager' } }), await create({ user: { name: 'Pager' } })];
      const page = await checked(emulator, 'GET', `conversations?size=2&page=1&filter=${encodeURIComponent('user.name==Pager')}`);
      const body = page.body as { _embedded: { conversations: Body[] }; page: Body };
      expect(body.page).toEqual({ size: 2, number: 1, totalElements: 3, totalPages: 2 });
      expect(body._embedded.conversations).toHaveLength(1);
      expect(ids).toContain(body._embedded.conversations[0]!.id);
      expect((await checked(emulator, 'GET', 'conversations?filter=%3D%3D')).status).toBe(400);
    });
  });

  describe('GET/PUT/PATCH /conversations/{id}', () => {
    it('should answer 202 with the updated conversation and 404 (string errors) for an unknown id', async () => {
      const id = await create();
      const put = await checked(emulator, 'PUT', `conversations/${id}`, { body: { user: { name: 'New' }, assignment: { type: 'queue', id: 'support' } } });
      expect(put.status).toBe(202);
      expect(put.body).toMatchObject({ id, user: { name: 'New' }, assignment: { type: 'queue', id: 'support' } });
      const patch = await checked(emulator, 'PATCH', `conversations/${id}`, { body: { user: { name: 'Patched' } } });
      expect([patch.status, (patch.body as Body).user]).toEqual([202, { name: 'Patched' }]);
      expect((await checked(emulator, 'PATCH', `conversations/${id}`, { body: {} })).status).toBe(400);
      for (const method of ['GET', 'PUT', 'PATCH']) {
        const res = await checked(emulator, method, 'conversations/nope', { body: method === 'GET' ? undefined : { user: {} } });
        expect([res.status, (res.body as { errors: unknown[] }).errors[0]]).toEqual([404, expect.any(String)]);
      }
    });
  });

  describe('conversation signals', () => {
    it('should answer 204 to typing, thinking and read-receipt, 400 invalid-parameter, 404 exception shape', async () => {
      const id = await create();
      expect((await checked(emulator, 'POST', `conversations/${id}/typing`, { body: { authorType: 'bot' } })).status).toBe(204);
      expect(emulator.conversation(id)!.userTyping).toBe(true);
      expect((await checked(emulator, 'POST', `conversations/${id}/thinking`, { body: { maxThinkingTimeSeconds: 60 } })).status).toBe(204);
      expect((await checked(emulator, 'POST', `conversations/${id}/read-receipt`, { body: { authorType: 'user', readAt: Date.now() } })).status).toBe(204);
      const bad = [['typing', { authorType: 'agent' }], ['thinking', { maxThinkingTimeSeconds: 0 }], ['read-receipt', { authorType: 'user' }]] as const;
      for (const [op, body] of bad) {
        const res = await checked(emulator, 'POST', `conversations/${id}/${op}`, { body });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ errors: [{ code: 'invalid_parameter' }], referenceId: expect.any(String) });
        const missing = await checked(emulator, 'POST', `conversations/nope/${op}`, { body });
        expect([missing.status, (missing.body as { errors: unknown[] }).errors[0]]).toEqual([404, expect.objectContaining({ code: 'resource_not_found' })]);
      }
    });

    it('should answer 201 to post-agent-assignment, 400 for an unknown webhook, 404 for an unknown conversation', async () => {
      const id = await create();
      const body = { id: 'wh-1', type: 'webhook', configuration: { maxTotalMinutes: '300', userTimeoutInMinutes: 150 } };
      expect((await checked(emulator, 'POST', `conversations/${id}/post-agent-assignment`, { body })).status).toBe(201);
      expect((await checked(emulator, 'POST', `conversations/${id}/post-agent-assignment`, { body: { ...body, id: 'nope' } })).status).toBe(400);
      expect((await checked(emulator, 'POST', `conversations/${id}/post-agent-assignment`, { body: { ...body, configuration: { maxTotalMinutes: 5 } } })).status).toBe(400);
      expect((await checked(emulator, 'POST', 'conversations/nope/post-agent-assignment', { body })).status).toBe(404);
    });

    it('should list interactions and participants', async () => {
      const id = await create();
      const interactions = await checked(emulator, 'GET', `conversations/${id}/interactions`);
      expect((interactions.body as { _embedded: { interactions: Body[] } })._embedded.interactions).toEqual([{ id: expect.stringMatching(/^int-/), startTime: expect.any(String) }]);
      expect((await checked(emulator, 'GET', 'conversations/nope/interactions')).status).toBe(404);
      const participants = await checked(emulator, 'GET', `conversations/${id}/participants`);
      expect((participants.body as { _embedded: { participants: Body[] } })._embedded.participants).toEqual([{ id: 'user', type: 'user', removed: false }]);
      expect((await checked(emulator, 'GET', 'conversations/nope/participants')).status).toBe(404);
    });

    it('should answer 204 to the user leaving and mark the user removed', async () => {
      const id = await create();
      expect((await checked(emulator, 'PATCH', `conversations/${id}/participants/user`, { body: { removed: true } })).status).toBe(204);
      expect(emulator.conversation(id)).toMatchObject({ userLeft: true, status: 'ended', state: 'idle' });
      expect((await checked(emulator, 'PATCH', 'conversations/nope/participants/user', { body: { removed: true } })).status).toBe(404);
    });
  });

  describe('messages', () => {
    it('should accept a message (202, no body), list newest first with paging, and get one with its cards', async () => {
      const id = await create();
      const card = { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.3', body: [] } };
      for (const text of ['one', 'two']) expect((await checked(emulator, 'POST', `conversations/${id}/messages`, { body: { authorType: 'bot', text } })).text).toBe('');
      expect((await checked(emulator, 'POST', `conversations/${id}/messages`, { body: { authorType: 'user', text: 'three', cards: [card] } })).status).toBe(202);
      const list = await checked(emulator, 'GET', `conversations/${id}/messages?size=2`);
      const { _embedded, page } = list.body as { _embedded: { messages: Body[] }; page: Body };
      expect([_embedded.messages.map((m) => m.text), page.totalElements]).toEqual([['three', 'two'], 3]);
      const one = await checked(emulator, 'GET', `conversations/${id}/messages/${_embedded.messages[0]!.id}`);
      expect(one.body).toMatchObject({ text: 'three', author: { id: 'user', type: 'user' }, cards: [{ ...card, id: expect.any(String) }] });
      const cards = await checked(emulator, 'GET', `conversations/${id}/messages/${_embedded.messages[0]!.id}/cards`);
      expect((cards.body as { _embedded: { cards: Body[] } })._embedded.cards).toHaveLength(1);
      expect((await checked(emulator, 'GET', `conversations/${id}/messages/nope`)).status).toBe(404);
      expect((await checked(emulator, 'GET', `conversations/${id}/messages?sort=text:asc`)).status).toBe(400);
    });

    it('should answer 400 with a single-object errors body, and 404 for an unknown conversation', async () => {
      const id = await create();
      const cases = [{ authorType: 'agent', text: 'x' }, { authorType: 'user' }, { authorType: 'user', text: 'x', externalProvider: { name: 'X', externalMessageId: '1' } }, { authorType: 'user', text: 'x', attachments: [{ id: 'nope' }] }, { authorType: 'user', text: 'x', cards: [{ contentType: 'text/html', content: {} }] }];
      for (const body of cases) {
        const res = await checked(emulator, 'POST', `conversations/${id}/messages`, { body });
        expect(res.status).toBe(400);
        expect((res.body as Body).errors).toEqual({ code: 'invalid_json_object', message: expect.any(String) });
      }
      const malformed = await checked(emulator, 'POST', `conversations/${id}/messages`, { body: '{"authorType":' });
      expect([malformed.status, (malformed.body as Body).errors]).toEqual([400, expect.objectContaining({ code: 'invalid_json_object' })]);
      expect((await checked(emulator, 'POST', 'conversations/nope/messages', { body: { authorType: 'user', text: 'x' } })).status).toBe(404);
      expect((await checked(emulator, 'POST', `conversations/${id}/messages`, { body: { authorType: 'bot', externalProvider: { name: 'X', externalMessageId: '9' } } })).status).toBe(202);
    });
  });

  describe('attachments', () => {
    it('should upload (200), list, get, download, and reference it in a message', async () => {
      const id = await create();
      const form = new FormData();
      form.append('authorType', 'user');
      form.append('attachment', new Blob([Buffer.from('%PDF-1.4 test')], { type: 'application/pdf' }), 'report.pdf');
      const up = await checked(emulator, 'POST', `conversations/${id}/attachments`, { form });
      expect(up.status).toBe(200);
      const attachment = up.body as { id: string };
      expect(attachment).toEqual({ id: expect.any(String), filename: 'report.pdf', sizeInBytes: 13, size: 13, type: 'application/pdf', createdAt: expect.any(String) });
      const list = await checked(emulator, 'GET', `conversations/${id}/attachments`);
      expect((list.body as { _embedded: { attachments: Body[] } })._embedded.attachments).toEqual([attachment]);
      expect((await checked(emulator, 'GET', `conversations/${id}/attachments/${attachment.id}`)).body).toEqual(attachment);
      const content = await checked(emulator, 'GET', `conversations/${id}/attachments/${attachment.id}/content`);
      expect([content.status, content.contentType, content.text]).toEqual([200, 'application/octet-stream', '%PDF-1.4 test']);
      expect(content.headers.get('content-disposition')).toMatch(/^attachment; filename="report.pdf"/);
      expect((await checked(emulator, 'POST', `conversations/${id}/messages`, { body: { authorType: 'user', text: 'file', attachments: [{ id: attachment.id }] } })).status).toBe(202);
    });

    it('should answer 400 without authorType or file, and 404 for unknown ids', async () => {
      const id = await create();
      const form = new FormData();
      form.append('attachment', new Blob(['x']), 'x.txt');
      expect((await checked(emulator, 'POST', `conversations/${id}/attachments`, { form })).status).toBe(400);
      const noFile = new FormData();
      noFile.append('authorType', 'bot');
      expect((await checked(emulator, 'POST', `conversations/${id}/attachments`, { form: noFile })).status).toBe(400);
      expect((await checked(emulator, 'POST', 'conversations/nope/attachments', { form: noFile })).status).toBe(404);
      expect((await checked(emulator, 'GET', `conversations/${id}/attachments/nope`)).status).toBe(404);
      expect((await checked(emulator, 'GET', `conversations/${id}/attachments/nope/content`)).status).toBe(404);
      expect((await checked(emulator, 'GET', 'conversations/nope/attachments')).status).toBe(404);
    });
  });
});
