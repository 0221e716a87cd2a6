/**
 * The waiting room, the maximum wait and the cancel wording (issue 11), through the middleware
 * (botbuilder TestAdapter) with the real ChatGatewayClient against the emulator. Time is the
 * middleware's injected clock; deadlines are swept with `sweepDeadlines()` (no timers waited on).
 */
import { EMULATOR_API_SECRET } from '../../src/emulator';
import { queueStatsAvailability } from '../../src/availability';
import { DEFAULT_MESSAGES } from '../../src/handoff';
import { triggers } from '../../src/triggers';
import { eventually, gatewayConversationOf, startHarness, testUser, type Harness } from '../middleware/harness';

const T0 = Date.parse('2026-12-07T10:00:00Z');

/** A user escalated and queued at 8x8 (no agent yet). */
async function queuedUser(h: Harness, conversationId: string) {
  const user = testUser(h.adapter, conversationId);
  await user.say('agent');
  const conversation = await gatewayConversationOf(h, conversationId);
  await eventually(() => h.emulator.conversation(conversation.id)?.status === 'queued', 'queued at 8x8');
  await h.handoff.whenIdle();
  return { user, gatewayId: conversation.id };
}

const statusOf = (h: Harness, conversationId: string, state: string) =>
  eventually(() => h.statuses.find((s) => s.reference.conversation?.id === conversationId && s.state === state), `${state} status of ${conversationId}`);

describe('the waiting room', () => {
  let h: Harness;
  let now = T0;
  beforeAll(async () => {
    h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent'])], clock: () => now, deadlineSweepMs: false, waitingRoom: { updateEverySeconds: 60 } } });
    // The figures come from 8x8's real-time queue metrics, as the emulator serves them.
    const stats = queueStatsAvailability({ apiKey: 'emulator-api-key', apiSecret: EMULATOR_API_SECRET, baseUrl: h.emulator.url, cacheSeconds: 0, clock: () => now });
    h.handoff.dispose();
    const withStats = h.newInstance({ waitingRoom: { updateEverySeconds: 60, queueStats: stats } });
    h.adapter = withStats.adapter;
    h.handoff = withStats.handoff;
    h.routeWebhooksTo(withStats.handoff);
  });
  afterAll(async () => {
    h.handoff.dispose();
    await h.close();
  });

  it('tells the queued user their place every updateEverySeconds, and nothing before', async () => {
    const { user } = await queuedUser(h, 'wait-1');
    now += 59_000;
    expect(await h.handoff.sweepDeadlines()).toBe(0);
    now += 2_000;
    expect(await h.handoff.sweepDeadlines()).toBe(1);
    await user.waitForText('Thanks for waiting. You are number 1 in the queue.');
    // The next one is a full interval later.
    expect(await h.handoff.sweepDeadlines()).toBe(0);
    now += 60_000;
    expect(await h.handoff.sweepDeadlines()).toBe(1);
    await eventually(() => user.texts().filter((t) => t.startsWith('Thanks for waiting')).length === 2, 'second update');
    await user.say('cancel');
  });

  it('stops the updates once an agent joins', async () => {
    const { user, gatewayId } = await queuedUser(h, 'wait-2');
    await h.emulator.agent('agent-1').accept(gatewayId);
    await user.waitForText(DEFAULT_MESSAGES.agentJoined);
    now += 600_000;
    await h.handoff.sweepDeadlines();
    expect(user.texts().some((t) => t.startsWith('Thanks for waiting'))).toBe(false);
    await user.say('cancel');
  });
});

