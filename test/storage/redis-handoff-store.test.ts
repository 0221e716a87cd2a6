/**
 * The handoff records (src/handoff) over RedisStorage, with two HandoffStore instances on separate
 * Redis connections playing two bot instances behind a load balancer.
 */
import { lifecycleInput } from '../support/records';
import type { StoreItems } from 'botbuilder-core';
import { HandoffStore, type PendingGatewayEvent } from '../../src/handoff/store';
import { RedisStorage } from '../../src/storage';
import type { ConversationEvent } from '../../src/webhook/events';
import { describeWithRedis, type RedisHarness } from '../support/redis';

/** A RedisStorage that records the eTag of every item written. */
class RecordingRedisStorage extends RedisStorage {
  readonly eTags: unknown[] = [];
  override async write(changes: StoreItems): Promise<void> {
    for (const item of Object.values(changes)) this.eTags.push(item.eTag);
    return super.write(changes);
  }
}

const queued: ConversationEvent = { eventType: 'QUEUED', conversationId: 'gw-1', data: { queueName: 'Support' } };
const escalate = { type: 'escalate' as const, start: { handoffId: 'h1', request: { trigger: 't', reason: 'r', queueId: 'q' }, now: 0 } };

let namespaceCounter = 0;

describeWithRedis('HandoffStore over RedisStorage, two bot instances', (redis: RedisHarness) => {
  let storages: [RecordingRedisStorage, RecordingRedisStorage];
  let one: HandoffStore;
  let two: HandoffStore;
  beforeEach(() => {
    const namespace = `handoff-test-${++namespaceCounter}`;
    storages = [new RecordingRedisStorage({ client: redis.connect() }), new RecordingRedisStorage({ client: redis.connect() })];
    // Default CasStorage settings: the jittered pause between attempts must keep both instances
    // from starving each other in the tight loops below.
    [one, two] = storages.map((storage) => new HandoffStore(storage, { namespace })) as [HandoffStore, HandoffStore];
  });

  it('should let the second instance see and continue the first one\'s handoff', async () => {
    const botKey = one.conversationKey({ channelId: 'webchat', conversation: { id: 'conv-1' } as never });
    await one.apply(botKey, lifecycleInput(escalate));
    await one.apply(botKey, lifecycleInput({ type: 'createSucceeded', handoffId: 'h1', gatewayConversationId: 'gw-1' }));
    await one.link('gw-1', botKey);
    const link = await two.readLink('gw-1');
    expect(link?.botKey).toBe(botKey);
    const joined = await two.apply(link!.botKey!, lifecycleInput({ type: 'agentJoined', gatewayConversationId: 'gw-1', key: 'e-2', agentId: 'agent-7', agentName: 'Ann' }));
    expect(joined.record.state).toBe('connected');
    expect(await one.read(botKey)).toMatchObject({ state: 'connected', agentId: 'agent-7', gatewayConversationId: 'gw-1' });
  });

  it('should keep both instances\' changes when they update one record at the same time, never writing "*"', async () => {
    const botKey = 'bot-key';
    await one.apply(botKey, lifecycleInput(escalate));
    const append = (store: HandoffStore, who: string) => async (): Promise<void> => {
      for (let i = 0; i < 25; i++) {
        await store.apply(botKey, { type: 'hold', now: 0, activity: { text: `${who}-${i}` } });
      }
    };
    await Promise.all([append(one, 'one')(), append(two, 'two')()]);
    const held = (await two.read(botKey))!.held.map((activity) => activity.text);
    expect(held).toHaveLength(50);
    expect(held.filter((text) => text!.startsWith('one'))).toEqual(Array.from({ length: 25 }, (_, i) => `one-${i}`));
    expect(held.filter((text) => text!.startsWith('two'))).toEqual(Array.from({ length: 25 }, (_, i) => `two-${i}`));
    // Only the creation goes without an eTag; every update carries the eTag it read.
    const updates = [...storages[0].eTags, ...storages[1].eTags].slice(1);
    expect(updates.length).toBeGreaterThanOrEqual(50);
    expect(updates.every((eTag) => typeof eTag === 'string' && eTag !== '*')).toBe(true);
  });

  it('should apply concurrent lifecycle events from both instances exactly once each', async () => {
    const botKey = 'bot-key';
    await one.apply(botKey, lifecycleInput(escalate));
    await one.apply(botKey, lifecycleInput({ type: 'createSucceeded', handoffId: 'h1', gatewayConversationId: 'gw-1' }));
    const events = [
      { type: 'queued' as const, gatewayConversationId: 'gw-1', key: 'e-1', queueName: 'Support' },
      { type: 'agentJoined' as const, gatewayConversationId: 'gw-1', key: 'e-2', agentId: 'agent-7' },
    ];
    // Each event delivered to both instances (a webhook retry that landed elsewhere).
    await Promise.all([one.apply(botKey, lifecycleInput(events[0]!)), two.apply(botKey, lifecycleInput(events[1]!)), two.apply(botKey, lifecycleInput(events[0]!)), one.apply(botKey, lifecycleInput(events[1]!))]);
    const record = (await one.read(botKey))!;
    expect(record.state).toBe('connected');
    expect(record.seen.filter((key) => key === 'e-1' || key === 'e-2').sort()).toEqual(['e-1', 'e-2']);
  });

  it('should hand parked events to the linking instance, or tell the parking one the link (50 rounds, existing link key)', async () => {
    for (let round = 0; round < 50; round++) {
      const gw = `gw-park-${round}`;
      const early: PendingGatewayEvent = { event: { ...queued, conversationId: gw }, eventId: `early-${round}` };
      const late: PendingGatewayEvent = { event: { ...queued, conversationId: gw }, eventId: `late-${round}` };
      await two.park(gw, early); // the link key exists before the race: updates are compare-and-set
      const [parked, handed] = await Promise.all([two.park(gw, late), one.link(gw, `bot-${round}`)]);
      const ids = handed.map((p) => p.eventId);
      // The late event reached the bot exactly once: in the handed-over list, or through the returned key.
      expect(ids.includes(late.eventId) !== (parked === `bot-${round}`)).toBe(true);
      expect(ids[0]).toBe(early.eventId);
      expect((await one.readLink(gw))?.pending).toEqual([]);
    }
  });

  it('should lose no parked event when both instances create the same link key at once (300 rounds)', async () => {
    for (let round = 0; round < 300; round++) {
      const gw = `gw-create-${round}`;
      const early: PendingGatewayEvent = { event: { ...queued, conversationId: gw }, eventId: `early-${round}` };
      // Neither key exists yet: both instances create it. RedisStorage.createIfAbsent makes one lose and retry.
      const [parked, handed] = await Promise.all([two.park(gw, early), one.link(gw, `bot-${round}`)]);
      const ids = handed.map((p) => p.eventId);
      expect(ids.includes(early.eventId) !== (parked === `bot-${round}`)).toBe(true);
      expect((await one.readLink(gw))?.botKey).toBe(`bot-${round}`);
    }
  });
});
