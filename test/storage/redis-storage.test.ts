import { MemoryStorage, type StoreItem } from 'botbuilder-core';
import { ConfigurationError } from '../../src/errors';
import { isConflict } from '../../src/handoff/cas-storage';
import { canCreateIfAbsent, ETagConflictError, RedisStorage, StoredItemError } from '../../src/storage';
import { describeWithRedis } from '../support/redis';

let prefixCounter = 0;
/** Each test writes under its own prefix, so tests never see each other's keys. */
const freshPrefix = (): string => `storage-test:${++prefixCounter}:`;

/** Read-modify-write with retry on conflict, as a careful caller does: returns the attempts used. */
async function increment(storage: RedisStorage, key: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const current = (await storage.read([key]))[key] as StoreItem | undefined;
    try {
      await storage.write({ [key]: { n: (current?.n ?? 0) + 1, eTag: current?.eTag } });
      return attempt;
    } catch (error) {
      if (!(error instanceof ETagConflictError)) throw error;
    }
  }
}

describeWithRedis('RedisStorage on a real redis-server', (redis) => {
  let storage: RedisStorage;
  let prefix: string;
  beforeEach(() => {
    prefix = freshPrefix();
    storage = new RedisStorage({ client: redis.client(), keyPrefix: prefix });
  });

  describe('#read()', () => {
    it('should return only the keys that exist, JSON round-tripped with their eTag', async () => {
      await storage.write({ a: { text: 'héllo', nested: { list: [1, 'two', null] }, skipped: undefined } });
      const items = await storage.read(['a', 'missing']);
      expect(Object.keys(items)).toEqual(['a']);
      expect(items.a).toEqual({ text: 'héllo', nested: { list: [1, 'two', null] }, eTag: expect.any(String) });
    });

    it('should return an empty object for no keys', async () => {
      expect(await storage.read([])).toEqual({});
    });

    it('should reject a value it did not write as a StoredItemError', async () => {
      await redis.client().hset(`${prefix}broken`, 'e', 'x', 'v', '{not json');
      await expect(storage.read(['broken'])).rejects.toBeInstanceOf(StoredItemError);
    });
  });

  describe('#write()', () => {
    it('should give every successful write a new eTag', async () => {
      await storage.write({ k: { n: 1 } });
      const first = (await storage.read(['k'])).k!.eTag;
      await storage.write({ k: { n: 2, eTag: first } });
      const second = (await storage.read(['k'])).k!;
      expect(second).toEqual({ n: 2, eTag: expect.any(String) });
      expect(second.eTag).not.toBe(first);
    });

    it('should reject a stale eTag with an ETagConflictError in MemoryStorage\'s words and keep the stored item', async () => {
      await storage.write({ k: { n: 1 } });
      const stale = (await storage.read(['k'])).k!.eTag;
      await storage.write({ k: { n: 2, eTag: stale } });
      const attempt = storage.write({ k: { n: 3, eTag: stale } });
      await expect(attempt).rejects.toBeInstanceOf(ETagConflictError);
      await expect(attempt).rejects.toThrow('Storage: error writing "k" due to eTag conflict.');
      expect((await storage.read(['k'])).k!.n).toBe(2);
    });

    it.each([['"*"', '*'], ['missing', undefined]])('should overwrite whatever is stored when the eTag is %s', async (_label, eTag) => {
      await storage.write({ k: { n: 1 } });
      await storage.write({ k: { n: 2 } });
      await storage.write({ k: { n: 3, eTag } });
      expect((await storage.read(['k'])).k!.n).toBe(3);
    });

    it('should write to an absent key whatever eTag comes with it, as MemoryStorage does', async () => {
      await storage.write({ fresh: { n: 1, eTag: 'from-a-deleted-item' } });
      expect((await storage.read(['fresh'])).fresh!.n).toBe(1);
    });

    it('should write the other keys of a batch and reject when one of them conflicts', async () => {
      await storage.write({ a: { n: 1 } });
      const attempt = storage.write({ a: { n: 2, eTag: 'stale' }, b: { n: 1 } });
      await expect(attempt).rejects.toBeInstanceOf(ETagConflictError);
      const items = await storage.read(['a', 'b']);
      expect([items.a!.n, items.b!.n]).toEqual([1, 1]);
    });

    it('should not change the caller\'s item', async () => {
      const item = { n: 1, eTag: '*' };
      await storage.write({ k: item });
      expect(item).toEqual({ n: 1, eTag: '*' });
    });

    it('should store items under the key prefix and expire them ttlMs after the last write', async () => {
      const expiring = new RedisStorage({ client: redis.client(), keyPrefix: prefix, ttlMs: 60_000 });
      await expiring.write({ k: { n: 1 } });
      const ttl = await redis.client().pttl(`${prefix}k`);
      expect(ttl).toBeGreaterThan(59_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      await storage.write({ p: { n: 1 } });
      expect(await redis.client().pttl(`${prefix}p`)).toBe(-1);
    });

    it('should drop an earlier ttl when the item is rewritten without one', async () => {
      await new RedisStorage({ client: redis.client(), keyPrefix: prefix, ttlMs: 60_000 }).write({ k: { n: 1 } });
      await storage.write({ k: { n: 2 } });
      expect(await redis.client().pttl(`${prefix}k`)).toBe(-1);
    });

    it('should be recognised as a conflict by the handoff compare-and-set', async () => {
      await storage.write({ k: { n: 1 } });
      const error = await storage.write({ k: { n: 2, eTag: 'stale' } }).catch((e: unknown) => e);
      expect(isConflict(error)).toBe(true);
      expect(error).toMatchObject({ statusCode: 412, code: 'E_STORAGE_CONFLICT', key: 'k' });
    });
  });

  describe('#createIfAbsent()', () => {
    it('should create an absent item with a fresh eTag, ignoring the eTag it was given', async () => {
      expect(await storage.createIfAbsent('k', { n: 1, eTag: 'ignored' })).toBe(true);
      const item = (await storage.read(['k'])).k!;
      expect(item).toEqual({ n: 1, eTag: expect.any(String) });
      expect(item.eTag).not.toBe('ignored');
    });

    it('should write nothing and answer false when the key exists', async () => {
      await storage.write({ k: { n: 1 } });
      const before = (await storage.read(['k'])).k;
      expect(await storage.createIfAbsent('k', { n: 2 })).toBe(false);
      expect((await storage.read(['k'])).k).toEqual(before);
    });

    it('should let exactly one of two instances create the same key (100 rounds)', async () => {
      const one = new RedisStorage({ client: redis.connect(), keyPrefix: prefix });
      const two = new RedisStorage({ client: redis.connect(), keyPrefix: prefix });
      for (let round = 0; round < 100; round++) {
        const key = `create-${round}`;
        const [a, b] = await Promise.all([one.createIfAbsent(key, { by: 'one' }), two.createIfAbsent(key, { by: 'two' })]);
        if (a === b) throw new Error(`round ${round}: both answered ${a}`);
        expect((await one.read([key]))[key]!.by).toBe(a ? 'one' : 'two');
      }
    });

    it('should apply ttlMs to a created item', async () => {
      const expiring = new RedisStorage({ client: redis.client(), keyPrefix: prefix, ttlMs: 60_000 });
      await expiring.createIfAbsent('k', { n: 1 });
      expect(await redis.client().pttl(`${prefix}k`)).toBeGreaterThan(59_000);
    });
  });

  describe('#delete()', () => {
    it('should delete the given keys and ignore absent ones', async () => {
      await storage.write({ a: { n: 1 }, b: { n: 2 } });
      await storage.delete(['a', 'never']);
      expect(Object.keys(await storage.read(['a', 'b']))).toEqual(['b']);
    });
  });

  describe('concurrent writers on two connections', () => {
    it('should let exactly one of two writers with the same eTag win each round (100 rounds)', async () => {
      const one = new RedisStorage({ client: redis.connect(), keyPrefix: prefix });
      const two = new RedisStorage({ client: redis.connect(), keyPrefix: prefix });
      await one.write({ k: { n: 0 } });
      for (let round = 1; round <= 100; round++) {
        const { eTag } = (await one.read(['k'])).k!;
        const results = await Promise.allSettled([one.write({ k: { n: round, by: 'one', eTag } }), two.write({ k: { n: round, by: 'two', eTag } })]);
        const won = results.filter((r) => r.status === 'fulfilled').length;
        if (won !== 1) throw new Error(`round ${round}: ${won} writers won`);
        const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
        expect(lost.reason).toBeInstanceOf(ETagConflictError);
      }
      expect((await two.read(['k'])).k!.n).toBe(100);
    });

    it('should lose no update when two instances increment the same key, the loser re-reading and retrying', async () => {
      const one = new RedisStorage({ client: redis.connect(), keyPrefix: prefix });
      const two = new RedisStorage({ client: redis.connect(), keyPrefix: prefix });
      // Created first: a write to an absent key has no eTag to check, so two creators both succeed.
      await storage.write({ counter: { n: 0 } });
      const run = async (s: RedisStorage): Promise<number> => {
        let attempts = 0;
        for (let i = 0; i < 50; i++) attempts += await increment(s, 'counter');
        return attempts;
      };
      const [a, b] = await Promise.all([run(one), run(two)]);
      expect((await storage.read(['counter'])).counter!.n).toBe(100);
      // Retries happened (the test exercised conflicts) and each one cost a conflict, never a lost write.
      expect(a + b).toBeGreaterThan(100);
    });
  });
});

describe('RedisStorage', () => {
  const client = { eval: () => Promise.resolve(null) };

  it('should advertise createIfAbsent to canCreateIfAbsent, unlike MemoryStorage', () => {
    expect(canCreateIfAbsent(new RedisStorage({ client }))).toBe(true);
    expect(canCreateIfAbsent(new MemoryStorage())).toBe(false);
  });

  describe('constructor', () => {
    it.each([
      ['no client', {}, 'client'],
      ['a non-string keyPrefix', { client, keyPrefix: 7 }, 'keyPrefix'],
      ['a zero ttlMs', { client, ttlMs: 0 }, 'ttlMs'],
      ['a fractional ttlMs', { client, ttlMs: 1.5 }, 'ttlMs'],
      ['a newETag that is not a function', { client, newETag: 'x' }, 'newETag'],
    ])('should reject %s with a ConfigurationError naming the option', (_label, options, option) => {
      expect(() => new RedisStorage(options as never)).toThrow(ConfigurationError);
      expect(() => new RedisStorage(options as never)).toThrow(expect.objectContaining({ option }));
    });
  });

  describe('#write()', () => {
    it('should send the expected eTag, a new eTag from newETag and the JSON without eTag to one script call', async () => {
      const calls: unknown[][] = [];
      const recording = { eval: (...args: unknown[]) => (calls.push(args), Promise.resolve(1)) };
      const storage = new RedisStorage({ client: recording, keyPrefix: 'p:', ttlMs: 5_000, newETag: () => 'etag-1' });
      await storage.write({ k: { n: 1, eTag: 'old' } });
      expect(calls).toHaveLength(1);
      expect(calls[0]!.slice(1)).toEqual([1, 'p:k', 'old', 'etag-1', '{"n":1}', 5_000]);
    });
  });
});
