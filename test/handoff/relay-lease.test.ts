/**
 * The relay lease (RELIABILITY M1): the pure rules, then two AgentRelays (two bot instances) on one
 * Storage racing to drain the same outbox.
 */
import { sleep } from '../../src/time';
import { FakeTime } from '../support/fake-time';
import { buildRelay } from '../support/relay-core';
import { writeRecord } from '../support/records';
import { MemoryStorage, type TurnContext } from 'botbuilder-core';
import { resolveHandoffOptions, type HandoffErrorInfo } from '../../src/handoff/options';
import { AgentRelay } from '../../src/handoff/relay';
import { claimRelay, LeaseSightings, renewRelay, settleItem, takeRelayWithItem } from '../../src/handoff/relay-lease';
import { emptyRecord, type HandoffRecord, type OutboxItem } from '../../src/handoff/types';
import { silentLogger } from '../../src/logger';
import { connectorError } from './connector-errors';

const item = (id: string, attempts?: number): OutboxItem => ({ id, kind: 'activity', activity: { type: 'message', text: id }, attempts });
const withOutbox = (outbox: OutboxItem[], relayLease?: HandoffRecord['relayLease']): HandoffRecord => ({ ...emptyRecord(), state: 'connected', outbox, relayLease });
const terms = { owner: 'me', now: 1_000, ttlMs: 500 };
const sent = { sent: true } as const;
/** A failure kept for 3 tries and retried by a timer of ours (a throttled send). */
const throttled = { sent: false, tries: 3, retryDelayMs: (n: number) => n * 10 } as const;
/** A failure kept for 3 tries and left for the next drain (botbuilder already retried it). */
const transient = { sent: false, tries: 3 } as const;

