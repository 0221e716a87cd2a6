/**
 * RELIABILITY M1: two bot instances on one Storage behind a round-robin balancer, 8x8 delivering
 * every webhook twice. Each instance records what it receives and relays the outbox; the relay
 * lease in the record makes exactly one of them deliver, so the user sees every agent message once
 * and in order, whichever instance got which event.
 */
import { MemoryStorage, type Storage } from 'botbuilder';
import { RedisStorage } from '../../src/storage';
import { triggers } from '../../src/triggers';
import { describeWithRedis } from '../support/redis';
import { testUser } from './harness';
import { eventually } from './harness';
import { startRoundRobin, type RoundRobinRig } from './round-robin';

const JOINED = 'An agent joined the conversation.';
const MESSAGES = 50;

function relaysEveryAgentMessageOnce(storage: () => Storage) {
  let rig: RoundRobinRig;

  beforeAll(async () => {
    rig = await startRoundRobin({ storage: storage(), middleware: { triggers: [triggers.keywords(['agent'])] }, sendPauseMs: 8 });
  });
  afterAll(async () => {
    await rig.close();
  });

  it(`should show the user each of ${MESSAGES} agent messages exactly once and in order when webhooks alternate between instances with duplicates`, async () => {
    const [a, b] = rig.instances;
    const user = testUser(a.adapter, 'm1');
    await user.say('agent');
    const conversation = await rig.emulator.waitForConversation((c) => c.user.userId === 'user-m1');
    await eventually(() => rig.emulator.conversation(conversation.id)?.status === 'queued', 'queued');
    rig.emulator.faults = { delivery: { duplicate: true } };
    const agent = rig.emulator.agent('agent-1');
    await agent.accept(conversation.id);
    const expected = Array.from({ length: MESSAGES }, (_, i) => `m-${i + 1}`);
    for (const text of expected) await agent.say(text, { conversationId: conversation.id });
    const texts = () => rig.log.filter((s) => s.activity.conversation?.id === 'm1' && s.activity.type === 'message').map((s) => s.activity.text);
    await eventually(() => texts().includes(expected.at(-1)), 'the last agent message', 15_000);
    // Let every duplicate delivery settle before counting.
    await eventually(() => rig.emulator.deliveries.filter((d) => d.duplicate && d.conversationId === conversation.id).length >= MESSAGES && rig.emulator.deliveries.every((d) => d.status !== 'pending'), 'duplicates delivered', 15_000);
    await Promise.all([a.handoff.whenIdle(), b.handoff.whenIdle()]);
    expect(texts().filter((t) => t !== JOINED && t !== 'Connecting you with a person. Please wait a moment…')).toEqual(expected);
    expect(texts().filter((t) => t === JOINED)).toHaveLength(1);
    // Both instances took webhooks (else this proves nothing about two instances).
    expect(rig.routed.A).toBeGreaterThan(MESSAGES / 2);
    expect(rig.routed.B).toBeGreaterThan(MESSAGES / 2);
  }, 30_000);
}

describe('Two HandoffMiddleware instances behind a round-robin balancer', () => {
  describe('on one shared MemoryStorage', () => {
    relaysEveryAgentMessageOnce(() => new MemoryStorage());
  });
});

describeWithRedis('Two HandoffMiddleware instances behind a round-robin balancer, on RedisStorage', (redis) => {
  relaysEveryAgentMessageOnce(() => new RedisStorage({ client: redis.client() }));
});
