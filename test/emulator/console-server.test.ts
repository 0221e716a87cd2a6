import { startEmulator, type ConsoleSnapshot, type Emulator } from '../../src/emulator';
import { call } from './support/http';

/** Reads Server-Sent Events `snapshot` messages from the console stream. */
async function openStream(emulator: Emulator) {
  const res = await fetch(`${emulator.url}/console/api/events`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    res,
    /** The next snapshot matching `predicate`; resolves undefined when the stream ends. */
    async next(predicate: (s: ConsoleSnapshot) => boolean = () => true): Promise<ConsoleSnapshot | undefined> {
      for (;;) {
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^event: snapshot\ndata: (.*)$/s.exec(block)?.[1];
          if (data && predicate(JSON.parse(data) as ConsoleSnapshot)) return JSON.parse(data) as ConsoleSnapshot;
          end = buffer.indexOf('\n\n');
        }
        const { value, done } = await reader.read();
        if (done) return undefined;
        buffer += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

describe('emulator agent console server', () => {
  let emulator: Emulator;
  const post = (path: string, body: unknown) => call(emulator, 'POST', `/console/api/conversations/${path}`, { body, apiKey: null });
  const createConversation = async () => {
    const res = await call(emulator, 'POST', 'conversations', { body: { channelId: emulator.channelId, user: { name: 'Console user' } } });
    return (res.body as { conversationId: string }).conversationId;
  };

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, webhookUrl: 'http://127.0.0.1:9/unused', delivery: { retries: 0, timeoutMs: 100 }, queues: [{ id: 'support', name: 'Support' }, { id: 'vip', name: 'VIP' }] });
  });
  afterAll(() => emulator.close());

  describe('static files', () => {
    it('should redirect /console to /console/ and serve the page, its scripts and the adaptivecards bundle', async () => {
      const redirect = await fetch(`${emulator.url}/console`, { redirect: 'manual' });
      expect([redirect.status, redirect.headers.get('location')]).toEqual([301, '/console/']);
      const page = await fetch(emulator.consoleUrl);
      expect([page.status, page.headers.get('content-type')]).toEqual([200, expect.stringMatching(/^text\/html/)]);
      expect((await fetch(`${emulator.url}/console/static/console.js`)).status).toBe(200);
      const vendor = await fetch(`${emulator.url}/console/vendor/adaptivecards.js`);
      expect([vendor.status, vendor.headers.get('content-type')]).toEqual([200, expect.stringMatching(/javascript/)]);
      expect(await vendor.text()).toMatch(/AdaptiveCard/);
      expect((await fetch(`${emulator.url}/console/static/nope.js`)).status).toBe(404);
    });
  });

  describe('GET /console/api/state and /console/api/events', () => {
    it('should describe queues and agents, and push a snapshot on connect and on every change', async () => {
      const state = (await call(emulator, 'GET', '/console/api/state', { apiKey: null })).body as ConsoleSnapshot;
      expect(state.queues).toEqual([{ id: 'support', name: 'Support' }, { id: 'vip', name: 'VIP' }]);
      expect(state.agents).toEqual([{ id: 'agent-1', name: 'Alice Agent', queueIds: ['support', 'vip'] }, { id: 'agent-2', name: 'Bob Agent', queueIds: ['support', 'vip'] }]);
      const stream = await openStream(emulator);
      expect(stream.res.headers.get('content-type')).toBe('text/event-stream');
      expect(await stream.next()).toBeDefined();
      const id = await createConversation();
      const seen = await stream.next((s) => s.conversations.some((c) => c.id === id));
      expect(seen!.conversations.find((c) => c.id === id)).toMatchObject({ status: 'queued', queueId: 'support', user: { name: 'Console user' } });
      await stream.cancel();
    });

    it('should end open event streams when the emulator closes', async () => {
      const other = await startEmulator({ port: 0 });
      const stream = await openStream(other);
      expect(await stream.next()).toBeDefined();
      await other.close();
      expect(await stream.next()).toBeUndefined();
    });
  });

  describe('agent actions', () => {
    it('should accept (204), refuse a second accept (409), and answer 404 and 400 for unknown ids and bad bodies', async () => {
      const id = await createConversation();
      expect((await post(`${id}/accept`, { agentId: 'agent-1' })).status).toBe(204);
      const again = await post(`${id}/accept`, { agentId: 'agent-2' });
      expect([again.status, again.body]).toEqual([409, { error: expect.stringMatching(/assigned/) }]);
      expect((await post('nope/accept', { agentId: 'agent-1' })).status).toBe(404);
      expect((await post(`${id}/accept`, { agentId: 'nobody' })).status).toBe(404);
      expect((await post(`${id}/accept`, {})).status).toBe(400);
      expect((await post(`${id}/typing`, { agentId: 'agent-1', typing: 'yes' })).status).toBe(400);
      expect((await post(`${id}/typing`, { agentId: 'agent-1', typing: true })).status).toBe(204);
      expect((await post(`${id}/typing`, { agentId: 'agent-2', typing: true })).status).toBe(409);
      expect((await post(`${id}/messages`, { agentId: 'agent-1' })).status).toBe(400);
      expect((await post(`${id}/messages`, { agentId: 'agent-1', cards: [{ contentType: 'text/html', content: {} }] })).status).toBe(400);
    });

    it('should send text, cards and a multipart file, each as a MESSAGE, with console download URLs', async () => {
      const id = await createConversation();
      await post(`${id}/accept`, { agentId: 'agent-2' });
      const card = { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.3', body: [] } };
      expect((await post(`${id}/messages`, { agentId: 'agent-2', text: 'hi', cards: [card] })).status).toBe(204);
      const form = new FormData();
      form.append('agentId', 'agent-2');
      form.append('text', 'see file');
      form.append('file', new Blob(['hello file'], { type: 'text/plain' }), 'note.txt');
      expect((await call(emulator, 'POST', `/console/api/conversations/${id}/messages`, { form, apiKey: null })).status).toBe(204);
      const messages = emulator.conversation(id)!.messages;
      expect(messages.map((m) => [m.authorType, m.authorId, m.text, m.cards.length])).toEqual([['agent', 'agent-2', 'hi', 1], ['agent', 'agent-2', 'see file', 0]]);
      const [file] = messages[1]!.attachments;
      expect(file).toMatchObject({ filename: 'note.txt', contentType: 'text/plain', sizeInBytes: 10 });
      const inline = await fetch(file!.url);
      expect([inline.headers.get('content-disposition'), await inline.text()]).toEqual([expect.stringMatching(/^inline/), 'hello file']);
      expect((await fetch(file!.downloadUrl)).headers.get('content-disposition')).toMatch(/^attachment; filename="note.txt"/);
      const events = await emulator.waitForDelivery((d) => d.conversationId === id && d.eventType === 'MESSAGE' && (d.event.data as { text: string }).text === 'see file');
      expect((events.event.data as { attachments: Array<{ type: string }> }).attachments[0]!.type).toBe('file');
    });

    it('should transfer (400 for an unknown queue) and end (then 409 for further actions)', async () => {
      const id = await createConversation();
      await post(`${id}/accept`, { agentId: 'agent-1' });
      expect((await post(`${id}/transfer`, { agentId: 'agent-1', queueId: 'nope' })).status).toBe(400);
      expect((await post(`${id}/transfer`, { agentId: 'agent-1', queueId: 'vip' })).status).toBe(204);
      expect(emulator.conversation(id)).toMatchObject({ status: 'queued', queueId: 'vip', queueName: 'VIP' });
      expect((await post(`${id}/accept`, { agentId: 'agent-2' })).status).toBe(204);
      expect((await post(`${id}/end`, { agentId: 'agent-2' })).status).toBe(204);
      expect(emulator.conversation(id)).toMatchObject({ status: 'ended', state: 'idle' });
      expect((await post(`${id}/end`, { agentId: 'agent-2' })).status).toBe(409);
    });
  });
});
