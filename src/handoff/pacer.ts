/**
 * A per-conversation pacer for Bot Framework sends (RELIABILITY O6). Bot Framework channels
 * throttle each conversation with sliding windows and answer a burst with 429s; botbuilder does
 * not retry a 429 without Retry-After, so an agent pasting five lines could lose some. Spacing
 * sends in front of the connector keeps every window under its limit for any arrival pattern.
 */
import { ConfigurationError } from '../errors';
import { realScheduler, sleep } from '../time';

/** One sliding-window limit: at most `count` sends in any `windowMs` milliseconds. */
export interface PaceLimit {
  /** Sends allowed in one window; a positive integer. */
  count: number;
  /** Window length in milliseconds; positive and finite. */
  windowMs: number;
}

/**
 * The short per-conversation windows of Microsoft Teams (7 in 1 s, 8 in 2 s, 60 in 30 s): the
 * {@link SendPacer} default. The middleware paces by channel instead (`channel-pacing.ts`,
 * `TEAMS_LIMITS` adds the hourly cap).
 */
export const BOT_FRAMEWORK_LIMITS: readonly PaceLimit[] = Object.freeze([
  Object.freeze({ count: 7, windowMs: 1_000 }),
  Object.freeze({ count: 8, windowMs: 2_000 }),
  Object.freeze({ count: 60, windowMs: 30_000 }),
]);

/**
 * The earliest time `t >= now` (and not before the last recorded send, so sends stay in order)
 * at which one more send fits every limit. A window is half-open: a send at `t` shares a window
 * with earlier sends after `t - windowMs`, so the send `count` places back must be at or before
 * `t - windowMs`.
 *
 * @param history - Times of earlier sends of one key, ascending (as {@link SendPacer} keeps them).
 * @param now - The current time, in the same unit and clock as `history`.
 * @param limits - The limits to honour; default {@link BOT_FRAMEWORK_LIMITS}.
 */
export function nextSlot(history: readonly number[], now: number, limits: readonly PaceLimit[] = BOT_FRAMEWORK_LIMITS): number {
  let slot = history.length > 0 ? Math.max(now, history[history.length - 1]) : now;
  for (const { count, windowMs } of limits) {
    // Only the send `count` places back can hold the window full; earlier ones are older still.
    if (history.length >= count) slot = Math.max(slot, history[history.length - count] + windowMs);
  }
  return slot;
}

/**
 * Drops the send times no future {@link nextSlot} call (with a time `>= now`) can need: those a
 * whole longest window old, and all but the last `max(count)`. Returns a new array.
 */
export function pruneHistory(history: readonly number[], now: number, limits: readonly PaceLimit[] = BOT_FRAMEWORK_LIMITS): number[] {
  const longest = Math.max(...limits.map((l) => l.windowMs));
  const keep = Math.max(...limits.map((l) => l.count));
  return history.slice(-keep).filter((t) => t > now - longest);
}

/** Options of {@link SendPacer}. */
export interface SendPacerOptions {
  /** The sliding-window limits per key. Default {@link BOT_FRAMEWORK_LIMITS} (7/1 s, 8/2 s, 60/30 s). */
  limits?: readonly PaceLimit[];
  /** Milliseconds from a fixed origin. Default `performance.now()`, monotonic so wall-clock jumps do not open or shut windows. */
  clock?: () => number;
  /** Waits `ms` milliseconds (may be fractional). Default a `setTimeout` rounded up to whole milliseconds. */
  sleep?: (ms: number) => Promise<void>;
  /** Keys (conversations) remembered at once; the least recently used idle one is forgotten beyond it. Default 10 000. */
  maxKeys?: number;
}

/** {@link SendPacerOptions} with every default filled in. */
export type ResolvedSendPacerOptions = Required<SendPacerOptions>;

