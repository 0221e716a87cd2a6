/**
 * Deadlines survive a restart and hold with several instances (issue 11): they live in the
 * records and a storage index, not in memory, and each is fired in one compare-and-set write, so
 * with two instances sweeping at once one acts, once. Real client against the emulator, TestAdapter,
 * one shared MemoryStorage (with eTags), the injected clock.
 */
import { DEADLINE_SHARDS, DEFAULT_MESSAGES, DeadlineIndex } from '../../src/handoff';
import { triggers } from '../../src/triggers';
import { FakeTime } from '../support/fake-time';
import { eventually, gatewayConversationOf, startHarness, testUser, type Harness } from '../middleware/harness';

const T0 = Date.parse('2026-12-07T10:00:00Z');

describe('deadlines across restarts and instances', () => {
  let h: Harness;
  let now = T0;
  beforeEach(async () => {
    now = T0;
    h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent'])], clock: () => now, deadlineSweepMs: false, waitingRoom: { updateEverySeconds: 60 }, inactivity: { remindAfterSeconds: 600, endAfterSeconds: 600 } } });
  });
  afterEach(() => h.close());

  async function queued(conversationId: string) {
    const user = testUser(h.adapter, conversationId);
    await user.say('agent');
    const conversation = await gatewayConversationOf(h, conversationId);
    await eventually(() => h.emulator.conversation(conversation.id)?.status === 'queued', 'queued');
    await h.handoff.whenIdle();
    return { user, gatewayId: conversation.id };
  }

  it('a restarted instance acts on deadlines set before the restart', async () => {
    await queued('restart-1');
    h.handoff.dispose(); // the first process stops; nothing of it is used again
    const next = h.newInstance({ deadlineSweepMs: false });
    h.routeWebhooksTo(next.handoff);
    now += 61_000;
    expect(await next.handoff.sweepDeadlines()).toBe(1);
    await testUser(next.adapter, 'restart-1').waitForText(DEFAULT_MESSAGES.waitingUpdate);
    next.handoff.dispose();
  });

  it('an escalation whose instance stopped during the create call fails two minutes later on another instance; the bot answers what was held', async () => {
    // The first instance's create call never returns: from here on it is as good as dead.
    const hanging = Object.assign(Object.create(h.gateway) as typeof h.gateway, { createConversation: () => new Promise<never>(() => undefined) });
    const stopped = h.newInstance({ gateway: hanging, deadlineSweepMs: false });
    const user = testUser(stopped.adapter, 'stuck-1');
    await user.say('agent');
    await user.say('are you there?'); // held while the create call runs
    expect((await h.store.read(h.store.conversationKey({ channelId: 'test', conversation: { id: 'stuck-1' } as never })))?.state).toBe('escalating');
    stopped.handoff.dispose();

    now += 119_000;
    expect(await h.handoff.sweepDeadlines()).toBe(0); // not yet: the call may still be running
    now += 2_000;
    expect(await h.handoff.sweepDeadlines()).toBe(1);
    await h.handoff.whenIdle();
    const after = testUser(h.adapter, 'stuck-1');
    await after.waitForText(DEFAULT_MESSAGES.failed);
    await after.waitForText('echo: are you there?');
    expect(h.statuses.filter((s) => s.reference.conversation?.id === 'stuck-1').map((s) => [s.state, s.reason])).toEqual([['failed', 'createFailed']]);
    // The bot has the conversation again, and nothing was created at 8x8.
    await after.say('hello');
    await after.waitForText('echo: hello');
    expect(h.emulator.conversations.filter((c) => c.user.userId === 'user-stuck-1')).toEqual([]);
  });

  it('two instances sweeping at once: one acts, once', async () => {
    const { user } = await queued('twice-1');
    const other = h.newInstance({ deadlineSweepMs: false });
    now += 61_000;
    const fired = await Promise.all([h.handoff.sweepDeadlines(), other.handoff.sweepDeadlines()]);
    expect(fired.reduce((a, b) => a + b, 0)).toBe(1);
    await other.handoff.whenIdle();
    await h.handoff.whenIdle();
    const updates = [...user.texts(), ...testUser(other.adapter, 'twice-1').texts()].filter((t) => t === DEFAULT_MESSAGES.waitingUpdate);
    expect(updates).toHaveLength(1);
    other.handoff.dispose();
  });

  it('the timer sweeps on its own, on the injected scheduler and clock', async () => {
    await queued('timer-1');
    h.handoff.dispose();
    const time = new FakeTime(now);
    const timed = h.newInstance({ deadlineSweepMs: 5_000, clock: time.clock, scheduler: time });
    const user = testUser(timed.adapter, 'timer-1');
    await time.advance(55_000); // eleven sweeps, the update not due yet
    await timed.handoff.whenIdle();
    expect(user.texts()).not.toContain(DEFAULT_MESSAGES.waitingUpdate);
    await time.advance(10_000); // the sweep at +60 s or +65 s finds it due
    await user.waitForText(DEFAULT_MESSAGES.waitingUpdate);
    timed.handoff.dispose();
    expect(time.scheduled).toBe(0); // dispose cancelled the periodic sweep
  });

  it('leaves no index entry behind once the handoff ended and its last entry was visited', async () => {
    const { user } = await queued('tidy-1');
    await user.say('cancel');
    await user.waitForText(DEFAULT_MESSAGES.userCancelled);
    const index = new DeadlineIndex(h.storage, '8x8-handoff', () => now);
    expect((await index.due(Number.MAX_SAFE_INTEGER)).map((e) => e.botKey)).toHaveLength(1);
    now += 61_000;
    expect(await h.handoff.sweepDeadlines()).toBe(0);
    expect(await index.due(Number.MAX_SAFE_INTEGER)).toEqual([]);
    const keys = Array.from({ length: DEADLINE_SHARDS }, (_, i) => `8x8-handoff/deadlines/${i}`);
    const shards = await h.storage.read(keys);
    expect(Object.values(shards).every((s) => Object.keys((s as { data: { due: object } }).data.due).length === 0)).toBe(true);
  });
});
