/**
 * The end of a handoff (issue 11): when the agent leaves with no transfer pending, the customer
 * leaves the 8x8 conversation too, and `handoff.status` carries a reason and a summary (queue,
 * agent, time waiting and connected, agent messages), both to the bot and to `onStatus`.
 */
import { triggers } from '../../src/triggers';
import { connectedUser, eventually, startHarness, type Harness } from './harness';

describe('the end of a handoff: customer-leave, reason and summary', () => {
  let h: Harness;
  let now = Date.parse('2026-12-07T10:00:00Z');
  beforeAll(async () => {
    h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent'])], clock: () => now } });
  });
  afterAll(() => h.close());

  it('leaves the 8x8 conversation after the agent left and reports completed/agentLeft with a summary', async () => {
    const { user, gatewayId } = await connectedUser(h, 'summary-1');
    for (const text of ['one', 'two', 'three']) await h.emulator.agent('agent-1').say(text, { conversationId: gatewayId });
    await user.waitForText('three');
    now += 90_000;
    await h.emulator.agent('agent-1').leave(gatewayId);
    await eventually(() => h.emulator.conversation(gatewayId)?.userLeft, 'customer-leave called at 8x8');
    const status = await eventually(() => h.statuses.find((s) => s.reference.conversation?.id === 'summary-1' && s.state === 'completed'), 'completed status');
    expect(status.reason).toBe('agentLeft');
    expect(status.summary).toMatchObject({ queueId: 'support', agentId: 'agent-1', messagesFromAgent: 3 });
    // The fake clock did not move between escalation and join, then moved 90 s while connected.
    expect(status.summary).toMatchObject({ waitedSeconds: 0, connectedSeconds: 90 });
    const event = await eventually(() => h.bot.statuses.find((s) => s.conversation === 'summary-1' && s.state === 'completed'), 'status event');
    expect(event).toMatchObject({ reason: 'agentLeft', summary: { queueId: 'support', messagesFromAgent: 3 } });
  });

  it('does not leave when the agent transfers; leaves after the next agent ends it', async () => {
    const { gatewayId } = await connectedUser(h, 'summary-2');
    await h.emulator.agent('agent-1').transfer('billing', gatewayId);
    await eventually(() => h.emulator.conversation(gatewayId)?.status === 'queued', 'queued again');
    await h.handoff.whenIdle();
    expect(h.emulator.conversation(gatewayId)?.userLeft).toBeFalsy();
    await h.emulator.agent('agent-2').accept(gatewayId);
    await eventually(() => h.bot.statuses.filter((s) => s.conversation === 'summary-2' && s.state === 'agentJoined').length === 2, 'second agent');
    await h.emulator.agent('agent-2').leave(gatewayId);
    await eventually(() => h.emulator.conversation(gatewayId)?.userLeft, 'customer-leave after the last agent');
    const status = await eventually(() => h.statuses.find((s) => s.reference.conversation?.id === 'summary-2' && s.state === 'completed'), 'completed');
    expect(status.summary).toMatchObject({ agentId: 'agent-2', queueName: expect.any(String) });
  });

  it('reports userEnded with a summary when the user cancels', async () => {
    const { user } = await connectedUser(h, 'summary-3');
    await user.say('cancel');
    const status = await eventually(() => h.statuses.find((s) => s.reference.conversation?.id === 'summary-3' && s.state === 'completed'), 'completed');
    expect(status).toMatchObject({ reason: 'userEnded', summary: { agentId: 'agent-1', messagesFromAgent: 0 } });
  });
});
