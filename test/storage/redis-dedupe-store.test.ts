import { ConfigurationError } from '../../src/errors';
import { RedisDedupeStore } from '../../src/storage';
import { describeDedupeStoreContract } from '../webhook/dedupe-store-contract';
import { describeWithRedis } from '../support/redis';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describeWithRedis('RedisDedupeStore on a real redis-server', (redis) => {
  describeDedupeStoreContract('RedisDedupeStore', () => new RedisDedupeStore({ client: redis.client() }));

  describe('#claim()', () => {
    it('should give exactly one claimed per round when two instances on separate connections race (200 rounds)', async () => {
      const one = new RedisDedupeStore({ client: redis.connect() });
      const two = new RedisDedupeStore({ client: redis.connect() });
      const tally = { claimed: 0, busy: 0, duplicate: 0 };
      for (let round = 0; round < 200; round++) {
        const key = `race:${round}`;
        // Several claims per instance, interleaved on the wire, as doubled and retried deliveries land.
        const results = await Promise.all([one.claim(key, 60_000), two.claim(key, 60_000), one.claim(key, 60_000), two.claim(key, 60_000)]);
        const claimed = results.filter((r) => r === 'claimed').length;
        if (claimed !== 1) throw new Error(`round ${round}: ${claimed} claims granted (${results.join(', ')})`);
        for (const r of results) tally[r]++;
        if (round % 2 === 0) await (results[0] === 'claimed' || results[2] === 'claimed' ? one : two).complete(key, 60_000);
      }
      expect(tally).toEqual({ claimed: 200, busy: 600, duplicate: 0 });
      // Completed keys stay completed for every instance.
      expect(await two.claim('race:0', 60_000)).toBe('duplicate');
      expect(await one.claim('race:1', 60_000)).toBe('busy');
    });

    it('should let a new claim through once an abandoned lease expired in Redis', async () => {
      const store = new RedisDedupeStore({ client: redis.client() });
      expect(await store.claim('lease:abandoned', 40)).toBe('claimed');
      expect(await store.claim('lease:abandoned', 40)).toBe('busy');
      await sleep(120);
      expect(await store.claim('lease:abandoned', 40)).toBe('claimed');
    });
  });

  describe('#complete()', () => {
    it('should store the key as "done" with the ttl, under the key prefix', async () => {
      const store = new RedisDedupeStore({ client: redis.client(), keyPrefix: 'bot-a:' });
      await store.claim('t1:e1', 60_000);
      await store.complete('t1:e1', 86_400_000);
      const raw = redis.client();
      expect(await raw.get('bot-a:t1:e1')).toBe('done');
      const ttl = await raw.pttl('bot-a:t1:e1');
      expect(ttl).toBeGreaterThan(86_300_000);
      expect(ttl).toBeLessThanOrEqual(86_400_000);
    });

    it('should forget the key once the ttl ran out', async () => {
      const store = new RedisDedupeStore({ client: redis.client() });
      await store.claim('ttl:short', 60_000);
      await store.complete('ttl:short', 40);
      expect(await store.claim('ttl:short', 60_000)).toBe('duplicate');
      await sleep(120);
      expect(await store.claim('ttl:short', 60_000)).toBe('claimed');
    });
  });

  describe('key prefix', () => {
    it('should keep stores with different prefixes apart and default to "8x8-handoff:webhook:"', async () => {
      const a = new RedisDedupeStore({ client: redis.client(), keyPrefix: 'bot-a:' });
      const b = new RedisDedupeStore({ client: redis.client(), keyPrefix: 'bot-b:' });
      await a.claim('t:shared', 60_000);
      await a.complete('t:shared', 60_000);
      expect(await b.claim('t:shared', 60_000)).toBe('claimed');
      await new RedisDedupeStore({ client: redis.client() }).claim('t:default', 60_000);
      expect(await redis.client().get('8x8-handoff:webhook:t:default')).toBe('pending');
    });
  });

  describe('#release()', () => {
    it('should leave a key alone when it is absent or was written by someone else', async () => {
      const store = new RedisDedupeStore({ client: redis.client(), keyPrefix: '' });
      await store.release('never-claimed');
      await redis.client().set('foreign', 'other-value');
      await store.release('foreign');
      expect(await redis.client().get('foreign')).toBe('other-value');
      expect(await store.claim('foreign', 60_000)).toBe('busy');
    });
  });
});

describe('RedisDedupeStore', () => {
  describe('constructor', () => {
    it.each([
      ['no client', {}, 'client'],
      ['a client without eval', { client: { get: () => Promise.resolve(null) } }, 'client'],
      ['a non-string keyPrefix', { client: { eval: () => Promise.resolve(null) }, keyPrefix: 7 }, 'keyPrefix'],
    ])('should reject %s with a ConfigurationError naming the option', (_label, options, option) => {
      expect(() => new RedisDedupeStore(options as never)).toThrow(ConfigurationError);
      expect(() => new RedisDedupeStore(options as never)).toThrow(expect.objectContaining({ option }));
    });
  });

  describe('#claim()', () => {
    it('should reject when Redis refuses the command, so the receiver answers 503', async () => {
      const failing = { eval: () => Promise.reject(new Error('READONLY You can\'t write against a read only replica.')) };
      await expect(new RedisDedupeStore({ client: failing }).claim('k', 1_000)).rejects.toThrow(/READONLY/);
    });
  });
});