describe('the maximum wait', () => {
  let h: Harness;
  let now = T0;
  afterEach(() => h.close());

  it('offers keep waiting / back to the bot; keeping waits another maxWaitSeconds; going back leaves at 8x8 and reports failed/maxWait', async () => {
    h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent'])], clock: () => now, deadlineSweepMs: false, waitingRoom: { maxWaitSeconds: 900 } } });
    const { user, gatewayId } = await queuedUser(h, 'max-1');
    now += 900_000;
    expect(await h.handoff.sweepDeadlines()).toBe(1);
    const offer = await user.waitForText(DEFAULT_MESSAGES.maxWaitOffer);
    expect(offer.suggestedActions?.actions.map((a) => a.value)).toEqual(['Keep waiting', 'Back to the bot']);
    await user.say('keep waiting');
    await user.waitForText(DEFAULT_MESSAGES.keptWaiting);
    expect(h.emulator.conversation(gatewayId)?.userLeft).toBeFalsy();
    // The answer is for the middleware, not the agent.
    expect(h.emulator.conversation(gatewayId)?.messages.some((m) => /keep waiting/i.test(m.text ?? ''))).toBe(false);
    now += 900_000;
    expect(await h.handoff.sweepDeadlines()).toBe(1);
    await eventually(() => user.texts().filter((t) => t === DEFAULT_MESSAGES.maxWaitOffer).length === 2, 'offered again');
    await user.say('Back to the bot');
    await user.waitForText(DEFAULT_MESSAGES.leftQueue);
    await eventually(() => h.emulator.conversation(gatewayId)?.userLeft, 'customer-leave at 8x8');
    const status = await statusOf(h, 'max-1', 'failed');
    expect(status).toMatchObject({ reason: 'maxWait', summary: { queueId: 'support', waitedSeconds: 1800 } });
    await user.say('hello bot');
    await user.waitForText('echo: hello bot');
  });

  it('returns the user automatically with onMaxWait "return"', async () => {
    now = T0;
    h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent'])], clock: () => now, deadlineSweepMs: false, waitingRoom: { maxWaitSeconds: 300, onMaxWait: 'return' } } });
    const { user, gatewayId } = await queuedUser(h, 'max-2');
    now += 300_000;
    expect(await h.handoff.sweepDeadlines()).toBe(1);
    await user.waitForText(DEFAULT_MESSAGES.maxWaitReturned);
    await eventually(() => h.emulator.conversation(gatewayId)?.userLeft, 'customer-leave at 8x8');
    expect(await statusOf(h, 'max-2', 'failed')).toMatchObject({ reason: 'maxWait' });
    // Nothing is left to fire.
    now += 3_600_000;
    expect(await h.handoff.sweepDeadlines()).toBe(0);
  });
});

describe('the cancel phrase fits the state', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent'])] } });
  });
  afterAll(() => h.close());

  it('says the request was cancelled while waiting, not that a chat with an agent ended', async () => {
    const { user, gatewayId } = await queuedUser(h, 'cancel-queued');
    await user.say('cancel');
    await user.waitForText(DEFAULT_MESSAGES.userCancelled);
    expect(user.texts()).not.toContain(DEFAULT_MESSAGES.userEnded);
    await eventually(() => h.emulator.conversation(gatewayId)?.userLeft, 'customer-leave at 8x8');
    expect(await statusOf(h, 'cancel-queued', 'completed')).toMatchObject({ reason: 'userEnded' });
  });

  it('says the chat with the agent ended once an agent joined', async () => {
    const { user, gatewayId } = await queuedUser(h, 'cancel-connected');
    await h.emulator.agent('agent-1').accept(gatewayId);
    await user.waitForText(DEFAULT_MESSAGES.agentJoined);
    await user.say('cancel');
    await user.waitForText(DEFAULT_MESSAGES.userEnded);
    expect(user.texts()).not.toContain(DEFAULT_MESSAGES.userCancelled);
  });
});

describe('the waiting room with a provider of your own', () => {
  it('shows the estimated wait it supplies, asks it as a queued user, and sends the plain update when it fails', async () => {
    let now = T0;
    const asked: Array<{ queueId: string; inQueue?: boolean }> = [];
    let fail = false;
    const h = await startHarness({
      middleware: {
        triggers: [triggers.keywords(['agent'])], clock: () => now, deadlineSweepMs: false,
        waitingRoom: {
          updateEverySeconds: 30,
          queueStats: async ({ queueId, inQueue }) => {
            asked.push({ queueId, inQueue });
            if (fail) throw new Error('stats down');
            return { open: true, position: 4, estimatedWaitSeconds: 330 };
          },
        },
      },
    });
    try {
      const { user } = await queuedUser(h, 'own-stats');
      now += 30_000;
      await h.handoff.sweepDeadlines();
      await user.waitForText('Thanks for waiting. You are number 4 in the queue; the estimated wait is about 6 min.');
      expect(asked).toEqual([{ queueId: 'support', inQueue: true }]);
      fail = true;
      now += 30_000;
      await h.handoff.sweepDeadlines();
      await user.waitForText(DEFAULT_MESSAGES.waitingUpdate);
      expect(h.errors.some((e) => e.where === 'deadlines.queueStats')).toBe(true);
    } finally {
      await h.close();
    }
  });
});
