/**
 * Issue 10 end to end: forms of 8x8's events other than the emulator's own, delivered signed by the
 * emulator through the real express webhook receiver into the middleware (TestAdapter), and the
 * emulator's script assignment through the real client.
 */
import { DEFAULT_MESSAGES } from '../../src/handoff';
import { triggers } from '../../src/triggers';
import { connectedUser, eventually, startHarness, type Harness } from './harness';

const { agentLeft: LEFT, userRemoved: REMOVED } = DEFAULT_MESSAGES;

describe('HandoffMiddleware with the documented variants of 8x8 events', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent'])] } });
  });
  afterAll(async () => {
    await h.close();
  });

  /** Delivers one raw event through the emulator's signed webhook and waits for the 2xx. */
  async function deliver(event: Record<string, unknown> & { conversationId: string }): Promise<void> {
    const record = h.emulator.deliverEvent({ timestamp: Date.now(), ...event });
    const done = await h.emulator.waitForDelivery((d) => d.eventId === record.eventId && d.status !== 'pending');
    expect({ status: done.status, code: done.attempts.at(-1)?.status }).toEqual({ status: 'delivered', code: 200 });
  }

  it('should relay agent-side messages with a blank, missing or system sender type, and not the customer\'s', async () => {
    const { user, gatewayId } = await connectedUser(h, 'blank-sender');
    await deliver({ eventType: 'MESSAGE', conversationId: gatewayId, data: { isEcho: false, sender: { id: 'string', type: '' }, text: 'blank type' } });
    await deliver({ eventType: 'MESSAGE', conversationId: gatewayId, data: { isEcho: false, text: 'no sender' } });
    await deliver({ eventType: 'MESSAGE', conversationId: gatewayId, data: { isEcho: false, sender: { type: 'system' }, text: 'Chat is recorded' } });
    await deliver({ eventType: 'MESSAGE', conversationId: gatewayId, data: { isEcho: false, sender: { type: 'user' }, text: 'the customer\'s own' } });
    await user.waitForText('Chat is recorded');
    await h.handoff.whenIdle();
    expect(user.texts().filter((t) => ['blank type', 'no sender', 'Chat is recorded', 'the customer\'s own'].includes(t))).toEqual(['blank type', 'no sender', 'Chat is recorded']);
  });

  it('should end the handoff on the idle of a CONVERSATION_UPDATE with mistyped informational fields and an unknown change', async () => {
    const { user, gatewayId } = await connectedUser(h, 'loose-idle');
    await deliver({ eventType: 'MEMBERS_CHANGED', conversationId: gatewayId, data: { memberType: 'agent', change: 'updated', id: 'agent-1' } });
    await deliver({
      eventType: 'CONVERSATION_UPDATE', conversationId: gatewayId, timestamp: String(Date.now()),
      data: { state: 'idle', assignment: { type: 'queue', id: 'support', resourceId: 7 }, user: { name: 'Jo', timezoneOffset: '-60', additionalProperties: [{ key: 'vip', value: true }] }, channel: 42 },
    });
    await user.waitForText(LEFT);
    await eventually(() => h.bot.statuses.find((s) => s.conversation === 'loose-idle' && s.state === 'completed'), 'completed status');
    await user.say('back to the bot?');
    await user.waitForText('echo: back to the bot?');
  });

  it('should end the handoff when 8x8 removes the customer (MEMBERS_CHANGED user left): notice, status, bot again', async () => {
    const { user, gatewayId } = await connectedUser(h, 'removed');
    await h.emulator.agent('agent-1').removeCustomer(gatewayId);
    await user.waitForText(REMOVED);
    const status = await eventually(() => h.bot.statuses.find((s) => s.conversation === 'removed' && s.state === 'completed'), 'completed status');
    expect(status.message).toBe('user removed in 8x8');
    await h.handoff.whenIdle();
    // The agent's left and the idle that follow change nothing more: one notice, one status.
    expect(user.texts().filter((t) => t === REMOVED || t === LEFT)).toEqual([REMOVED]);
    expect(h.bot.statuses.filter((s) => s.conversation === 'removed' && s.state === 'completed')).toHaveLength(1);
    await user.say('hello bot');
    await user.waitForText('echo: hello bot');
  });
});

describe('emulator: script assignment', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent'])] } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('should accept a create with assignment.type "script" (202), report the script in the created event, then queue on the channel queue', async () => {
    const created = await h.gateway.createConversation({ channelId: h.emulator.channelId, user: { name: 'Jo' }, assignment: { type: 'script', id: 'welcome-script' } });
    const first = await h.emulator.waitForDelivery((d) => d.conversationId === created.conversationId && d.eventType === 'CONVERSATION_UPDATE');
    expect((first.event.data as { state: string; assignment: unknown }).assignment).toEqual({ type: 'script', id: 'welcome-script' });
    const queued = await h.emulator.waitForDelivery((d) => d.conversationId === created.conversationId && d.eventType === 'QUEUED');
    expect(queued.event.data).toEqual({ queueId: 'support', queueName: 'Support' });
    const patched = await h.gateway.patchConversation(created.conversationId, { assignment: { type: 'script', id: 'other-script' } });
    expect(patched.id).toBe(created.conversationId);
  });
});
