import { connectedUser, eventually, gatewayConversationOf, startHarness, testUser, type Harness } from './harness';
import { triggers } from '../../src/triggers';

const CONNECTING = 'Connecting you with a person. Please wait a moment…';
const JOINED = 'An agent joined the conversation.';
const LEFT = 'The agent left the conversation. You are chatting with the bot again.';
const USER_ENDED = 'You ended the conversation with the agent. You are chatting with the bot again.';

describe('HandoffMiddleware lifecycle (end to end against the emulator)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent'])], cooldownMs: 60_000 } });
  });
  afterAll(async () => {
    await h.close();
  });

  const connected = (id: string, agentId = 'agent-1') => connectedUser(h, id, agentId);

  it('should not end the handoff when the agent transfers, and connect the next agent', async () => {
    const { user, gatewayId } = await connected('transfer');
    await h.emulator.agent('agent-1').transfer('billing', gatewayId);
    await user.waitForText('You are being transferred to another agent. Please wait…');
    await eventually(() => h.emulator.conversation(gatewayId)?.status === 'queued', 'queued again');
    await user.say('still there?');
    await h.emulator.agent('agent-2').waitForMessage(gatewayId, (m) => m.text === 'still there?');
    await h.emulator.agent('agent-2').accept(gatewayId);
    await eventually(() => user.texts().filter((t) => t === JOINED).length === 2, 'second agent joined');
    expect(user.texts()).not.toContain(LEFT);
    expect(h.bot.heardIn.filter((x) => x.conversation === 'transfer').map((x) => x.text)).toEqual([]);
    await h.emulator.agent('agent-2').say('Billing here');
    await user.waitForText('Billing here');
    await h.emulator.agent('agent-2').leave(gatewayId);
    await user.waitForText(LEFT);
    const states = h.bot.statuses.filter((s) => s.conversation === 'transfer').map((s) => s.state);
    await eventually(() => h.bot.statuses.some((s) => s.conversation === 'transfer' && s.state === 'completed'), 'completed');
    expect(states).toContain('transferred');
  });

  it('should end the handoff on a cancel phrase: remove the user at 8x8, tell the user, back to the bot', async () => {
    const { user, gatewayId } = await connected('cancel');
    await user.say('Cancel!');
    expect(user.texts()).toContain(USER_ENDED);
    await eventually(() => h.emulator.conversation(gatewayId)?.userLeft, 'the user removed at 8x8');
    await user.say('hi bot');
    expect(user.texts()).toContain('echo: hi bot');
    await eventually(() => h.bot.statuses.some((s) => s.conversation === 'cancel' && s.state === 'completed'), 'completed');
    // The agent's view: the user left. Late events of that conversation change nothing.
    await h.handoff.whenIdle();
    expect(user.texts().filter((t) => t === LEFT)).toEqual([]);
  });

  it('should end the handoff on endOfConversation and when the user leaves the conversation', async () => {
    const first = await connected('eoc');
    await first.user.say({ type: 'endOfConversation' });
    await eventually(() => h.emulator.conversation(first.gatewayId)?.userLeft, 'removed after endOfConversation');
    const second = await connected('leave');
    await second.user.say({ type: 'conversationUpdate', membersRemoved: [{ id: 'user-leave', name: 'User leave' }] });
    await eventually(() => h.emulator.conversation(second.gatewayId)?.userLeft, 'removed after the user left');
  });

  it('should hold messages typed while the create call is in flight and send them in order once it succeeds', async () => {
    h.emulator.faults = { apiDelayMs: 300 };
    try {
      const user = testUser(h.adapter, 'held');
      await user.say('agent');
      await user.say('first');
      await user.say('second');
      await user.say('third');
      const conversation = await gatewayConversationOf(h, 'held');
      h.emulator.faults = {};
      await h.emulator.agent('agent-1').waitForMessage(conversation.id, (m) => m.text === 'third');
      const live = h.emulator.conversation(conversation.id)!.messages.filter((m) => !m.fromHistory && m.authorType === 'user').map((m) => m.text);
      expect(live).toEqual(['first', 'second', 'third']);
      expect(h.bot.heardIn.filter((x) => x.conversation === 'held')).toEqual([]);
    } finally {
      h.emulator.faults = {};
    }
  });

  it('should report failed, apologize and keep the bot in charge when the create call fails with 500, then cool down', async () => {
    h.emulator.faults = { apiErrors: [{ method: 'POST', path: /\/conversations$/, status: 500, times: 5 }] };
    try {
      const user = testUser(h.adapter, 'fail500');
      await user.say('agent');
      await user.waitForText("Sorry, I couldn't reach a person right now. I'm still here to help.");
      await eventually(() => h.bot.statuses.find((s) => s.conversation === 'fail500' && s.state === 'failed'), 'failed');
      await user.say('are you there');
      expect(user.texts()).toContain('echo: are you there');
      h.emulator.faults = {};
      await user.say('agent');
      expect(user.texts()).toContain('Sorry, no one is available right now. Please try again in a little while.');
      await h.handoff.whenIdle();
      expect(h.emulator.conversations.some((c) => c.user.userId === 'user-fail500')).toBe(false);
      expect(h.errors.some((e) => e.where === 'escalation')).toBe(true);
    } finally {
      h.emulator.faults = {};
      h.errors.length = 0;
    }
  });

  it('should report failed when the create call times out', async () => {
    h.emulator.faults = { apiDelayMs: 6000 };
    try {
      const user = testUser(h.adapter, 'timeout');
      await user.say('agent');
      expect(user.texts()).toEqual([CONNECTING]);
      await eventually(() => h.bot.statuses.find((s) => s.conversation === 'timeout' && s.state === 'failed'), 'failed after the timeout', 8000);
      await user.say('still here?');
      expect(user.texts()).toContain('echo: still here?');
    } finally {
      h.emulator.faults = {};
      h.errors.length = 0;
    }
  });
});
