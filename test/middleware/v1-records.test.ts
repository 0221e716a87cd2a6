/**
 * Records written before v2 kept the transcript inside the handoff record. They must keep working
 * after an upgrade: the inline transcript is the history of the next escalation, the first turn
 * that records something moves it to its own key, and a connected v1 handoff still relays.
 * The fixtures are the exact stored shape (envelope included) an earlier release wrote.
 */
import type { StoreItems } from 'botbuilder';
import { DEFAULT_MESSAGES } from '../../src/handoff';
import type { ConversationEvent } from '../../src/webhook/events';
import { triggers } from '../../src/triggers';
import { eventually, gatewayConversationOf, startHarness, testUser, type Harness } from './harness';

/** What an earlier release stored for a conversation that chatted with the bot but never escalated. */
function v1BotRecord(conversationId: string): Record<string, unknown> {
  return {
    v: 1,
    state: 'bot',
    reference: {
      activityId: 'old-activity',
      user: { id: `user-${conversationId}`, name: `User ${conversationId}` },
      bot: { id: 'bot', name: 'Bot' },
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
      channelId: 'test',
      serviceUrl: 'https://test.com',
    },
    pendingTransfers: 0,
    leftAgents: [],
    seen: [],
    transcript: [
      { direction: 'in', type: 'message', text: 'old question', from: { role: 'user', name: `User ${conversationId}` }, timestamp: '2026-01-05T10:00:00.000Z' },
      { direction: 'out', type: 'message', text: 'old answer', from: { role: 'bot', name: 'Bot' }, timestamp: '2026-01-05T10:00:01.000Z' },
    ],
    consecutiveFallbacks: 0,
    held: [],
    outbox: [],
  };
}

describe('records written before v2 (transcript inside the record)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent'])] } });
  });
  afterAll(async () => {
    await h.close();
  });

  const botKeyOf = (conversationId: string) => h.store.conversationKey({ channelId: 'test', conversation: { id: conversationId } as never });
  const rawRead = async (key: string) => ((await h.storage.read([key])) as StoreItems)[key] as { data: Record<string, unknown> } | undefined;
  const seed = (key: string, data: unknown) => h.storage.write({ [key]: { data, createdBy: 'an-earlier-release' } });

  it('should send the inline transcript as history, after moving it to its own key on the first recorded turn', async () => {
    const botKey = botKeyOf('v1-chat');
    await seed(botKey, v1BotRecord('v1-chat'));
    expect((await h.store.readTranscript(botKey)).map((e) => e.text)).toEqual(['old question', 'old answer']);

    const user = testUser(h.adapter, 'v1-chat');
    await user.say('hello');
    await user.waitForText('echo: hello');
    const record = (await rawRead(botKey))!.data;
    expect(record).not.toHaveProperty('transcript');
    expect(record).toMatchObject({ v: 2, state: 'bot' });
    const transcriptKey = botKey.replace('/conversation/', '/transcript/');
    const stored = (await rawRead(transcriptKey))!.data as { entries: Array<{ text: string }>; bytes: number };
    expect(stored.entries.map((e) => e.text)).toEqual(['old question', 'old answer', 'hello', 'echo: hello']);
    expect(stored.bytes).toBe(stored.entries.reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e)), 0));

    await user.say('agent');
    const conversation = await gatewayConversationOf(h, 'v1-chat');
    const history = await eventually(() => {
      const c = h.emulator.conversation(conversation.id);
      return c && c.messages.filter((m) => m.fromHistory).length >= 5 ? c.messages.filter((m) => m.fromHistory) : undefined;
    }, 'the history');
    expect(history.map((m) => [m.authorType, m.text])).toEqual([
      ['user', 'old question'],
      ['bot', 'old answer'],
      ['user', 'hello'],
      ['bot', 'echo: hello'],
      ['user', 'agent'],
    ]);
  });

  it('should still send an inline transcript as history when no turn moved it (escalation from the first turn)', async () => {
    const botKey = botKeyOf('v1-direct');
    await seed(botKey, v1BotRecord('v1-direct'));
    await testUser(h.adapter, 'v1-direct').say('agent');
    const conversation = await gatewayConversationOf(h, 'v1-direct');
    const history = await eventually(() => {
      const c = h.emulator.conversation(conversation.id);
      return c && c.messages.filter((m) => m.fromHistory).length >= 3 ? c.messages.filter((m) => m.fromHistory) : undefined;
    }, 'the history');
    expect(history.map((m) => m.text)).toEqual(['old question', 'old answer', 'agent']);
  });

  it('should relay an agent message of a connected v1 handoff and leave its inline transcript alone', async () => {
    const botKey = botKeyOf('v1-connected');
    const gatewayId = 'ID-v1-connected';
    await seed(botKey, { ...v1BotRecord('v1-connected'), state: 'connected', handoffId: 'h-old', gatewayConversationId: gatewayId, agentId: 'agent-1', agentJoinedAt: 1, queuedReported: true });
    await seed(`8x8-handoff/8x8/${gatewayId}`, { botKey, pending: [] });
    const user = testUser(h.adapter, 'v1-connected');
    const message = { eventType: 'MESSAGE', conversationId: gatewayId, timestamp: Date.now(), data: { isEcho: false, sender: { id: 'agent-1', type: 'agent' }, text: 'hello from the agent' } };
    await h.handoff.handleGatewayEvent(message as ConversationEvent, { eventId: 'v1-message-1' });
    await user.waitForText('hello from the agent');
    await h.handoff.whenIdle();
    const record = (await rawRead(botKey))!.data;
    expect(record).toMatchObject({ v: 1, state: 'connected', outbox: [] });
    expect((record.transcript as unknown[]).length).toBe(2);
    expect(user.texts()).not.toContain(DEFAULT_MESSAGES.notDelivered);
  });
});
