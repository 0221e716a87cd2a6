/**
 * The behaviour every {@link DedupeStore} must have, as one suite with no per-implementation
 * branches. Run it for each store: `describeDedupeStoreContract('RedisDedupeStore', () => new ...)`.
 * It uses real time only in ways that hold for any backend (no fake clock, no waiting).
 */
import type { DedupeStore } from '../../src/webhook/dedupe';

let keyCounter = 0;
const freshKey = (): string => `contract:${process.pid}:${Date.now()}:${++keyCounter}`;

/** Declares the contract suite for one store factory (called once per test). */
export function describeDedupeStoreContract(name: string, createStore: () => DedupeStore | Promise<DedupeStore>): void {
  describe(`${name} (DedupeStore contract)`, () => {
    let store: DedupeStore;
    beforeEach(async () => {
      store = await createStore();
    });

    it('should grant the first claim and answer busy while the lease holds', async () => {
      const key = freshKey();
      expect(await store.claim(key, 60_000)).toBe('claimed');
      expect(await store.claim(key, 60_000)).toBe('busy');
    });

    it('should grant exactly one of many simultaneous claims', async () => {
      const key = freshKey();
      const results = await Promise.all(Array.from({ length: 10 }, () => store.claim(key, 60_000)));
      expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
      expect(results.filter((r) => r === 'busy')).toHaveLength(9);
    });

    it('should answer duplicate after complete', async () => {
      const key = freshKey();
      await store.claim(key, 60_000);
      await store.complete(key, 60_000);
      expect(await store.claim(key, 60_000)).toBe('duplicate');
    });

    it('should free a released claim for the next delivery', async () => {
      const key = freshKey();
      await store.claim(key, 60_000);
      await store.release(key);
      expect(await store.claim(key, 60_000)).toBe('claimed');
    });

    it('should never un-complete a key on release', async () => {
      const key = freshKey();
      await store.claim(key, 60_000);
      await store.complete(key, 60_000);
      await store.release(key);
      expect(await store.claim(key, 60_000)).toBe('duplicate');
    });

    it('should keep keys independent', async () => {
      const [a, b] = [freshKey(), freshKey()];
      await store.claim(a, 60_000);
      await store.complete(a, 60_000);
      expect(await store.claim(b, 60_000)).toBe('claimed');
    });
  });
}
