/**
 * Hand-back through 8x8's post-agent assignment (issue 11, REFERENCE.md 3.5): with
 * `postAgentAssignment` set, the middleware registers the bot's webhook right after the create;
 * the emulator (its own reading of the document) routes the conversation back to that webhook
 * when the agent leaves, and the user is back with the bot. Middleware + TestAdapter + real
 * client vs emulator.
 */
import { loadHandoffConfig } from '../../src/config';
import { ConfigurationError } from '../../src/errors';
import { DEFAULT_MESSAGES, HandoffMiddleware } from '../../src/handoff';
import { triggers } from '../../src/triggers';
import { eventually, gatewayConversationOf, startHarness, testUser, type Harness } from '../middleware/harness';

const WEBHOOK = 'bot-webhook';
const handBack = { webhookId: WEBHOOK, maxTotalMinutes: 300, userTimeoutInMinutes: 150 };

describe('postAgentAssignment', () => {
  let h: Harness;
  afterEach(() => h?.close());

  async function escalate(conversationId: string) {
    const user = testUser(h.adapter, conversationId);
    await user.say('agent');
    const conversation = await gatewayConversationOf(h, conversationId);
    await eventually(() => h.emulator.conversation(conversation.id)?.status === 'queued', 'queued');
    return { user, id: conversation.id };
  }

  /** A webhook event handing the conversation to a bot (a script assignment), as the emulator reads 8x8's document. */
  const isHandBack = (id: string) => (d: { conversationId?: string; eventType: string; event: Record<string, unknown> }) =>
    d.conversationId === id && d.eventType === 'CONVERSATION_UPDATE' && (d.event.data as { assignment?: { type?: string } } | undefined)?.assignment?.type === 'script';

  it('registers the hand-back once, right after the create, with the configured body', async () => {
    h = await startHarness({ emulator: { webhookId: WEBHOOK }, middleware: { triggers: [triggers.keywords(['agent'])], postAgentAssignment: handBack } });
    const calls = jest.spyOn(h.gateway, 'postAgentAssignment');
    const { user, id } = await escalate('pa-1');
    await h.handoff.whenIdle();
    expect(calls.mock.calls).toEqual([[id, { id: WEBHOOK, type: 'webhook', configuration: { maxTotalMinutes: 300, userTimeoutInMinutes: 150 } }]]);
    // 8x8 (the emulator) took it: when the agent leaves, the conversation goes to the bot's webhook.
    await h.emulator.agent('agent-1').accept(id);
    await user.waitForText(DEFAULT_MESSAGES.agentJoined);
    await h.emulator.agent('agent-1').leave(id);
    await h.emulator.waitForDelivery(isHandBack(id), { timeoutMs: 5000 });
    await h.handoff.whenIdle();
    expect(calls).toHaveBeenCalledTimes(1);
    expect(h.errors).toEqual([]);
  });

  it('after the agent leaves, 8x8 hands the conversation to the bot and what the user types is answered by the bot, once', async () => {
    h = await startHarness({ emulator: { webhookId: WEBHOOK }, middleware: { triggers: [triggers.keywords(['agent'])], postAgentAssignment: handBack } });
    const { user, id } = await escalate('pa-2');
    await h.emulator.agent('agent-1').accept(id);
    await user.waitForText(DEFAULT_MESSAGES.agentJoined);
    await h.emulator.agent('agent-1').leave(id);
    await user.waitForText(DEFAULT_MESSAGES.agentLeft);
    await h.emulator.waitForDelivery(isHandBack(id), { timeoutMs: 5000 });
    await eventually(() => h.emulator.conversation(id)?.userLeft, 'customer-leave');
    await h.handoff.whenIdle();
    const toAgent = h.emulator.conversation(id)!.messages.length;
    await user.say('is my refund on its way?');
    await user.waitForText('echo: is my refund on its way?');
    await h.handoff.whenIdle();
    expect(user.texts().filter((t) => t === 'echo: is my refund on its way?')).toHaveLength(1);
    // Nothing of it went to 8x8: the bot has the user again.
    expect(h.emulator.conversation(id)!.messages).toHaveLength(toAgent);
    expect(h.errors).toEqual([]);
  });

  it('a refused registration is reported through onError and the handoff goes on', async () => {
    h = await startHarness({ emulator: { webhookId: WEBHOOK }, middleware: { triggers: [triggers.keywords(['agent'])], postAgentAssignment: handBack } });
    h.emulator.faults = { apiErrors: [{ method: 'POST', path: '/post-agent-assignment', status: 500, times: Infinity }] };
    const { user, id } = await escalate('pa-3');
    await eventually(() => h.errors.some((e) => e.where === 'escalation.postAgentAssignment'), 'the failure reported');
    await h.emulator.agent('agent-1').accept(id);
    await user.waitForText(DEFAULT_MESSAGES.agentJoined);
    await h.emulator.agent('agent-1').say('Hello, Alice here.', { conversationId: id });
    await user.waitForText('Hello, Alice here.');
    // Nothing was registered: the agent's leaving ends the conversation at 8x8, with no hand-back.
    await h.emulator.agent('agent-1').leave(id);
    await user.waitForText(DEFAULT_MESSAGES.agentLeft);
    await eventually(() => h.emulator.conversation(id)?.status === 'ended', 'ended at 8x8');
    await h.handoff.whenIdle();
    await expect(h.emulator.waitForDelivery(isHandBack(id), { timeoutMs: 1 })).rejects.toThrow();
  });

  it('registers it again when a later escalation reopens the conversation, and the next agent hands back too', async () => {
    h = await startHarness({ emulator: { webhookId: WEBHOOK }, middleware: { triggers: [triggers.keywords(['agent'])], postAgentAssignment: handBack, reopenWindowSeconds: 3600 } });
    const calls = jest.spyOn(h.gateway, 'postAgentAssignment');
    const { user, id } = await escalate('pa-4');
    for (const [round, agent] of [[1, 'agent-1'], [2, 'agent-2']] as const) {
      await eventually(() => h.emulator.conversation(id)?.status === 'queued', `queued (${round})`);
      await h.emulator.agent(agent).accept(id);
      await eventually(() => user.texts().filter((t) => t === DEFAULT_MESSAGES.agentJoined).length === round, `agent joined (${round})`);
      await h.emulator.agent(agent).leave(id);
      await eventually(() => user.texts().filter((t) => t === DEFAULT_MESSAGES.agentLeft).length === round, `agent left (${round})`);
      await eventually(() => h.emulator.conversation(id)?.userLeft, `customer-leave (${round})`);
      await h.handoff.whenIdle();
      if (round === 1) {
        await user.say('still there?');
        await user.waitForText('echo: still there?');
        await user.say('agent');
      }
    }
    expect(h.emulator.conversations.filter((c) => c.user.userId === 'user-pa-4')).toHaveLength(1);
    expect(calls.mock.calls.map(([conversationId]) => conversationId)).toEqual([id, id]);
    // Both agents' leaving handed the conversation back (two distinct events in the delivery log).
    const handedBack = new Set<string>();
    await h.emulator.waitForDelivery((d) => (isHandBack(id)(d) && handedBack.add(d.eventId), false), { timeoutMs: 1 }).catch(() => undefined);
    expect(handedBack.size).toBe(2);
    expect(h.errors).toEqual([]);
  });

  it('rejects a bad option at construction, naming it and the fix', async () => {
    h = await startHarness({ emulator: { webhookId: WEBHOOK } });
    const base = { gateway: h.gateway, channelId: 'c', queueId: 'q', adapter: h.adapter, botAppId: 'b' };
    const build = (postAgentAssignment: unknown) => () => new HandoffMiddleware({ ...base, postAgentAssignment } as never);
    expect(build({ webhookId: '' })).toThrow(ConfigurationError);
    expect(build({ webhookId: '' })).toThrow(/`postAgentAssignment`.*webhookId.*setup/);
    expect(build({ webhookId: WEBHOOK, maxTotalMinutes: 5 })).toThrow(/`postAgentAssignment\.maxTotalMinutes`.*20 to 600/);
    expect(build({ webhookId: WEBHOOK, userTimeoutInMinutes: 301 })).toThrow(/`postAgentAssignment\.userTimeoutInMinutes`.*10 to 300/);
    const { postAgentAssignment: _omit, ...noHandBack } = h.gateway as unknown as Record<string, unknown>;
    void _omit;
    const bare = { ...noHandBack, createConversation: h.gateway.createConversation.bind(h.gateway), sendMessage: h.gateway.sendMessage.bind(h.gateway), uploadAttachment: h.gateway.uploadAttachment.bind(h.gateway), sendTyping: h.gateway.sendTyping.bind(h.gateway), removeUser: h.gateway.removeUser.bind(h.gateway) };
    // The config file's key is read too (the option wins when both are set).
    expect(() => new HandoffMiddleware({ ...base, gateway: bare, config: loadHandoffConfig({ postAgentAssignment: handBack }) } as never)).toThrow(/needs a gateway with postAgentAssignment/);
    expect(() => new HandoffMiddleware({ ...base, gateway: { ...noHandBack, createConversation: h.gateway.createConversation.bind(h.gateway), sendMessage: h.gateway.sendMessage.bind(h.gateway), uploadAttachment: h.gateway.uploadAttachment.bind(h.gateway), sendTyping: h.gateway.sendTyping.bind(h.gateway), removeUser: h.gateway.removeUser.bind(h.gateway) }, postAgentAssignment: handBack } as never)).toThrow(/needs a gateway with postAgentAssignment/);
  });
});
