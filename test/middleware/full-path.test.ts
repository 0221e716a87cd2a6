import type { Activity } from 'botbuilder';
import { triggers } from '../../src/triggers';
import { eventually, PLAN_CARD, replyTexts, startHarness, waitForReply, type Harness } from './harness';

const PNG = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13]);
const dataUri = `data:image/png;base64,${PNG.toString('base64')}`;

describe('HandoffMiddleware (full path against the emulator)', () => {
  let h: Harness;
  let conversationId: string;

  beforeAll(async () => {
    h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent', 'human'])] } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('should let the bot answer and record the transcript when no trigger fires', async () => {
    await h.adapter.receiveActivity('hello');
    await h.adapter.receiveActivity({ type: 'message', text: 'my screenshot', attachments: [{ contentType: 'image/png', contentUrl: dataUri, name: 'shot.png' }] });
    await h.adapter.receiveActivity('card');
    expect(replyTexts(h.adapter).slice(0, 2)).toEqual(['echo: hello', 'echo: my screenshot']);
    expect(h.bot.heard).toEqual(['hello', 'my screenshot', 'card']);
  });

  it('should escalate on a keyword without running the bot, and tell the user', async () => {
    await h.adapter.receiveActivity({ type: 'message', text: 'I want a human please', locale: 'en-US' });
    expect(h.bot.heard).not.toContain('I want a human please');
    expect(replyTexts(h.adapter)).toContain('Connecting you with a person. Please wait a moment…');
    const conversation = await h.emulator.waitForConversation();
    conversationId = conversation.id;
    expect(conversation).toMatchObject({ status: 'queued', queueId: 'support', channelId: h.emulator.channelId, user: { userId: 'user1', name: 'User1', language: 'en' } });
    await eventually(() => h.bot.statuses.some((s) => s.state === 'accepted'), 'handoff.status accepted');
  });

  it('should give 8x8 a history equal to the recorded transcript, with the files posted after the 202', async () => {
    const conversation = await eventually(() => {
      const c = h.emulator.conversation(conversationId);
      return c && c.messages.some((m) => !m.fromHistory && m.attachments.length) ? c : undefined;
    }, 'the files message');
    const history = conversation.messages.filter((m) => m.fromHistory);
    expect(history.map((m) => [m.authorType, m.text.split('\n')[0]])).toEqual([
      ['user', 'hello'],
      ['bot', 'echo: hello'],
      ['user', expect.stringContaining('my screenshot')],
      ['bot', 'echo: my screenshot'],
      ['user', 'card'],
      ['bot', expect.any(String)],
      ['user', 'I want a human please'],
    ]);
    expect(history[5]!.cards[0]).toMatchObject({ contentType: 'application/vnd.microsoft.card.adaptive', content: { body: PLAN_CARD.body } });
    const files = conversation.messages.find((m) => !m.fromHistory && m.attachments.length)!;
    expect(files).toMatchObject({ authorType: 'bot', attachments: [{ filename: 'shot.png', sizeInBytes: PNG.length }] });
  });

  it('should tell the user and the bot when an agent joins', async () => {
    await h.emulator.agent('agent-1').accept(conversationId);
    await waitForReply(h.adapter, (a) => a.text === 'An agent joined the conversation.', 'the agent-joined notice');
    await eventually(() => h.bot.statuses.some((s) => s.state === 'agentJoined'), 'handoff.status agentJoined');
    expect(h.bot.statuses.map((s) => s.state).slice(0, 3)).toEqual(['accepted', 'queued', 'agentJoined']);
  });

  it('should forward user text, attachments and card submits to the agent as the user, without running the bot', async () => {
    const agent = h.emulator.agent('agent-1');
    await h.adapter.receiveActivity('my order is late');
    await h.adapter.receiveActivity({ type: 'message', text: '', attachments: [{ contentType: 'image/png', contentUrl: dataUri, name: 'receipt.png' }] });
    await h.adapter.receiveActivity({ type: 'message', value: { plan: 'Pro' } });
    await agent.waitForMessage(conversationId, (m) => m.text === 'my order is late' && !m.fromHistory);
    const withFile = await agent.waitForMessage(conversationId, (m) => m.attachments.some((a) => a.filename === 'receipt.png'));
    expect(withFile.authorType).toBe('user');
    await agent.waitForMessage(conversationId, (m) => /plan/i.test(m.text) && /Pro/.test(m.text) && !m.fromHistory);
    expect(h.bot.heard).not.toContain('my order is late');
  });

  it('should relay agent text, an attachment and an Adaptive Card to the user, and agent typing', async () => {
    const agent = h.emulator.agent('agent-1');
    await agent.typing(true);
    await waitForReply(h.adapter, (a) => a.type === 'typing', 'agent typing');
    const card = { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.3', body: [{ type: 'TextBlock', text: 'Rate us' }] } };
    await agent.say('Here is your label', { attachments: [{ filename: 'label.pdf', contentType: 'application/pdf', data: Buffer.from('%PDF-1.4') }], cards: [card] });
    const reply = await waitForReply(h.adapter, (a) => a.text === 'Here is your label', 'the agent message');
    const attachments = reply.attachments ?? [];
    expect(attachments.find((a) => a.name === 'label.pdf')?.contentUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(attachments.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content).toMatchObject({ body: [{ text: 'Rate us' }] });
  });

  it('should never show the user an echo of their own messages', () => {
    const texts = replyTexts(h.adapter);
    expect(texts).not.toContain('my order is late');
    expect(texts).not.toContain('I want a human please');
  });

  it('should end the handoff when the agent leaves, report completed, and let the bot answer again', async () => {
    await h.emulator.agent('agent-1').leave(conversationId);
    await waitForReply(h.adapter, (a) => a.text === 'The agent left the conversation. You are chatting with the bot again.', 'the agent-left notice');
    await eventually(() => h.bot.statuses.some((s) => s.state === 'completed'), 'handoff.status completed');
    await h.adapter.receiveActivity('back to you, bot');
    expect(replyTexts(h.adapter)).toContain('echo: back to you, bot');
    expect(h.errors).toEqual([]);
  });

  it('should send proactive messages with the configured bot app id', () => {
    expect(h.adapter.proactiveCalls.length).toBeGreaterThan(3);
    expect(h.adapter.proactiveCalls.every((c) => c.botAppId === '')).toBe(true);
  });
});

export type { Activity };
