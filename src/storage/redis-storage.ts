/**
 * {@link RedisStorage}: a botbuilder `Storage` in Redis with real eTag optimistic concurrency,
 * for several bot instances sharing conversation state and handoff records.
 */
import { randomUUID } from 'node:crypto';
import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import { ConfigurationError } from '../errors';
import type { CreateIfAbsentStorage } from './create-if-absent';
import { checkEvalClient, checkKeyPrefix, type RedisEvalClient } from './redis-client';
import { CREATE_SCRIPT, DELETE_SCRIPT, READ_SCRIPT, WRITE_SCRIPT } from './redis-storage-scripts';
import { ETagConflictError, StoredItemError } from './storage-errors';

/** Options of {@link RedisStorage}. */
export interface RedisStorageOptions {
  /** An ioredis `Redis` or `Cluster` (or any {@link RedisEvalClient}). You own it: quit it on shutdown. Required. */
  client: RedisEvalClient;
  /** Prepended to every storage key, so several bots (or other data) can share one database. Default `botbuilder:`. */
  keyPrefix?: string;
  /** Expire an item this long after its last write. Default: never. */
  ttlMs?: number;
  /** Makes the eTag of each write; must not repeat. Default `crypto.randomUUID`. */
  newETag?: () => string;
}

type ResolvedOptions = Required<Omit<RedisStorageOptions, 'ttlMs'>> & { ttlMs: number };

/** Applies defaults and rejects bad values with a {@link ConfigurationError}. */
function resolveOptions(options: RedisStorageOptions): ResolvedOptions {
  const ttlMs = options?.ttlMs ?? 0;
  if (options?.ttlMs !== undefined && (!Number.isInteger(ttlMs) || ttlMs <= 0)) {
    throw new ConfigurationError('ttlMs', `must be a positive integer of milliseconds, got ${String(options.ttlMs)}`, 'Leave it out to keep items until they are deleted.');
  }
  const newETag = options?.newETag ?? randomUUID;
  if (typeof newETag !== 'function') {
    throw new ConfigurationError('newETag', `must be a function, got ${typeof newETag}`, 'Leave it out for random UUIDs.');
  }
  return { client: checkEvalClient(options?.client), keyPrefix: checkKeyPrefix(options?.keyPrefix ?? 'botbuilder:'), ttlMs, newETag };
}

/**
 * A botbuilder `Storage` backed by Redis, with the eTag semantics of botbuilder's `MemoryStorage`,
 * enforced atomically on the server by a Lua check-and-set:
 * - `read` returns each found item, JSON round-tripped, with its current `eTag`;
 * - `write` of an item whose `eTag` differs from the stored one rejects with an
 *   {@link ETagConflictError}; an `eTag` of `'*'` or none overwrites; so does any write to an
 *   absent key; every successful write gives the item a new eTag;
 * - `delete` removes the keys (absent keys are fine);
 * - `createIfAbsent` (not in botbuilder's `Storage`) writes only when the key is absent, so two
 *   instances creating the same item at once cannot overwrite each other.
 *
 * Each key is written atomically, but a `write` of several keys is not a transaction: on a
 * conflict the other keys are still written, as with `MemoryStorage`.
 *
 * ```ts
 * const storage = new RedisStorage({ client: new Redis(process.env.REDIS_URL) });
 * const conversationState = new ConversationState(storage);
 * ```
 */
export class RedisStorage implements Storage, CreateIfAbsentStorage {
  private readonly options: ResolvedOptions;

  constructor(options: RedisStorageOptions) {
    this.options = resolveOptions(options);
  }

  /** See botbuilder's `Storage.read`. Absent keys are left out of the result. */
  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    const found = await Promise.all(keys.map((key) => this.readOne(key)));
    const items: StoreItems = {};
    keys.forEach((key, i) => {
      if (found[i]) items[key] = found[i];
    });
    return items;
  }

  /** See botbuilder's `Storage.write`. Rejects with {@link ETagConflictError} when an eTag is stale. */
  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    const results = await Promise.allSettled(Object.entries(changes).map(([key, item]) => this.writeOne(key, item)));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * Writes `item` only when `key` is absent, atomically: of several instances creating the same
   * key at once exactly one gets `true`; the others get `false` and should read the winner's item.
   * botbuilder's `Storage` has no such operation (a write without eTag overwrites), so this is what
   * makes a concurrent first write safe. The item's own `eTag` is ignored.
   */
  async createIfAbsent(key: string, item: StoreItem): Promise<boolean> {
    const { client, ttlMs, newETag } = this.options;
    const created = await client.eval(CREATE_SCRIPT, 1, this.redisKey(key), newETag(), serialize(key, item), ttlMs);
    return Number(created) === 1;
  }

  /** See botbuilder's `Storage.delete`. */
  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    await Promise.all(keys.map((key) => this.options.client.eval(DELETE_SCRIPT, 1, this.redisKey(key))));
  }

  private redisKey(key: string): string {
    return this.options.keyPrefix + key;
  }

  private async readOne(key: string): Promise<StoreItem | undefined> {
    const reply = await this.options.client.eval(READ_SCRIPT, 1, this.redisKey(key));
    const [eTag, json] = Array.isArray(reply) ? reply : [];
    if (json === null || json === undefined) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(String(json));
    } catch (error) {
      throw new StoredItemError(key, 'is not valid JSON', { cause: error });
    }
    if (typeof value !== 'object' || value === null) throw new StoredItemError(key, 'is not a JSON object');
    return { ...(value as StoreItem), eTag: String(eTag) };
  }

  private async writeOne(key: string, item: StoreItem): Promise<void> {
    const eTag: unknown = item?.eTag;
    // Like MemoryStorage: '*', '' and no eTag mean "overwrite".
    const expected = eTag && eTag !== '*' ? String(eTag) : '';
    const { client, ttlMs, newETag } = this.options;
    const written = await client.eval(WRITE_SCRIPT, 1, this.redisKey(key), expected, newETag(), serialize(key, item), ttlMs);
    if (Number(written) !== 1) throw new ETagConflictError(key);
  }
}

/** The stored JSON: the item without its eTag (Redis keeps the eTag in its own field). */
function serialize(key: string, item: StoreItem): string {
  if (typeof item !== 'object' || item === null) throw new TypeError(`Storage: item "${key}" must be an object.`);
  const { eTag: _eTag, ...value } = item;
  return JSON.stringify(value);
}
