/**
 * Webhook de-duplication. 8x8 retries an event (same `x-8x8-event-id`) until it gets a 2xx, and
 * may deliver it twice at once; the receiver must dispatch it exactly once (RELIABILITY.md D1, D2).
 *
 * The store is a small lease protocol so the same contract works in memory and across instances
 * (Redis: `SET key pending NX PX lease`, then `SET key done PX ttl`, release = delete-if-pending).
 */
import { createHash } from 'node:crypto';
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
  /** Most keys kept; the oldest is evicted first. Default 100 000 (under 10 MB of heap, RELIABILITY D8: see {@link MemoryDedupeStore}). */
  maxEntries?: number;
  /** Default time a completed key is remembered, used when `complete` gets no ttl. Default 24 h. */
  ttlMs?: number;
  /** Epoch-ms clock. Default `Date.now`. */
  clock?: () => number;
}

/**
 * A bounded in-process {@link DedupeStore}: right for one bot instance. Several instances need
 * a shared store with an atomic set-if-absent (e.g. Redis `SET NX`).
 *
 * Compact, so 100 000 keys stay under 10 MB (RELIABILITY D8; a key as given, with an
 * `{ state, expiresAt }` object, took about 220 bytes each, measured in the issue 13 soak):
 * - a key is kept as the first 128 bits of its SHA-256 (22 characters), whatever the length of the
 *   event id 8x8 sends, and never a slice or concatenation that would keep a larger string alive;
 * - the value is one small integer: the expiry in whole ms from the store's creation, doubled,
 *   plus 1 when the key is done. V8 keeps 32-bit integers inline (no boxed number per entry), which
 *   this stays for about 12 days from the store's creation; later values are boxed, still correct.
 */
export class MemoryDedupeStore implements DedupeStore {
  private readonly entries = new Map<string, number>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly clock: () => number;
  /** The clock's reading at construction: expiries are stored relative to it (see above). */
  private readonly origin: number;

  constructor(options: MemoryDedupeStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 100_000;
    this.ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
    this.clock = options.clock ?? Date.now;
    this.origin = this.clock();
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
    const id = digest(key);
    const value = this.entries.get(id);
    if (value !== undefined && this.expiryOf(value) > now) return isDone(value) ? 'duplicate' : 'busy';
    this.put(id, now + leaseMs, false);
    return 'claimed';
  }

  /** See {@link DedupeStore.complete}. */
  async complete(key: string, ttlMs: number = this.ttlMs): Promise<void> {
    this.put(digest(key), this.clock() + ttlMs, true);
  }

  /** See {@link DedupeStore.release}. */
  async release(key: string): Promise<void> {
    const id = digest(key);
    const value = this.entries.get(id);
    if (value !== undefined && !isDone(value)) this.entries.delete(id);
  }

  private expiryOf(value: number): number {
    return this.origin + Math.floor(value / 2);
  }

  private put(id: string, expiresAt: number, done: boolean): void {
    // Re-inserting moves the key to the end, so the Map's order is oldest-write first.
    this.entries.delete(id);
    // Whole ms (rounded up, so nothing expires early): the parity bit needs an integer.
    this.entries.set(id, Math.ceil(expiresAt - this.origin) * 2 + (done ? 1 : 0));
    this.sweep(this.clock());
  }

  private sweep(now: number): void {
    // Drop expired keys at the old end (a bounded amount of work per write), then enforce the bound.
    for (let i = 0; i < 8; i++) {
      const oldest = this.entries.entries().next().value;
      if (!oldest || this.expiryOf(oldest[1]) > now) break;
      this.entries.delete(oldest[0]);
    }
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/** The first 128 bits of the key's SHA-256, as 22 base64url characters (a fresh flat string). */
function digest(key: string): string {
  // toString of a byte range makes a new string; slicing the full digest's string would keep it alive.
  return createHash('sha256').update(key).digest().toString('base64url', 0, 16);
}

/** True when a stored value marks a completed key. */
function isDone(value: number): boolean {
  return Math.abs(value % 2) === 1;
}
