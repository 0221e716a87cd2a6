import type { ConversationEvent } from '../../src/webhook/events';
import { triggers } from '../../src/triggers';
import { eventually, gatewayConversationOf, startHarness, testUser, type Harness } from './harness';

const JOINED = 'An agent joined the conversation.';
const LEFT = 'The agent left the conversation. You are chatting with the bot again.';
const TRANSFERRING = 'You are being transferred to another agent. Please wait…';

describe('HandoffMiddleware webhook handling (duplicates, reordering, early events)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent'])] } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('should relay each agent event once when 8x8 delivers every webhook twice', async () => {
    h.emulator.faults = { delivery: { duplicate: true } };
    try {
      const user = testUser(h.adapter, 'dup');
      await user.say('agent');
      const { id } = await gatewayConversationOf(h, 'dup');
      await eventually(() => h.emulator.conversation(id)?.status === 'queued', 'queued');
      const agent = h.emulator.agent('agent-1');
      await agent.accept(id);
      await agent.say('hello once');
      await agent.leave(id);
      await user.waitForText(LEFT);
      await eventually(() => h.emulator.deliveries.filter((d) => d.conversationId === id && d.duplicate && d.status === 'delivered').length >= 5, 'duplicates delivered');
      await h.handoff.whenIdle();
      const texts = user.texts();
      expect(texts.filter((t) => t === 'hello once')).toHaveLength(1);
      expect(texts.filter((t) => t === JOINED)).toHaveLength(1);
      expect(texts.filter((t) => t === LEFT)).toHaveLength(1);
      expect(h.bot.statuses.filter((s) => s.conversation === 'dup' && s.state === 'completed')).toHaveLength(1);
    } finally {
      h.emulator.faults = {};
    }
  });

  it('should reach the right state and relay in arrival order when lifecycle events come reordered and duplicated', async () => {
    const user = testUser(h.adapter, 'reorder');
    await user.say('agent');
    const { id } = await gatewayConversationOf(h, 'reorder');
    await h.handoff.whenIdle();
    const ev = (e: Record<string, unknown>, eventId: string) => h.handoff.handleGatewayEvent({ ...e, conversationId: id } as ConversationEvent, { eventId });
    // The agent joins before QUEUED; the new agent joins before the old one leaves; duplicates in between.
    await ev({ eventType: 'MEMBERS_CHANGED', timestamp: 100, data: { memberType: 'agent', change: 'joined', id: 'agent-9' } }, 'e1');
    await ev({ eventType: 'QUEUED', timestamp: 50, data: { queueId: 'support', queueName: 'Support' } }, 'e0');
    await ev({ eventType: 'MESSAGE', timestamp: 110, data: { isEcho: false, sender: { id: 'agent-9', type: 'agent' }, text: 'one' } }, 'e2');
    await ev({ eventType: 'MESSAGE', timestamp: 111, data: { isEcho: false, sender: { id: 'agent-9', type: 'agent' }, text: 'two' } }, 'e3');
    await ev({ eventType: 'TRANSFER', timestamp: 120 }, 'e4');
    await ev({ eventType: 'MEMBERS_CHANGED', timestamp: 100, data: { memberType: 'agent', change: 'joined', id: 'agent-9' } }, 'e1');
    await ev({ eventType: 'MEMBERS_CHANGED', timestamp: 140, data: { memberType: 'agent', change: 'joined', id: 'agent-8' } }, 'e6');
    await ev({ eventType: 'MEMBERS_CHANGED', timestamp: 130, data: { memberType: 'agent', change: 'left', id: 'agent-9' } }, 'e5');
    await ev({ eventType: 'TRANSFER', timestamp: 120 }, 'e4');
    await ev({ eventType: 'MESSAGE', timestamp: 150, data: { isEcho: false, sender: { id: 'agent-8', type: 'agent' }, text: 'three' } }, 'e7');
    await h.handoff.whenIdle();
    const relayed = user.texts().filter((t) => ['one', 'two', 'three', JOINED, TRANSFERRING, LEFT].includes(t));
    expect(relayed).toEqual([JOINED, 'one', 'two', TRANSFERRING, JOINED, 'three']);
    const record = await h.store.read(h.store.conversationKey({ channelId: 'test', conversation: { id: 'reorder' } as never }));
    expect(record).toMatchObject({ state: 'connected', agentId: 'agent-8', pendingTransfers: 0 });
  });

  it('should keep webhooks that arrive before the create call returns and apply them once linked', async () => {
    const real = h.gateway;
    const slow = h.newInstance({
      gateway: {
        ...pick(real),
        createConversation: async (req) => {
          const created = await real.createConversation(req);
          // Hold the 202 back until 8x8's first events were delivered (and acknowledged) to us.
          await h.emulator.waitForDelivery((d) => d.conversationId === created.conversationId && d.eventType === 'QUEUED' && d.status === 'delivered');
          return created;
        },
      },
    });
    h.routeWebhooksTo(slow.handoff);
    try {
      const user = testUser(slow.adapter, 'early');
      await user.say('agent');
      const { id } = await gatewayConversationOf(h, 'early');
      await eventually(() => slow.bot.statuses.find((s) => s.state === 'queued'), 'queued reported after the link');
      await h.emulator.agent('agent-1').accept(id);
      await user.waitForText(JOINED);
      expect(slow.bot.statuses.map((s) => s.state)).toEqual(['accepted', 'queued', 'agentJoined']);
    } finally {
      await slow.handoff.whenIdle();
      h.routeWebhooksTo(h.handoff);
    }
  });

  it('should let a new middleware instance on the same Storage continue a handoff another one started', async () => {
    const user = testUser(h.adapter, 'restart');
    await user.say('agent');
    const { id } = await gatewayConversationOf(h, 'restart');
    await h.handoff.whenIdle();
    // "Restart": a fresh instance (new adapter, new memory) takes the webhooks and the user's turns.
    const next = h.newInstance();
    h.routeWebhooksTo(next.handoff);
    try {
      const again = testUser(next.adapter, 'restart');
      await h.emulator.agent('agent-2').accept(id);
      await again.waitForText(JOINED);
      await again.say('are you a person?');
      await h.emulator.agent('agent-2').waitForMessage(id, (m) => m.text === 'are you a person?');
      await h.emulator.agent('agent-2').say('yes I am');
      await again.waitForText('yes I am');
      await h.emulator.agent('agent-2').leave(id);
      await again.waitForText(LEFT);
      expect(next.bot.heard).toEqual([]);
    } finally {
      await next.handoff.whenIdle();
      h.routeWebhooksTo(h.handoff);
    }
  });

  it('should create one 8x8 conversation when two instances escalate the same conversation at once (eTag compare-and-set)', async () => {
    const other = h.newInstance();
    await Promise.all([testUser(h.adapter, 'race').say('agent'), testUser(other.adapter, 'race').say('agent')]);
    await h.handoff.whenIdle();
    await other.handoff.whenIdle();
    await gatewayConversationOf(h, 'race');
    // Both turns and their background work are done, and the emulator records a conversation before
    // it answers the create call: a second create would be in the list by now.
    expect(h.emulator.conversations.filter((c) => c.user.userId === 'user-race')).toHaveLength(1);
  });
});

function pick(client: Harness['gateway']) {
  return {
    createConversation: client.createConversation.bind(client),
    sendMessage: client.sendMessage.bind(client),
    uploadAttachment: client.uploadAttachment.bind(client),
    sendTyping: client.sendTyping.bind(client),
    removeUser: client.removeUser.bind(client),
  };
}