/** Fills in the defaults of {@link SendPacerOptions} and rejects bad values with a {@link ConfigurationError}. */
export function resolveSendPacerOptions(options: SendPacerOptions = {}): ResolvedSendPacerOptions {
  const limits = options.limits ?? BOT_FRAMEWORK_LIMITS;
  if (!Array.isArray(limits) || limits.length === 0) {
    throw new ConfigurationError('limits', 'must be a non-empty array', 'Pass e.g. [{ count: 7, windowMs: 1000 }] or leave it out for the Bot Framework limits.');
  }
  limits.forEach((limit: PaceLimit, i) => {
    if (!Number.isSafeInteger(limit?.count) || limit.count < 1) {
      throw new ConfigurationError(`limits[${i}].count`, `must be a positive integer, got ${String(limit?.count)}`, 'Give the sends allowed per window, e.g. 7.');
    }
    if (typeof limit.windowMs !== 'number' || !Number.isFinite(limit.windowMs) || limit.windowMs <= 0) {
      throw new ConfigurationError(`limits[${i}].windowMs`, `must be a positive finite number, got ${String(limit.windowMs)}`, 'Give the window length in milliseconds, e.g. 1000.');
    }
  });
  const maxKeys = options.maxKeys ?? 10_000;
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) {
    throw new ConfigurationError('maxKeys', `must be a positive integer, got ${String(maxKeys)}`, 'Leave it out for 10000, or give the number of conversations to remember.');
  }
  for (const name of ['clock', 'sleep'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw new ConfigurationError(name, 'must be a function', `Leave \`${name}\` out for the real one; pass a function only to fake time in tests.`);
    }
  }
  return {
    limits: limits.map((l) => ({ count: l.count, windowMs: l.windowMs })),
    clock: options.clock ?? (() => performance.now()),
    sleep: options.sleep ?? ((ms) => sleep(realScheduler, Math.ceil(ms))),
    maxKeys,
  };
}

/** What the pacer remembers per key. */
interface KeyState {
  /** Recent grant times, ascending, pruned to what {@link nextSlot} can still need. */
  history: number[];
  /** Settles when the last queued acquire of this key is done; the next one chains onto it. */
  tail: Promise<void>;
  /** Acquires queued or waiting; a busy key is never forgotten, or its order and windows would reset. */
  pending: number;
}

/**
 * Paces sends per key (one key per conversation). `acquire(key)` resolves when one more send of
 * that key fits every window, and counts the send then. Callers of one key are served in call
 * order, so messages keep their order; keys never wait for each other.
 *
 * @example
 * const pacer = new SendPacer();
 * await pacer.acquire(conversationId);
 * await adapter.continueConversationAsync(appId, reference, (ctx) => ctx.sendActivity(text));
 */
export class SendPacer {
  private readonly options: ResolvedSendPacerOptions;
  /** Insertion order is recency order: a touched key is moved to the end. */
  private readonly keys = new Map<string, KeyState>();

  /** @throws {@link ConfigurationError} when an option is invalid, naming it. */
  constructor(options: SendPacerOptions = {}) {
    this.options = resolveSendPacerOptions(options);
  }

  /** The number of keys remembered now; at most `maxKeys` plus keys busy with a waiting acquire. */
  get size(): number {
    return this.keys.size;
  }

  /**
   * Waits (with the injected `sleep`) until one more send of `key` fits every limit and after
   * every earlier `acquire` of that key, then records the send. Rejects only if `sleep` does; a
   * rejected acquire is not counted and does not hold up the next one.
   */
  acquire(key: string): Promise<void> {
    const state = this.enter(key);
    const turn = state.tail.then(() => this.waitForSlot(state));
    state.tail = turn.then(
      () => this.release(state),
      () => this.release(state),
    );
    return turn;
  }

  /** Sleeps until the key's next slot, re-checking after each sleep because timers may wake early. */
  private async waitForSlot(state: KeyState): Promise<void> {
    const { clock, sleep, limits } = this.options;
    for (;;) {
      const now = clock();
      const slot = nextSlot(state.history, now, limits);
      if (slot <= now) {
        state.history = pruneHistory([...state.history, now], now, limits);
        return;
      }
      await sleep(slot - now);
    }
  }

  /** Marks one acquire done; a burst of new keys may have outgrown `maxKeys` while all were busy. */
  private release(state: KeyState): void {
    state.pending -= 1;
    if (this.keys.size > this.options.maxKeys) this.evictIdle();
  }

  /**
   * Returns the key's state marked busy and most recently used, then forgets idle keys over
   * `maxKeys`. Marking it busy first keeps this key from being the one forgotten.
   */
  private enter(key: string): KeyState {
    let state = this.keys.get(key);
    if (state) this.keys.delete(key);
    state ??= { history: [], tail: Promise.resolve(), pending: 0 };
    state.pending += 1;
    this.keys.set(key, state);
    if (this.keys.size > this.options.maxKeys) this.evictIdle();
    return state;
  }

  /** Forgets least recently used idle keys until within `maxKeys`; busy keys are skipped, not dropped. */
  private evictIdle(): void {
    for (const [key, state] of this.keys) {
      if (this.keys.size <= this.options.maxKeys) return;
      if (state.pending === 0) this.keys.delete(key);
    }
  }
}
