/**
 * Inactivity (issue 11): a customer silent while an agent is connected (or while queued) is
 * reminded, and after more silence the handoff ends with customer-leave, a notice and
 * `completed`/`inactivity`. Through the middleware against the emulator, on the injected clock.
 */
import { DEFAULT_MESSAGES, renderNotice } from '../../src/handoff';
import { triggers } from '../../src/triggers';
import { connectedUser, eventually, gatewayConversationOf, startHarness, testUser, type Harness } from '../middleware/harness';

const T0 = Date.parse('2026-12-07T10:00:00Z');
const REMINDER = renderNotice({}, 'inactivityReminder', undefined, { endAfterMinutes: '3' });

describe('inactivity', () => {
  let h: Harness;
  let now = T0;
  beforeAll(async () => {
    h = await startHarness({
      middleware: { triggers: [triggers.keywords(['agent'])], clock: () => now, deadlineSweepMs: false, inactivity: { remindAfterSeconds: 120, endAfterSeconds: 180 } },
    });
  });
  afterAll(() => h.close());

  it('reminds a silent customer; a message restarts the count; more silence ends the chat (customer-leave, reason inactivity)', async () => {
    const { user, gatewayId } = await connectedUser(h, 'idle-1');
    now += 119_000;
    expect(await h.handoff.sweepDeadlines()).toBe(0);
    now += 1_000;
    expect(await h.handoff.sweepDeadlines()).toBe(1);
    await user.waitForText(REMINDER);
    // The customer answers at 130 s: it reaches the agent, and the end due at 300 s is called off.
    now += 10_000;
    await user.say('still here');
    await eventually(() => h.emulator.conversation(gatewayId)?.messages.some((m) => m.text === 'still here'), 'message at 8x8');
    now += 119_000; // 249 s
    expect(await h.handoff.sweepDeadlines()).toBe(0);
    now += 1_000; // 250 s: a new reminder, 120 s after the message
    expect(await h.handoff.sweepDeadlines()).toBe(1);
    await eventually(() => user.texts().filter((t) => t === REMINDER).length === 2, 'second reminder');
    now += 179_000; // 429 s: long past the old end
    expect(await h.handoff.sweepDeadlines()).toBe(0);
    expect(user.texts()).not.toContain(DEFAULT_MESSAGES.inactivityEnded);
    now += 1_000; // 430 s: 180 s after the second reminder
    expect(await h.handoff.sweepDeadlines()).toBe(1);
    await user.waitForText(DEFAULT_MESSAGES.inactivityEnded);
    await eventually(() => h.emulator.conversation(gatewayId)?.userLeft, 'customer-leave at 8x8');
    const status = await eventually(() => h.statuses.find((s) => s.reference.conversation?.id === 'idle-1' && s.state === 'completed'), 'completed');
    expect(status).toMatchObject({ reason: 'inactivity', summary: { agentId: 'agent-1', connectedSeconds: 430 } });
    await user.say('hi bot');
    await user.waitForText('echo: hi bot');
  });

  it('agent messages do not count as the customer writing', async () => {
    const { user, gatewayId } = await connectedUser(h, 'idle-2');
    now += 100_000;
    await h.emulator.agent('agent-1').say('Are you there?', { conversationId: gatewayId });
    await user.waitForText('Are you there?');
    now += 20_000;
    expect(await h.handoff.sweepDeadlines()).toBe(1);
    await user.waitForText(REMINDER);
    await user.say('cancel');
  });

  it('ends a customer who walked away while queued, so no agent accepts a chat with nobody', async () => {
    const user = testUser(h.adapter, 'idle-3');
    await user.say('agent');
    const conversation = await gatewayConversationOf(h, 'idle-3');
    await eventually(() => h.emulator.conversation(conversation.id)?.status === 'queued', 'queued');
    await h.handoff.whenIdle();
    now += 120_000;
    await h.handoff.sweepDeadlines();
    await user.waitForText(REMINDER);
    now += 180_000;
    await h.handoff.sweepDeadlines();
    await user.waitForText(DEFAULT_MESSAGES.inactivityEnded);
    await eventually(() => h.emulator.conversation(conversation.id)?.userLeft, 'customer-leave at 8x8');
    expect(await eventually(() => h.statuses.find((s) => s.reference.conversation?.id === 'idle-3' && s.state === 'completed'), 'completed')).toMatchObject({ reason: 'inactivity' });
  });
});
