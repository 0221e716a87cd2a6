import { startEmulator, type Emulator } from '../../src/emulator';
import { call } from './support/http';
import { startReceiver, type Received, type Receiver } from './support/receiver';

/** A compact, readable form of one event: `TYPE key=value ...`. */
function describeEvent(r: Received): string {
  const data = (r.body.data ?? {}) as Record<string, unknown>;
  switch (r.body.eventType) {
    case 'CONVERSATION_UPDATE': {
      const a = data.assignment as { type: string; id: string };
      return `CONVERSATION_UPDATE ${String(data.state)} ${a.type}:${a.id}`;
    }
    case 'QUEUED':
      return `QUEUED ${String(data.queueId)}:${String(data.queueName)}`;
    case 'MEMBERS_CHANGED':
      return `MEMBERS_CHANGED ${String(data.memberType)} ${String(data.change)} ${String(data.id)}`;
    case 'ACTIVITY':
      return `ACTIVITY ${String(data.name)} ${((data.value as { users: Array<{ id: string }> }).users.map((u) => u.id).join(',') || '-')}`;
    case 'MESSAGE':
      return `MESSAGE ${(data.sender as { type: string }).type} echo=${String(data.isEcho)} ${String(data.text)}`;
    default:
      return String(r.body.eventType);
  }
}

