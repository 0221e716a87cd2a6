/**
 * Webhook de-duplication. 8x8 retries an event (same `x-8x8-event-id`) until it gets a 2xx, and
 * may deliver it twice at once; the receiver must dispatch it exactly once (RELIABILITY.md D1, D2).
 *
 * The store is a small lease protocol so the same contract works in memory and across instances
 * (Redis: `SET key pending NX PX lease`, then `SET key done PX ttl`, release = delete-if-pending).
 */
import { ConfigurationError } from '../errors';

/** Outcome of {@link DedupeStore.claim}. */
export type ClaimResult =
  /** This caller owns the key until it completes or releases it (or the lease runs out). */
  | 'claimed'
  /** The event was already processed: acknowledge without dispatching. */
  | 'duplicate'
  /** Another delivery holds the lease right now: answer 503 so 8x8 retries later. */
  | 'busy';

/** A store of seen event keys. Implementations must make `claim` atomic. */
export interface DedupeStore {
  /** Atomically claims `key` for `leaseMs` unless it is claimed or completed. */
  claim(key: string, leaseMs: number): Promise<ClaimResult>;
  /** Marks `key` processed for `ttlMs`: later claims answer `duplicate`. */
  complete(key: string, ttlMs: number): Promise<void>;
  /** Drops a claim that did not complete, so 8x8's retry is processed. A no-op on completed keys. */
  release(key: string): Promise<void>;
}

/** Options of {@link MemoryDedupeStore}. */
export interface MemoryDedupeStoreOptions {
  /** Most keys kept; the oldest is evicted first. Default 100 000 (about 20 MB: some 200 bytes of heap per key of 8x8's event ids, measured for issue 13). */
  maxEntries?: number;
  /** Default time a completed key is remembered, used when `complete` gets no ttl. Default 24 h. */
  ttlMs?: number;
  /** Epoch-ms clock. Default `Date.now`. */
  clock?: () => number;
}

type Entry = { state: 'pending' | 'done'; expiresAt: number };

/**
 * A bounded in-process {@link DedupeStore}: right for one bot instance. Several instances need
 * a shared store with an atomic set-if-absent (e.g. Redis `SET NX`).
 */
export class MemoryDedupeStore implements DedupeStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly clock: () => number;

  constructor(options: MemoryDedupeStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 100_000;
    this.ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
    this.clock = options.clock ?? Date.now;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) {
      throw new ConfigurationError('maxEntries', `must be a positive integer, got ${String(options.maxEntries)}`, 'Leave it out for 100000.');
    }
    if (!Number.isFinite(this.ttlMs) || this.ttlMs <= 0) {
      throw new ConfigurationError('ttlMs', `must be a positive number, got ${String(options.ttlMs)}`, 'Leave it out for 24 h.');
    }
  }

  /** Number of keys held (expired ones included until they are touched or evicted). */
  get size(): number {
    return this.entries.size;
  }

  /** See {@link DedupeStore.claim}. */
  async claim(key: string, leaseMs: number): Promise<ClaimResult> {
    const now = this.clock();
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now) return entry.state === 'done' ? 'duplicate' : 'busy';
    this.put(key, { state: 'pending', expiresAt: now + leaseMs });
    return 'claimed';
  }

  /** See {@link DedupeStore.complete}. */
  async complete(key: string, ttlMs: number = this.ttlMs): Promise<void> {
    this.put(key, { state: 'done', expiresAt: this.clock() + ttlMs });
  }

  /** See {@link DedupeStore.release}. */
  async release(key: string): Promise<void> {
    if (this.entries.get(key)?.state === 'pending') this.entries.delete(key);
  }

  private put(key: string, entry: Entry): void {
    // Re-inserting moves the key to the end, so the Map's order is oldest-write first.
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.sweep(this.clock());
  }

  private sweep(now: number): void {
    // Drop expired keys at the old end (a bounded amount of work per write), then enforce the bound.
    for (let i = 0; i < 8; i++) {
      const oldest = this.entries.entries().next().value;
      if (!oldest || oldest[1].expiresAt > now) break;
      this.entries.delete(oldest[0]);
    }
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}
