import { ConfigurationError } from '../../src/errors';
import { MemoryDedupeStore } from '../../src/webhook/dedupe';
import { describeDedupeStoreContract } from './dedupe-store-contract';

function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describeDedupeStoreContract('MemoryDedupeStore', () => new MemoryDedupeStore());

describe('MemoryDedupeStore', () => {
  describe('#claim()', () => {
    it('should let a new claim through once an abandoned lease expires', async () => {
      const clock = fakeClock();
      const store = new MemoryDedupeStore({ clock: clock.now });
      await store.claim('t:e', 1_000);
      clock.advance(999);
      expect(await store.claim('t:e', 1_000)).toBe('busy');
      clock.advance(1);
      expect(await store.claim('t:e', 1_000)).toBe('claimed');
    });
  });

  describe('#complete()', () => {
    it('should answer duplicate for the ttl, then forget the key', async () => {
      const clock = fakeClock();
      const store = new MemoryDedupeStore({ clock: clock.now });
      await store.claim('t:e', 1_000);
      await store.complete('t:e', 24 * 3_600_000);
      clock.advance(24 * 3_600_000 - 1);
      expect(await store.claim('t:e', 1_000)).toBe('duplicate');
      clock.advance(1);
      expect(await store.claim('t:e', 1_000)).toBe('claimed');
    });
  });

  describe('compact entries', () => {
    it('should keep pending and done apart and expire on time when the clock runs behind its start (negative offsets)', async () => {
      let t = 1_000_000;
      const store = new MemoryDedupeStore({ clock: () => t });
      t -= 500_000; // a clock stepped back after the store was made
      expect(await store.claim('t:pending', 1_001)).toBe('claimed');
      expect(await store.claim('t:done', 1_001)).toBe('claimed');
      await store.complete('t:done', 3_001);
      t += 1_000;
      expect(await store.claim('t:pending', 1_000)).toBe('busy');
      expect(await store.claim('t:done', 1_000)).toBe('duplicate');
      await store.release('t:done'); // no-op on a completed key
      expect(await store.claim('t:done', 1_000)).toBe('duplicate');
      t += 1;
      expect(await store.claim('t:pending', 1_000)).toBe('claimed');
      t += 2_000;
      expect(await store.claim('t:done', 1_000)).toBe('claimed');
    });

    it('should keep a completed key done with a fractional clock and ttl (expiries are kept in whole ms)', async () => {
      let t = 1_000.25;
      const store = new MemoryDedupeStore({ clock: () => t });
      t += 0.5;
      await store.claim('t:f', 999.3);
      await store.complete('t:f', 10.7);
      expect(await store.claim('t:f', 1_000)).toBe('duplicate');
      t += 10.7;
      expect(await store.claim('t:f', 1_000)).toBe('duplicate'); // rounded up: never forgotten early
      t += 1;
      expect(await store.claim('t:f', 1_000)).toBe('claimed');
    });

    it('should tell apart keys that differ anywhere, however long (a key is kept as a digest)', async () => {
      const store = new MemoryDedupeStore();
      const long = 'x'.repeat(10_000);
      await store.complete(`t:${long}a`, 60_000);
      expect(await store.claim(`t:${long}b`, 1_000)).toBe('claimed');
      expect(await store.claim(`t:${long}a`, 1_000)).toBe('duplicate');
      expect(await store.claim(`u:${long}a`, 1_000)).toBe('claimed');
    });
  });

  describe('bounds', () => {
    it('should keep at most maxEntries keys, evicting the oldest', async () => {
      const store = new MemoryDedupeStore({ maxEntries: 3 });
      for (const key of ['a', 'b', 'c', 'd']) {
        await store.claim(key, 1_000);
        await store.complete(key, 60_000);
      }
      expect(store.size).toBe(3);
      expect(await store.claim('a', 1_000)).toBe('claimed');
      expect(await store.claim('d', 1_000)).toBe('duplicate');
    });

    it('should hold 100k completed events with a 24 h ttl by default', async () => {
      const clock = fakeClock();
      const store = new MemoryDedupeStore({ clock: clock.now });
      for (let i = 0; i < 100_000; i++) await store.complete(`t:${i}`, 24 * 3_600_000);
      clock.advance(23 * 3_600_000);
      expect(store.size).toBe(100_000);
      expect(await store.claim('t:0', 1_000)).toBe('duplicate');
      expect(await store.claim('t:99999', 1_000)).toBe('duplicate');
    });

    it('should drop expired keys as new ones arrive', async () => {
      const clock = fakeClock();
      const store = new MemoryDedupeStore({ clock: clock.now });
      for (let i = 0; i < 8; i++) await store.complete(`old:${i}`, 1_000);
      clock.advance(2_000);
      await store.complete('new', 1_000);
      expect(store.size).toBe(1);
    });

    it.each([{ maxEntries: 0 }, { maxEntries: 1.5 }, { ttlMs: 0 }])('should reject %p at construction', (options) => {
      expect(() => new MemoryDedupeStore(options)).toThrow(ConfigurationError);
    });
  });
});