describe('relay lease rules', () => {
  describe('claimRelay()', () => {
    it('should take a free lease for ttl when the outbox has items', () => {
      const { record, result } = claimRelay(withOutbox([item('a')]), terms);
      expect(result).toEqual({ claim: 'taken' });
      expect(record.relayLease).toEqual({ owner: 'me', until: 1_500 });
    });

    it('should leave the items to another instance whose lease is live', () => {
      const before = withOutbox([item('a')], { owner: 'other', until: 1_001 });
      const { record, result } = claimRelay(before, terms);
      expect(result).toEqual({ claim: 'busy', until: 1_001 });
      expect(record).toBe(before);
    });

    it('should take over a lease that expired (its holder crashed)', () => {
      const { record, result } = claimRelay(withOutbox([item('a')], { owner: 'other', until: 1_000 }), terms);
      expect(result).toEqual({ claim: 'taken' });
      expect(record.relayLease).toEqual({ owner: 'me', until: 1_500 });
    });

    it('should change nothing when the outbox is empty, and clear a stale lease of its own', () => {
      const empty = withOutbox([], { owner: 'other', until: 9_999 });
      expect(claimRelay(empty, terms)).toEqual({ record: empty, result: { claim: 'idle' } });
      expect(claimRelay(withOutbox([], { owner: 'me', until: 9_999 }), terms).record.relayLease).toBeUndefined();
    });

    it('should keep its own fresh lease without a write (same record), and renew one that is half spent', () => {
      const fresh = withOutbox([item('a')], { owner: 'me', until: 1_250 });
      expect(claimRelay(fresh, terms)).toEqual({ record: fresh, result: { claim: 'taken' } });
      expect(claimRelay(fresh, terms).record).toBe(fresh);
      const halfSpent = withOutbox([item('a')], { owner: 'me', until: 1_249 });
      expect(claimRelay(halfSpent, terms).record.relayLease).toEqual({ owner: 'me', until: 1_500 });
    });
  });

  describe('with skewed clocks (expiryOf from LeaseSightings)', () => {
    it('should judge another instance\'s lease from its first sighting on its own clock, not by the holder\'s `until`', () => {
      const sightings = new LeaseSightings(500);
      const at = (now: number) => ({ ...terms, now, expiryOf: (lease: { owner: string; until: number }) => sightings.expiryOf('k', lease, now) });
      // The holder's clock is 10 s behind ours: its fresh lease looks long expired by our clock.
      const behind = withOutbox([item('a')], { owner: 'other', until: 1_000 - 10_000 });
      expect(claimRelay(behind, at(1_000)).result).toEqual({ claim: 'busy', until: 1_500 });
      expect(takeRelayWithItem(behind, at(1_200))).toBe(behind);
      expect(claimRelay(behind, at(1_499)).result).toEqual({ claim: 'busy', until: 1_500 });
      // Not renewed for a full ttl of our time: expired, whatever its `until` says.
      expect(claimRelay(behind, at(1_500)).result).toEqual({ claim: 'taken' });
    });

    it('should not wait for a dead holder whose clock ran ahead for longer than one ttl after first seeing its lease', () => {
      const sightings = new LeaseSightings(500);
      const at = (now: number) => ({ ...terms, now, expiryOf: (lease: { owner: string; until: number }) => sightings.expiryOf('k', lease, now) });
      const ahead = withOutbox([item('a')], { owner: 'dead', until: 1_000 + 60_000 });
      expect(claimRelay(ahead, at(1_000)).result.claim).toBe('busy');
      const { record, result } = claimRelay(ahead, at(1_500));
      expect(result).toEqual({ claim: 'taken' });
      expect(record.relayLease).toEqual({ owner: 'me', until: 2_000 });
    });

    it('should count a renewal (a new `until`) as a new sighting', () => {
      const sightings = new LeaseSightings(500);
      expect(sightings.expiryOf('k', { owner: 'o', until: 7 }, 1_000)).toBe(1_500);
      expect(sightings.expiryOf('k', { owner: 'o', until: 7 }, 1_400)).toBe(1_500);
      expect(sightings.expiryOf('k', { owner: 'o', until: 8 }, 1_400)).toBe(1_900);
      expect(sightings.expiryOf('k', { owner: 'p', until: 8 }, 1_450)).toBe(1_950);
      sightings.forget('k');
      expect(sightings.size).toBe(0);
    });

    it('should keep at most `limit` sightings, forgetting the oldest', () => {
      const sightings = new LeaseSightings(500, 3);
      for (const key of ['a', 'b', 'c', 'd']) sightings.expiryOf(key, { owner: 'o', until: 1 }, 0);
      expect(sightings.size).toBe(3);
      expect(sightings.expiryOf('a', { owner: 'o', until: 1 }, 100)).toBe(600); // forgotten: a new sighting
      expect(sightings.expiryOf('d', { owner: 'o', until: 1 }, 100)).toBe(500); // kept
    });
  });

  describe('takeRelayWithItem()', () => {
    it('should take a free or expired lease in the write that appends an item', () => {
      expect(takeRelayWithItem(withOutbox([item('a')]), terms).relayLease).toEqual({ owner: 'me', until: 1_500 });
      expect(takeRelayWithItem(withOutbox([item('a')], { owner: 'other', until: 1_000 }), terms).relayLease).toEqual({ owner: 'me', until: 1_500 });
    });

    it('should leave a live lease of another instance, and an empty outbox, unchanged', () => {
      const theirs = withOutbox([item('a')], { owner: 'other', until: 1_001 });
      expect(takeRelayWithItem(theirs, terms)).toBe(theirs);
      const empty = withOutbox([]);
      expect(takeRelayWithItem(empty, terms)).toBe(empty);
    });
  });

  describe('renewRelay()', () => {
    it('should extend only its own lease', () => {
      expect(renewRelay(withOutbox([item('a')], { owner: 'me', until: 1_100 }), terms).relayLease).toEqual({ owner: 'me', until: 1_500 });
      const theirs = withOutbox([item('a')], { owner: 'other', until: 1_100 });
      expect(renewRelay(theirs, terms)).toBe(theirs);
    });
  });

  describe('settleItem()', () => {
    const mine = { owner: 'me', until: 1_200 };

    it('should remove the delivered head and renew the lease when items remain', () => {
      const { record, result } = settleItem(withOutbox([item('a'), item('b')], mine), item('a'), sent, terms);
      expect(result).toEqual({ next: 'continue' });
      expect(record.outbox.map((i) => i.id)).toEqual(['b']);
      expect(record.relayLease).toEqual({ owner: 'me', until: 1_500 });
    });

    it('should release the lease in the same write that empties the outbox', () => {
      const { record, result } = settleItem(withOutbox([item('a')], mine), item('a'), sent, terms);
      expect(result).toEqual({ next: 'done' });
      expect(record.outbox).toEqual([]);
      expect(record.relayLease).toBeUndefined();
    });

    it('should keep the lease and go on when another instance appended an item before the settling write', () => {
      // The re-applied change after a conflict sees the appended item: it is not stranded.
      const { record, result } = settleItem(withOutbox([item('a'), item('late')], mine), item('a'), sent, terms);
      expect(result).toEqual({ next: 'continue' });
      expect(record.relayLease?.owner).toBe('me');
    });

    it('should keep a failed item at the head with one more attempt and release the lease', () => {
      const { record, result } = settleItem(withOutbox([item('a', 1), item('b')], mine), item('a', 1), throttled, terms);
      expect(result).toEqual({ next: 'retry', retryIn: 20 });
      expect(record.outbox.map((i) => [i.id, i.attempts])).toEqual([['a', 2], ['b', undefined]]);
      expect(record.relayLease).toBeUndefined();
    });

    it('should keep a failed item with no timer of its own when botbuilder already retried it, and release the lease', () => {
      const { record, result } = settleItem(withOutbox([item('a'), item('b')], mine), item('a'), transient, terms);
      expect(result).toEqual({ next: 'wait' });
      expect(record.outbox.map((i) => [i.id, i.attempts])).toEqual([['a', 1], ['b', undefined]]);
      expect(record.relayLease).toBeUndefined();
    });

    it('should drop an item at once when its failure allows one try (permanent)', () => {
      const { record, result } = settleItem(withOutbox([item('a'), item('b')], mine), item('a'), { sent: false, tries: 1 }, terms);
      expect(result).toEqual({ next: 'continue', gaveUpAfter: 1 });
      expect(record.outbox.map((i) => i.id)).toEqual(['b']);
    });

    it('should drop an item after its last attempt and go on with the next', () => {
      const { record, result } = settleItem(withOutbox([item('a', 2), item('b')], mine), item('a', 2), transient, terms);
      expect(result).toEqual({ next: 'continue', gaveUpAfter: 3 });
      expect(record.outbox.map((i) => i.id)).toEqual(['b']);
    });

    it('should stop when another instance took the lease over, dropping only what it delivered', () => {
      const taken = { owner: 'other', until: 1_400 };
      const delivered = settleItem(withOutbox([item('a'), item('b')], taken), item('a'), sent, terms);
      expect(delivered.result).toEqual({ next: 'lost' });
      expect(delivered.record.outbox.map((i) => i.id)).toEqual(['b']);
      expect(delivered.record.relayLease).toEqual(taken);
      const failed = settleItem(withOutbox([item('a')], taken), item('a'), throttled, terms);
      expect(failed.result).toEqual({ next: 'lost' });
      expect(failed.record.outbox).toEqual([item('a')]);
    });
  });
});