describe('emulator conversation lifecycle', () => {
  let emulator: Emulator;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    emulator = await startEmulator({
      port: 0,
      webhookUrl: receiver.url,
      queues: [{ id: 'support', name: 'Support' }, { id: 'billing', name: 'Billing' }],
      agents: [{ id: 'agent-1', name: 'Alice Agent', queueIds: ['support'] }, { id: 'agent-2', name: 'Bob Agent', queueIds: ['billing'] }],
      delivery: { baseDelayMs: 5 },
    });
  });
  afterAll(async () => {
    await emulator.close();
    await receiver.close();
  });

  let id: string;
  /** Waits for `count` new events of the conversation after the `seen` first ones, and describes them. */
  const next = async (count: number): Promise<string[]> => {
    const seen = seenCount;
    const got = await receiver.waitFor((r) => r.body.conversationId === id, seen + count);
    seenCount += count;
    return got.slice(seen).map(describeEvent);
  };
  let seenCount = 0;
  const userSays = (text: string) => call(emulator, 'POST', `conversations/${id}/messages`, { body: { authorType: 'user', text } });

  it('should emit created, active and QUEUED on create, and show the history and screen-pop in the console', async () => {
    const history = { messages: [{ authorType: 'user', text: 'I need help' }, { authorType: 'bot', text: 'Connecting you' }] };
    const user = { name: 'Jo', email: 'jo@example.com', language: 'en', additionalProperties: [{ key: 'Plan', value: 'gold' }] };
    const res = await call(emulator, 'POST', 'conversations', { body: { channelId: emulator.channelId, user, history } });
    id = (res.body as { conversationId: string }).conversationId;
    expect(await next(3)).toEqual(['CONVERSATION_UPDATE created queue:support', 'CONVERSATION_UPDATE active queue:support', 'QUEUED support:Support']);
    const seen = await emulator.waitForConversation((c) => c.id === id);
    expect(seen).toMatchObject({ status: 'queued', queueName: 'Support', user, messages: [{ text: 'I need help', fromHistory: true }, { authorType: 'bot', fromHistory: true }] });
  });

  it('should emit agent joined and an agent assignment when an agent accepts', async () => {
    await emulator.agent('agent-1').accept(id);
    expect(await next(2)).toEqual(['MEMBERS_CHANGED agent joined agent-1', 'CONVERSATION_UPDATE active agent:agent-1']);
  });

  it('should emit ACTIVITY typing with the agent, then with nobody', async () => {
    await emulator.agent('agent-1').typing();
    await emulator.agent('agent-1').typing(false);
    expect(await next(2)).toEqual(['ACTIVITY typing agent-1', 'ACTIVITY typing -']);
  });

  it('should send an agent message with an attachment served by a pre-signed URL and a card', async () => {
    const card = { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.3', body: [{ type: 'TextBlock', text: 'Pick' }] } };
    await emulator.agent('agent-1').say('Here is the form', { attachments: [{ filename: 'form.png', contentType: 'image/png', data: Buffer.from([137, 80, 78, 71]) }], cards: [card] });
    const [event] = await receiver.waitFor((r) => r.body.conversationId === id && r.body.eventType === 'MESSAGE');
    seenCount += 1;
    const data = event!.body.data as { sender: unknown; isEcho: boolean; attachments: Array<Record<string, string>>; cards: unknown[] };
    expect(data).toMatchObject({ isEcho: false, sender: { id: 'agent-1', type: 'agent' }, text: 'Here is the form', cards: [expect.objectContaining(card)] });
    expect(data.attachments).toEqual([{ id: expect.any(String), type: 'image', fileName: 'form.png', preSignedUrl: expect.stringContaining(`${emulator.url}/files/`) }]);
    const download = await fetch(data.attachments[0]!.preSignedUrl!);
    expect([download.status, download.headers.get('content-type'), [...new Uint8Array(await download.arrayBuffer())]]).toEqual([200, 'image/png', [137, 80, 78, 71]]);
    // Change the signature's first character to another one (a fixed 'x' left it unchanged when it already began with 'x').
    expect((await fetch(data.attachments[0]!.preSignedUrl!.replace(/signature=(.)/, (_m, c: string) => `signature=${c === 'x' ? 'y' : 'x'}`))).status).toBe(403);
  });

  it('should accept a bare Adaptive Card and an attachment given as { name, content } with its type guessed', async () => {
    const bare = { type: 'AdaptiveCard', version: '1.3', body: [{ type: 'TextBlock', text: 'Bare' }] };
    await emulator.agent('agent-1').say('Also this', { attachments: [{ name: 'notes.txt', content: 'hello' }], cards: [bare] });
    const got = await receiver.waitFor((r) => r.body.conversationId === id && r.body.eventType === 'MESSAGE', 2);
    seenCount += 1;
    const data = got[1]!.body.data as { attachments: Array<Record<string, string>>; cards: unknown[] };
    expect(data.cards).toEqual([expect.objectContaining({ contentType: 'application/vnd.microsoft.card.adaptive', content: bare })]);
    expect(data.attachments).toEqual([expect.objectContaining({ type: 'file', fileName: 'notes.txt' })]);
    const download = await fetch(data.attachments[0]!.preSignedUrl!);
    expect([download.headers.get('content-type'), await download.text()]).toEqual([expect.stringMatching(/^text\/plain/), 'hello']);
  });

  it('should echo user messages posted through the API and let the agent wait for them', async () => {
    const waiting = emulator.agent('agent-1').waitForMessage(id, (m) => m.text === 'Thanks');
    expect((await userSays('Thanks')).status).toBe(202);
    expect(await waiting).toMatchObject({ authorType: 'user', text: 'Thanks' });
    expect(await next(1)).toEqual(['MESSAGE user echo=true Thanks']);
  });

  it('should emit TRANSFER, agent left and QUEUED in the target queue, then joined for the new agent', async () => {
    await emulator.agent('agent-1').transfer('billing');
    expect(await next(3)).toEqual(['TRANSFER', 'MEMBERS_CHANGED agent left agent-1', 'QUEUED billing:Billing']);
    await expect(emulator.agent('agent-1').accept(id)).rejects.toThrow(/does not serve queue billing/);
    await emulator.agent('agent-2').accept(id);
    expect(await next(2)).toEqual(['MEMBERS_CHANGED agent joined agent-2', 'CONVERSATION_UPDATE active agent:agent-2']);
  });

  it('should emit agent left and idle when the agent ends, and re-queue in the last queue on the next user message', async () => {
    await emulator.agent('agent-2').leave();
    expect(await next(2)).toEqual(['MEMBERS_CHANGED agent left agent-2', 'CONVERSATION_UPDATE idle queue:billing']);
    await userSays('One more thing');
    expect(await next(3)).toEqual(['CONVERSATION_UPDATE active queue:billing', 'QUEUED billing:Billing', 'MESSAGE user echo=true One more thing']);
    const reopened = emulator.conversation(id)!;
    expect([reopened.status, reopened.messages.length]).toEqual(['queued', 6]);
    const interactions = await call(emulator, 'GET', `conversations/${id}/interactions`);
    expect((interactions.body as { page: { totalElements: number } }).page.totalElements).toBe(2);
  });

  it('should release the agent when the user leaves, and emit user joined when the user writes again', async () => {
    await emulator.agent('agent-2').accept(id);
    expect(await next(2)).toHaveLength(2);
    await call(emulator, 'PATCH', `conversations/${id}/participants/user`, { body: { removed: true } });
    expect(await next(3)).toEqual(['MEMBERS_CHANGED user left user', 'MEMBERS_CHANGED agent left agent-2', 'CONVERSATION_UPDATE idle queue:billing']);
    expect(emulator.conversation(id)).toMatchObject({ userLeft: true, status: 'ended' });
    await expect(emulator.agent('agent-2').say('hello?', { conversationId: id })).rejects.toThrow(/not assigned/);
    await userSays('I am back');
    expect(await next(4)).toEqual(['MEMBERS_CHANGED user joined user', 'CONVERSATION_UPDATE active queue:billing', 'QUEUED billing:Billing', 'MESSAGE user echo=true I am back']);
  });

  it('should show user typing sent through the API in the console', async () => {
    await call(emulator, 'POST', `conversations/${id}/typing`, { body: { authorType: 'user' } });
    expect(emulator.conversation(id)!.userTyping).toBe(true);
    await userSays('typed');
    expect(emulator.conversation(id)!.userTyping).toBe(false);
  });

  it('should time out waitForConversation and waitForMessage with a clear error', async () => {
    await expect(emulator.waitForConversation((c) => c.id === 'never', { timeoutMs: 30 })).rejects.toThrow(/Timed out after 30 ms/);
    await expect(emulator.agent('agent-1').waitForMessage(id, (m) => m.text === 'never', { timeoutMs: 30 })).rejects.toThrow(/Timed out/);
  });
});
