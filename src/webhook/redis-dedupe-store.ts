/**
 * {@link RedisDedupeStore}: the webhook {@link DedupeStore} shared by several bot instances, so a
 * retried or doubled 8x8 delivery is dispatched once whichever instance it lands on.
 */
import { checkEvalClient, checkKeyPrefix, toRedisMs, type RedisEvalClient } from '../storage/redis-client';
import type { ClaimResult, DedupeStore } from './dedupe';

/**
 * `SET key pending NX PX lease`, and when the key already exists, its value, in one atomic step.
 * Reply: 'claimed', or the value found ('pending' or 'done').
 */
const CLAIM_SCRIPT = `
if redis.call('SET', KEYS[1], 'pending', 'NX', 'PX', ARGV[1]) then return 'claimed' end
return redis.call('GET', KEYS[1])
`;

const COMPLETE_SCRIPT = `return redis.call('SET', KEYS[1], 'done', 'PX', ARGV[1])`;

/** Deletes the key only while it is an unfinished claim: a completed event stays completed. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == 'pending' then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** Options of {@link RedisDedupeStore}. */
export interface RedisDedupeStoreOptions {
  /** An ioredis `Redis` or `Cluster` (or any {@link RedisEvalClient}). You own it: quit it on shutdown. Required. */
  client: RedisEvalClient;
  /** Prepended to every event key (`<tenant>:<event-id>`). Default `8x8-handoff:webhook:`. */
  keyPrefix?: string;
}

/**
 * A {@link DedupeStore} in Redis. Each operation is one Lua script, so a claim is atomic across
 * every instance using the same Redis: of two simultaneous deliveries exactly one gets
 * `'claimed'`; the other gets `'busy'` (answered 503, so 8x8 retries) or, once the first
 * completed, `'duplicate'`. Keys expire on their own (lease, then the receiver's `dedupeTtlMs`),
 * so Redis memory stays bounded by the event rate times the ttl.
 *
 * ```ts
 * const receiver = new WebhookReceiver({ onEvent, dedupe: new RedisDedupeStore({ client: redis }) });
 * ```
 */
export class RedisDedupeStore implements DedupeStore {
  private readonly client: RedisEvalClient;
  private readonly keyPrefix: string;

  constructor(options: RedisDedupeStoreOptions) {
    this.client = checkEvalClient(options?.client);
    this.keyPrefix = checkKeyPrefix(options?.keyPrefix ?? '8x8-handoff:webhook:');
  }

  /** See {@link DedupeStore.claim}. */
  async claim(key: string, leaseMs: number): Promise<ClaimResult> {
    const reply = await this.client.eval(CLAIM_SCRIPT, 1, this.keyPrefix + key, toRedisMs(leaseMs));
    if (reply === 'claimed') return 'claimed';
    if (reply === 'done') return 'duplicate';
    // 'pending' (or a value this store did not write): 503 makes 8x8 retry, the safe answer.
    return 'busy';
  }

  /** See {@link DedupeStore.complete}. */
  async complete(key: string, ttlMs: number): Promise<void> {
    await this.client.eval(COMPLETE_SCRIPT, 1, this.keyPrefix + key, toRedisMs(ttlMs));
  }

  /** See {@link DedupeStore.release}. */
  async release(key: string): Promise<void> {
    await this.client.eval(RELEASE_SCRIPT, 1, this.keyPrefix + key);
  }
}
