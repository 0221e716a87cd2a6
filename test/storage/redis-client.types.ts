/**
 * Compile-only checks (run by `npm run typecheck`, never by jest): ioredis clients fit
 * `RedisEvalClient` as they are, and the stores refuse what cannot run scripts.
 */
import type { Cluster, Redis } from 'ioredis';
import { RedisDedupeStore, RedisStorage, type RedisEvalClient } from '../../src/storage';

/** An ioredis `Redis` and `Cluster` are accepted without an adapter. */
export function ioredisFits(redis: Redis, cluster: Cluster): RedisEvalClient[] {
  return [redis, cluster];
}

/** Misuse that must not compile. */
export function misuse(redis: Redis): void {
  // @ts-expect-error a client without eval does not fit
  new RedisDedupeStore({ client: { get: async () => null } });
  // @ts-expect-error the client is required
  new RedisStorage({ keyPrefix: 'x' });
  // @ts-expect-error options, not a bare client
  new RedisStorage(redis);
}
