/**
 * Coming back (issue 11): within `reopenWindowSeconds` after a handoff ended, the same user's next
 * escalation posts the bot turns since the end into the same 8x8 conversation, which the emulator
 * (as 8x8 describes) re-queues in its last queue with the whole history; outside the window, or
 * when 8x8 refuses, a new conversation is created. Middleware + TestAdapter + real client vs emulator.
 */
import { DEFAULT_MESSAGES } from '../../src/handoff';
import { triggers } from '../../src/triggers';
import { eventually, gatewayConversationOf, startHarness, testUser, type Harness, type TestUser } from '../middleware/harness';

const T0 = Date.parse('2026-12-07T10:00:00Z');

describe('reopening the last 8x8 conversation', () => {
  let h: Harness;
  let now = T0;
  /** What the user says, stamped with the bot's (fake) clock, as a channel stamps it. */
  const say = (user: TestUser, text: string) => user.say({ text, timestamp: new Date(now) });
  const conversationsOf = (conversationId: string) => h.emulator.conversations.filter((c) => c.user.userId === `user-${conversationId}`);

  beforeEach(async () => {
    now = T0;
    h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent'])], clock: () => now, reopenWindowSeconds: 3600 } });
  });
  afterEach(() => h.close());

  /** A first handoff: queued, accepted by agent-1, ended by the agent (customer-leave follows). */
  async function firstHandoff(conversationId: string) {
    const user = testUser(h.adapter, conversationId);
    await say(user, 'agent');
    const conversation = await gatewayConversationOf(h, conversationId);
    await eventually(() => h.emulator.conversation(conversation.id)?.status === 'queued', 'queued');
    await h.emulator.agent('agent-1').accept(conversation.id);
    await user.waitForText(DEFAULT_MESSAGES.agentJoined);
    now += 60_000;
    await h.emulator.agent('agent-1').leave(conversation.id);
    await user.waitForText(DEFAULT_MESSAGES.agentLeft);
    await eventually(() => h.emulator.conversation(conversation.id)?.userLeft, 'customer-leave');
    await h.handoff.whenIdle();
    return { user, gatewayId: conversation.id };
  }

  it('posts the turns since the end into the same conversation, which 8x8 re-queues for the next agent', async () => {
    const { user, gatewayId } = await firstHandoff('back-1');
    now += 600_000;
    await say(user, 'my parcel is still missing');
    await user.waitForText('echo: my parcel is still missing');
    await say(user, 'agent');
    await eventually(() => h.emulator.conversation(gatewayId)?.status === 'queued', 'queued again');
    expect(conversationsOf('back-1')).toHaveLength(1);
    const posted = () => h.emulator.conversation(gatewayId)!.messages.filter((m) => !m.fromHistory).map((m) => [m.authorType, m.text]);
    const since = [['user', 'my parcel is still missing'], ['bot', 'echo: my parcel is still missing'], ['user', 'agent']];
    // In order, each with its author, after what the first agent saw.
    await eventually(() => JSON.stringify(posted().slice(-3)) === JSON.stringify(since), 'the turns since the end, in order');
    await h.handoff.whenIdle();
    // Only the turns since the end: the first escalation's "agent" is there once, from the first create's history.
    expect(posted().filter(([, t]) => t === 'agent')).toHaveLength(1);
    await h.emulator.agent('agent-2').accept(gatewayId);
    await eventually(() => user.texts().filter((t) => t === DEFAULT_MESSAGES.agentJoined).length === 2, 'second agent joined');
    await h.emulator.agent('agent-2').say('I see the whole story.', { conversationId: gatewayId });
    await user.waitForText('I see the whole story.');
    await say(user, 'thanks');
    await eventually(() => h.emulator.conversation(gatewayId)?.messages.some((m) => m.text === 'thanks'), 'relayed to the reopened conversation');
  });

  it('creates a new conversation outside the window', async () => {
    const { user, gatewayId } = await firstHandoff('back-2');
    now += 3_601_000;
    await say(user, 'agent');
    await eventually(() => conversationsOf('back-2').length === 2, 'a second conversation');
    expect(h.emulator.conversation(gatewayId)?.userLeft).toBe(true);
  });

  it('creates a new conversation when 8x8 refuses the reopen', async () => {
    const { user, gatewayId } = await firstHandoff('back-3');
    now += 60_000;
    h.emulator.faults = { apiErrors: [{ method: 'POST', path: `/conversations/${gatewayId}/messages`, status: 404 }] };
    await say(user, 'agent');
    const fresh = await eventually(() => conversationsOf('back-3').find((c) => c.id !== gatewayId), 'a new conversation');
    await eventually(() => h.emulator.conversation(fresh.id)?.status === 'queued', 'new one queued');
    expect(h.errors.some((e) => e.where === 'escalation.reopen')).toBe(true);
    await h.emulator.agent('agent-1').accept(fresh.id);
    await eventually(() => user.texts().filter((t) => t === DEFAULT_MESSAGES.agentJoined).length === 2, 'agent joined the new one');
  });
});
