/**
 * An optional capability a botbuilder `Storage` can add: an atomic create-only write. botbuilder's
 * `Storage.write` without an eTag overwrites, so two instances creating the same key at once can
 * silently lose one creation; a store with {@link CreateIfAbsentStorage} lets the loser find out.
 */
import type { Storage, StoreItem } from 'botbuilder';

/** A `Storage` that can write an item only when its key is absent (like HTTP `If-None-Match: *`). */
export interface CreateIfAbsentStorage extends Storage {
  /** Writes `item` when `key` is absent and resolves true; resolves false (writing nothing) when it exists. */
  createIfAbsent(key: string, item: StoreItem): Promise<boolean>;
}

/** True when `storage` offers {@link CreateIfAbsentStorage.createIfAbsent} (e.g. `RedisStorage`). */
export function canCreateIfAbsent(storage: Storage): storage is CreateIfAbsentStorage {
  return typeof (storage as Partial<CreateIfAbsentStorage>).createIfAbsent === 'function';
}
