/**
 * A small per-key cache of async answers with a time to live, sharing one in-flight request per
 * key so a burst of escalations makes one call to 8x8, not one each.
 */

/** Caches `load(key)` for `ttlMs` by the injected clock. Failures are not cached. */
export class TtlCache<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();
  private readonly pending = new Map<string, Promise<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: () => number,
  ) {}

  /** The cached value for `key`, or the result of `load` (also cached when it succeeds). */
  async get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.until > this.clock()) return hit.value;
    let inFlight = this.pending.get(key);
    if (!inFlight) {
      inFlight = load()
        .then((value) => {
          this.entries.set(key, { value, until: this.clock() + this.ttlMs });
          return value;
        })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, inFlight);
    }
    return inFlight;
  }
}