/** A proactive sender whose sends take `pauseMs` of fake time (the first `failures` throw a 429 without Retry-After), writing into a log shared by every instance. */
class SlowAdapter {
  constructor(
    private readonly name: string,
    private readonly log: Array<{ by: string; text: string }>,
    private readonly time: FakeTime,
    private readonly pauseMs: number,
    private failures = 0,
  ) {}
  async continueConversationAsync(_appId: string, _reference: unknown, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    if (this.failures-- > 0) throw connectorError(429);
    const context = {
      onSendActivities: () => undefined,
      sendActivity: async (a: { text: string }) => {
        if (this.pauseMs) await sleep(this.time, this.pauseMs);
        this.log.push({ by: this.name, text: a.text });
      },
    };
    await logic(context as unknown as TurnContext);
  }
}

/**
 * Two instances on one Storage, on fake time: sends, lease renewals, lease waits and retries all
 * run on one `FakeTime` (each instance may see it with a skew), so "B did not send" is shown by
 * moving the clock, never by sleeping.
 */
describe('AgentRelay#drain() on two instances sharing one Storage', () => {
  const relays: AgentRelay[] = [];
  let time: FakeTime;
  beforeEach(() => {
    time = new FakeTime();
  });
  afterEach(() => relays.splice(0).forEach((relay) => relay.dispose()));

  function instance(name: string, storage: MemoryStorage, log: Array<{ by: string; text: string }>, extra: { pauseMs?: number; relayLeaseMs?: number; failures?: number; skewMs?: number } = {}) {
    const errors: HandoffErrorInfo[] = [];
    const options = resolveHandoffOptions({
      gateway: { createConversation: jest.fn(), sendMessage: jest.fn(), uploadAttachment: jest.fn(), sendTyping: jest.fn(), removeUser: jest.fn() },
      channelId: 'c', queueId: 'q', adapter: new SlowAdapter(name, log, time, extra.pauseMs ?? 0, extra.failures), botAppId: '', storage, logger: silentLogger,
      instanceId: name, relayLeaseMs: extra.relayLeaseMs, onError: (_error, info) => void errors.push(info),
      clock: () => time.now + (extra.skewMs ?? 0), scheduler: time,
    });
    // Throttled retries wait 0.2 of the full-jitter bound: 200 ms for the first.
    const { store, relay } = buildRelay(options, { random: () => 0.2 });
    relays.push(relay);
    return { store, relay, errors };
  }

  async function seed(storage: MemoryStorage, outbox: OutboxItem[], relayLease?: HandoffRecord['relayLease']) {
    await writeRecord(storage, 'bot-1', (record) => ({ ...record, state: 'connected', reference: { conversation: { id: 'conv' } as never }, outbox, relayLease }));
  }
  const append = (storage: MemoryStorage, id: string) => writeRecord(storage, 'bot-1', (r) => ({ ...r, outbox: [...r.outbox, item(id)] }));

  it('should let only the lease holder send, and have it deliver what the other instance appended meanwhile', async () => {
    const storage = new MemoryStorage();
    const log: Array<{ by: string; text: string }> = [];
    const a = instance('A', storage, log, { pauseMs: 50 });
    const b = instance('B', storage, log, { pauseMs: 50 });
    await seed(storage, [item('m1'), item('m2')]);
    const first = a.relay.drain('bot-1');
    await time.advance(20); // A is sending m1
    await append(storage, 'm3');
    await b.relay.drain('bot-1'); // B sees A's live lease and skips
    await time.advance(1_000);
    await first;
    expect(log).toEqual([{ by: 'A', text: 'm1' }, { by: 'A', text: 'm2' }, { by: 'A', text: 'm3' }]);
    const record = await a.store.read('bot-1');
    expect(record?.outbox).toEqual([]);
    expect(record?.relayLease).toBeUndefined();
  });

  it('should renew the lease while a slow send is in flight, so the other instance does not send the item again', async () => {
    const storage = new MemoryStorage();
    const log: Array<{ by: string; text: string }> = [];
    const a = instance('A', storage, log, { pauseMs: 300, relayLeaseMs: 90 });
    const b = instance('B', storage, log, { relayLeaseMs: 90 });
    await seed(storage, [item('slow')]);
    const first = a.relay.drain('bot-1');
    await time.advance(180); // twice the lease: expired unless renewed
    await b.relay.drain('bot-1');
    await time.advance(1_000);
    await first;
    expect(log).toEqual([{ by: 'A', text: 'slow' }]);
  });

  it('should take over the outbox of an instance that died holding the lease once the lease expires', async () => {
    const storage = new MemoryStorage();
    const log: Array<{ by: string; text: string }> = [];
    const b = instance('B', storage, log, { relayLeaseMs: 150 });
    await seed(storage, [item('m1'), item('m2')], { owner: 'dead', until: time.now + 150 });
    await b.relay.drain('bot-1');
    expect(log).toEqual([]); // the lease is still live
    await time.advance(200);
    expect(log).toEqual([]); // one lease after B first saw it, plus the grace: not yet
    // No further event arrives: B's own timer re-drains after the expiry.
    await time.advance(100);
    expect(log.map((e) => e.text)).toEqual(['m1', 'm2']);
    expect((await b.store.read('bot-1'))?.relayLease).toBeUndefined();
  });

  it('should not send a live holder\'s item again when the holder\'s clock is far behind (skew of 20 leases)', async () => {
    const storage = new MemoryStorage();
    const log: Array<{ by: string; text: string }> = [];
    // A's clock is 3 s behind B's: by B's clock, every lease A writes expired 2.9 s ago.
    const a = instance('A', storage, log, { pauseMs: 300, relayLeaseMs: 150, skewMs: -3_000 });
    const b = instance('B', storage, log, { relayLeaseMs: 150 });
    await seed(storage, [item('slow'), item('next')]);
    const first = a.relay.drain('bot-1');
    for (let i = 0; i < 6; i++) {
      await time.advance(50);
      await b.relay.drain('bot-1'); // every 50 ms while A sends (A renews every 50 ms)
    }
    await time.advance(1_000); // A finishes; B's lease-wait timer fires on an empty outbox
    await first;
    expect(log).toEqual([{ by: 'A', text: 'slow' }, { by: 'A', text: 'next' }]);
  });

  it('should take over from a dead holder whose clock was far ahead one lease after first seeing it', async () => {
    const storage = new MemoryStorage();
    const log: Array<{ by: string; text: string }> = [];
    const b = instance('B', storage, log, { relayLeaseMs: 150 });
    await seed(storage, [item('m1')], { owner: 'dead', until: time.now + 3_600_000 }); // an hour ahead
    await b.relay.drain('bot-1');
    expect(log).toEqual([]);
    await time.advance(500);
    expect(log).toEqual([{ by: 'B', text: 'm1' }]);
  });

  it('should retry a failed send after its own short pause even when it waited for another lease before', async () => {
    const storage = new MemoryStorage();
    const log: Array<{ by: string; text: string }> = [];
    const b = instance('B', storage, log, { failures: 1 });
    await seed(storage, [item('m1')], { owner: 'A', until: time.now + 10_000 });
    await b.relay.drain('bot-1'); // busy: B waits for A's lease (10 s)
    // A releases without sending (e.g. its own send failed); B's next drain sends and fails.
    await writeRecord(storage, 'bot-1', (r) => ({ ...r, relayLease: undefined }));
    await b.relay.drain('bot-1');
    expect(log).toEqual([]);
    await time.advance(150);
    expect(log).toEqual([]); // the first retry pause is 200 ms
    await time.advance(100);
    expect(log).toEqual([{ by: 'B', text: 'm1' }]); // long before the 10-s lease wait
  });
});
