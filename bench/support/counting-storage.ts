/**
 * A botbuilder `Storage` wrapper that counts the keys read, written and deleted, so a benchmark
 * can report storage operations per relayed message.
 */
import type { Storage, StoreItems } from 'botbuilder';

/** Keys touched so far, by operation. */
export interface StorageCounts {
  reads: number;
  writes: number;
  deletes: number;
}

/** Counts every key passed to `read`, `write` and `delete`, then forwards the call. */
export class CountingStorage implements Storage {
  readonly counts: StorageCounts = { reads: 0, writes: 0, deletes: 0 };

  constructor(private readonly inner: Storage) {}

  /** A copy of the counts now. */
  snapshot(): StorageCounts {
    return { ...this.counts };
  }

  read(keys: string[]): Promise<StoreItems> {
    this.counts.reads += keys.length;
    return this.inner.read(keys);
  }

  write(changes: StoreItems): Promise<void> {
    this.counts.writes += Object.keys(changes).length;
    return this.inner.write(changes);
  }

  delete(keys: string[]): Promise<void> {
    this.counts.deletes += keys.length;
    return this.inner.delete(keys);
  }
}
