/**
 * A create call that times out may still have queued a conversation at 8x8: the sweep finds the
 * user's live conversation nothing links to and ends it, so no agent accepts a chat with nobody.
 */
import { ChatGatewayApiError, ChatGatewayNetworkError } from '../../src/gateway';
import { isOutcomeUnknown } from '../../src/handoff/orphan-sweep';
import { triggers } from '../../src/triggers';
import { FakeTime } from '../support/fake-time';
import { eventually, gatewayConversationOf, startHarness, testUser, type Harness } from './harness';

const call = { method: 'POST', path: '/chat-gateway/v1/conversations' };

describe('isOutcomeUnknown()', () => {
  it('should be true when 8x8 may have acted (timeout, reset, 500/502/504) and false when it cannot have', () => {
    const net = (kind: 'timeout' | 'reset' | 'refused' | 'dns' | 'deadline') => new ChatGatewayNetworkError(kind, call, 'x');
    const api = (status: number) => new ChatGatewayApiError(status, call, {});
    expect([net('timeout'), net('reset'), net('deadline'), api(500), api(502), api(504)].map(isOutcomeUnknown)).toEqual(Array(6).fill(true));
    expect([net('refused'), net('dns'), api(400), api(401), api(429), api(503), new Error('x')].map(isOutcomeUnknown)).toEqual(Array(7).fill(false));
  });
});

describe('HandoffMiddleware orphan sweep (end to end against the emulator)', () => {
  let h: Harness;
  // The middleware's time (the sweep's delay) is fake; the emulator and the client's timeout are real I/O.
  const time = new FakeTime();

  beforeAll(async () => {
    h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent'])], orphanSweepMs: [1_500], clock: time.clock, scheduler: time } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('should end the conversation 8x8 created after the client gave up, and leave linked ones alone', async () => {
    // A live, linked handoff of another user must survive the sweep.
    const other = testUser(h.adapter, 'linked');
    await other.say('agent');
    const linked = await gatewayConversationOf(h, 'linked');

    // The emulator creates the conversation at once but answers after 2.3 s; the client gave up at 2 s.
    h.emulator.faults = { apiResponseDelayMs: 2_300 };
    const user = testUser(h.adapter, 'orphan');
    try {
      await user.say('agent');
      await eventually(() => h.statuses.find((s) => s.reference.conversation?.id === 'orphan' && s.state === 'failed'), 'failed', 6_000);
    } finally {
      h.emulator.faults = {};
    }
    const orphan = await gatewayConversationOf(h, 'orphan', 6_000);
    await time.advance(1_499); // the sweep is due 1.5 s after the failed create
    expect(h.emulator.conversation(orphan.id)).toMatchObject({ userLeft: false }); // not swept early
    await time.advance(1);
    await eventually(() => h.emulator.conversation(orphan.id)?.userLeft === true, 'the orphan ended by the sweep', 6_000);
    expect(h.emulator.conversation(linked.id)).toMatchObject({ userLeft: false, status: 'queued' });
    expect(h.errors.filter((e) => e.where === 'escalation.sweep')).toEqual([]);
  });
});
