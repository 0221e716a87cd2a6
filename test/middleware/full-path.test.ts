import type { Activity } from 'botbuilder';
import { triggers } from '../../src/triggers';
import { eventually, HARNESS_BOT_APP_ID, PLAN_CARD, replyTexts, startHarness, waitForReply, type Harness } from './harness';

const PNG = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13]);
const dataUri = `data:image/png;base64,${PNG.toString('base64')}`;

/**
 * One conversation from the bot to an agent and back, as one scenario: each step builds on what
 * the previous one left (the transcript, the 8x8 conversation, the agent), so they are steps of
 * one test rather than tests that would depend on running in order.
 */
describe('HandoffMiddleware (full path against the emulator)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent', 'human'])] } });
  });
  afterAll(async () => {
    await h.close();
  });

  /** The bot answers and the turns go into the transcript while no trigger fires. */
  async function botAnswers(): Promise<void> {
    await h.adapter.receiveActivity('hello');
    await h.adapter.receiveActivity({ type: 'message', text: 'my screenshot', attachments: [{ contentType: 'image/png', contentUrl: dataUri, name: 'shot.png' }] });
    await h.adapter.receiveActivity('card');
    expect(replyTexts(h.adapter).slice(0, 2)).toEqual(['echo: hello', 'echo: my screenshot']);
    expect(h.bot.heard).toEqual(['hello', 'my screenshot', 'card']);
  }

  /** A keyword escalates without running the bot and tells the user; returns the 8x8 conversation id. */
  async function escalates(): Promise<string> {
    await h.adapter.receiveActivity({ type: 'message', text: 'I want a human please', locale: 'en-US' });
    expect(h.bot.heard).not.toContain('I want a human please');
    expect(replyTexts(h.adapter)).toContain('Connecting you with a person. Please wait a moment…');
    const conversation = await h.emulator.waitForConversation();
    expect(conversation).toMatchObject({ status: 'queued', queueId: 'support', channelId: h.emulator.channelId, user: { userId: 'user1', name: 'User1', language: 'en' } });
    await eventually(() => h.bot.statuses.some((s) => s.state === 'accepted'), 'handoff.status accepted');
    return conversation.id;
  }

  /**
   * 8x8 got the recorded transcript in order: the messages before the first file as `history`, the
   * rest posted right after the 202, each with its own author and the file attached where it was sent.
   */
  async function historyMatchesTranscript(conversationId: string): Promise<void> {
    const conversation = await eventually(() => {
      const c = h.emulator.conversation(conversationId);
      return c && c.messages.some((m) => m.text === 'I want a human please') ? c : undefined;
    }, 'the whole transcript');
    const transcript = conversation.messages.filter((m) => m.authorType !== 'agent');
    expect(transcript.map((m) => [m.authorType, m.text.split('\n')[0], m.fromHistory])).toEqual([
      ['user', 'hello', true],
      ['bot', 'echo: hello', true],
      ['user', expect.stringContaining('my screenshot'), false],
      ['bot', 'echo: my screenshot', false],
      ['user', 'card', false],
      ['bot', expect.any(String), false],
      ['user', 'I want a human please', false],
    ]);
    expect(transcript[5]!.cards[0]).toMatchObject({ contentType: 'application/vnd.microsoft.card.adaptive', content: { body: PLAN_CARD.body } });
    // The file keeps its author (the user) and its place (the message it was sent with).
    expect(transcript[2]).toMatchObject({ authorType: 'user', attachments: [{ filename: 'shot.png', sizeInBytes: PNG.length }] });
    expect(transcript.filter((m) => m.attachments.length)).toHaveLength(1);
  }

  /** The user and the bot hear that an agent joined. */
  async function agentJoins(conversationId: string): Promise<void> {
    await h.emulator.agent('agent-1').accept(conversationId);
    await waitForReply(h.adapter, (a) => a.text === 'An agent joined the conversation.', 'the agent-joined notice');
    await eventually(() => h.bot.statuses.some((s) => s.state === 'agentJoined'), 'handoff.status agentJoined');
    expect(h.bot.statuses.map((s) => s.state).slice(0, 3)).toEqual(['accepted', 'queued', 'agentJoined']);
  }

  /** User text, attachments and card submits reach the agent as the user, without running the bot. */
  async function userReachesAgent(conversationId: string): Promise<void> {
    const agent = h.emulator.agent('agent-1');
    await h.adapter.receiveActivity('my order is late');
    await h.adapter.receiveActivity({ type: 'message', text: '', attachments: [{ contentType: 'image/png', contentUrl: dataUri, name: 'receipt.png' }] });
    await h.adapter.receiveActivity({ type: 'message', value: { plan: 'Pro' } });
    await agent.waitForMessage(conversationId, (m) => m.text === 'my order is late' && !m.fromHistory);
    const withFile = await agent.waitForMessage(conversationId, (m) => m.attachments.some((a) => a.filename === 'receipt.png'));
    expect(withFile.authorType).toBe('user');
    await agent.waitForMessage(conversationId, (m) => /plan/i.test(m.text) && /Pro/.test(m.text) && !m.fromHistory);
    expect(h.bot.heard).not.toContain('my order is late');
  }

  /** Agent text, an attachment, an Adaptive Card and typing reach the user; no echo of the user's own messages. */
  async function agentReachesUser(): Promise<void> {
    const agent = h.emulator.agent('agent-1');
    await agent.typing(true);
    await waitForReply(h.adapter, (a) => a.type === 'typing', 'agent typing');
    const card = { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.3', body: [{ type: 'TextBlock', text: 'Rate us' }] } };
    await agent.say('Here is your label', { attachments: [{ filename: 'label.pdf', contentType: 'application/pdf', data: Buffer.from('%PDF-1.4') }], cards: [card] });
    const reply = await waitForReply(h.adapter, (a) => a.text === 'Here is your label', 'the agent message');
    const attachments = reply.attachments ?? [];
    // A small file arrives inline (it never expires, unlike 8x8's pre-signed URL).
    expect(attachments.find((a) => a.name === 'label.pdf')).toMatchObject({ contentType: 'application/pdf', contentUrl: `data:application/pdf;base64,${Buffer.from('%PDF-1.4').toString('base64')}` });
    expect(attachments.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content).toMatchObject({ body: [{ text: 'Rate us' }] });
    expect(replyTexts(h.adapter)).not.toContain('my order is late');
    expect(replyTexts(h.adapter)).not.toContain('I want a human please');
  }

  /** The agent leaves: completed is reported and the bot answers again. */
  async function agentLeaves(conversationId: string): Promise<void> {
    await h.emulator.agent('agent-1').leave(conversationId);
    await waitForReply(h.adapter, (a) => a.text === 'The agent left the conversation. You are chatting with the bot again.', 'the agent-left notice');
    await eventually(() => h.bot.statuses.some((s) => s.state === 'completed'), 'handoff.status completed');
    await h.adapter.receiveActivity('back to you, bot');
    expect(replyTexts(h.adapter)).toContain('echo: back to you, bot');
  }

  it('should carry a conversation from the bot to an agent and back, relaying both ways with the configured bot app id', async () => {
    await botAnswers();
    const conversationId = await escalates();
    await historyMatchesTranscript(conversationId);
    await agentJoins(conversationId);
    await userReachesAgent(conversationId);
    await agentReachesUser();
    await agentLeaves(conversationId);
    expect(h.errors).toEqual([]);
    // Every proactive send carried the app id the middleware was given (a wrong one is a 401 in production).
    expect(h.adapter.proactiveCalls.length).toBeGreaterThan(3);
    expect(h.adapter.proactiveCalls.map((c) => c.botAppId)).toEqual(h.adapter.proactiveCalls.map(() => HARNESS_BOT_APP_ID));
  });
});

export type { Activity };
