import fc from 'fast-check';
import { ConfigurationError } from '../../src/errors';
import { nextSlot, pruneHistory, SendPacer, type PaceLimit, type SendPacerOptions } from '../../src/handoff/pacer';

/** Lets every pending promise callback run (microtasks drain before the next macrotask). */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A fake clock whose sleeps wake in due-time order, exactly on time unless `lateBy` says otherwise. */
class FakeTime {
  now = 0;
  readonly sleeps: number[] = [];
  private timers: Array<{ at: number; seq: number; wake: () => void }> = [];
  private seq = 0;
  /** Extra lateness of the n-th sleep call (0-based); lets a test make one timer wake late. */
  lateBy: (call: number) => number = () => 0;
  /** Makes the n-th sleep call (0-based) reject when it is due. */
  failOn = -1;

  readonly clock = (): number => this.now;
  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const call = this.sleeps.push(ms) - 1;
      const wake = call === this.failOn ? () => reject(new Error('sleep failed')) : resolve;
      this.timers.push({ at: this.now + ms + this.lateBy(call), seq: this.seq++, wake });
    });

  /** Runs every timer due by `t` in order, moving the clock to each, then to `t`. */
  async advanceTo(t: number): Promise<void> {
    await flush();
    for (let next = this.due(t); next; next = this.due(t)) {
      this.timers = this.timers.filter((x) => x !== next);
      this.now = next.at;
      next.wake();
      await flush();
    }
    this.now = Math.max(this.now, t);
    await flush();
  }

  /** Runs timers until none is left. */
  async runAll(): Promise<void> {
    await flush();
    while (this.timers.length > 0) await this.advanceTo(Math.min(...this.timers.map((x) => x.at)));
  }

  private due(t: number) {
    const ready = this.timers.filter((x) => x.at <= t);
    return ready.sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
  }
}

/** A pacer on fake time, and a log of when each acquire resolved. */
function pacedHarness(options: SendPacerOptions = {}) {
  const time = new FakeTime();
  const pacer = new SendPacer({ clock: time.clock, sleep: time.sleep, ...options });
  const granted: Array<{ key: string; call: number; at: number }> = [];
  let calls = 0;
  const acquire = (key: string): Promise<void> => {
    const call = calls++;
    return pacer.acquire(key).then(() => void granted.push({ key, call, at: time.now }));
  };
  const timesOf = (key: string) => granted.filter((g) => g.key === key).map((g) => g.at);
  return { time, pacer, granted, acquire, timesOf };
}

describe('nextSlot()', () => {
  it('should return now when the history is empty', () => {
    expect(nextSlot([], 42)).toBe(42);
  });

  it('should hold the 8th send inside 1 s until the first leaves the 1 s window', () => {
    expect(nextSlot([0, 100, 200, 300, 400, 500, 600], 700)).toBe(1_000);
  });

  it('should hold the 9th send inside 2 s until the first leaves the 2 s window', () => {
    expect(nextSlot([0, 100, 200, 300, 400, 500, 600, 1_000], 1_100)).toBe(2_000);
  });

  it('should hold the 61st send inside 30 s until the first leaves the 30 s window', () => {
    const sixty = Array.from({ length: 60 }, (_, i) => i * 400);
    expect(nextSlot(sixty, 24_000)).toBe(30_000);
  });

  it('should never return a time before the last recorded send when the clock is behind it', () => {
    expect(nextSlot([500], 100)).toBe(500);
  });

  it('should honour the given limits instead of the defaults', () => {
    expect(nextSlot([10, 20], 25, [{ count: 2, windowMs: 50 }])).toBe(60);
  });
});

describe('pruneHistory()', () => {
  it('should drop sends a whole longest window old when later calls cannot need them', () => {
    expect(pruneHistory([0, 1, 29_999, 30_001], 30_001)).toEqual([29_999, 30_001]);
  });

  it('should keep at most the largest count of sends when all are recent', () => {
    const many = Array.from({ length: 100 }, (_, i) => i);
    expect(pruneHistory(many, 100)).toEqual(many.slice(40));
  });

  it('should give the same next slot as the full history when pruned', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5_000 }), { maxLength: 200 }), fc.integer({ min: 0, max: 40_000 }), (raw, gap) => {
        const history = [...raw].sort((a, b) => a - b);
        const now = (history.at(-1) ?? 0) + gap;
        expect(nextSlot(pruneHistory(history, now), now)).toBe(nextSlot(history, now));
      }),
    );
  });
});

describe('SendPacer', () => {
  describe('constructor', () => {
    it.each<[string, SendPacerOptions]>([
      ['limits', { limits: [] }],
      ['limits[0].count', { limits: [{ count: 0, windowMs: 1_000 }] }],
      ['limits[1].count', { limits: [{ count: 1, windowMs: 1_000 }, { count: 1.5, windowMs: 1_000 }] }],
      ['limits[0].windowMs', { limits: [{ count: 1, windowMs: Number.NaN }] }],
      ['limits[0].windowMs', { limits: [{ count: 1, windowMs: -5 }] }],
      ['maxKeys', { maxKeys: 0 }],
      ['clock', { clock: 'now' as unknown as () => number }],
      ['sleep', { sleep: 5 as unknown as (ms: number) => Promise<void> }],
    ])('should throw a ConfigurationError naming `%s` when it is invalid', (option, options) => {
      const attempt = () => new SendPacer(options);
      expect(attempt).toThrow(ConfigurationError);
      expect(attempt).toThrow(expect.objectContaining({ option, code: 'E_CONFIG' }));
    });
  });

  describe('#acquire()', () => {
    it('should hold the 8th send inside 1 s until 1 s after the first, and the 9th until 2 s after it', async () => {
      const h = pacedHarness();
      for (let t = 0; t <= 600; t += 100) {
        await h.time.advanceTo(t);
        void h.acquire('c');
      }
      await h.time.advanceTo(700);
      void h.acquire('c');
      await h.time.advanceTo(1_100);
      void h.acquire('c');
      await h.time.runAll();
      expect(h.timesOf('c')).toEqual([0, 100, 200, 300, 400, 500, 600, 1_000, 2_000]);
    });

    it('should hold the 61st send inside 30 s until 30 s after the first', async () => {
      const h = pacedHarness();
      for (let t = 0; t <= 24_000; t += 400) {
        await h.time.advanceTo(t);
        void h.acquire('c');
      }
      await h.time.runAll();
      expect(h.timesOf('c').slice(0, 60)).toEqual(Array.from({ length: 60 }, (_, i) => i * 400));
      expect(h.timesOf('c')[60]).toBe(30_000);
    });

    it('should serve concurrent acquires of one key in call order when a timer wakes late', async () => {
      const h = pacedHarness();
      h.time.lateBy = (call) => (call === 0 ? 5_000 : 0);
      const all = Array.from({ length: 12 }, () => h.acquire('c'));
      await h.time.runAll();
      await Promise.all(all);
      expect(h.granted.map((g) => g.call)).toEqual(Array.from({ length: 12 }, (_, i) => i));
      expect(h.timesOf('c')).toEqual([0, 0, 0, 0, 0, 0, 0, 6_000, 6_000, 6_000, 6_000, 6_000]);
    });

    it('should not let a rejected sleep hold up the next acquire of the key', async () => {
      const h = pacedHarness();
      h.time.failOn = 0;
      for (let i = 0; i < 7; i++) void h.acquire('c');
      const eighth = h.acquire('c').then(() => 'granted', (e: Error) => e.message);
      const ninth = h.acquire('c');
      await h.time.runAll();
      await expect(eighth).resolves.toBe('sleep failed');
      await ninth;
      expect(h.granted.map((g) => g.call)).toEqual([0, 1, 2, 3, 4, 5, 6, 8]);
      expect(h.timesOf('c')[7]).toBe(1_000);
    });

    it('should grant another key at once when one key is waiting', async () => {
      const h = pacedHarness();
      for (let i = 0; i < 8; i++) void h.acquire('busy');
      void h.acquire('other');
      await h.time.advanceTo(0);
      expect(h.granted.filter((g) => g.key === 'other')).toEqual([{ key: 'other', call: 8, at: 0 }]);
      expect(h.timesOf('busy')).toHaveLength(7);
    });

    it('should wait for real with the default clock and sleep', async () => {
      const pacer = new SendPacer({ limits: [{ count: 1, windowMs: 30 }] });
      const start = performance.now();
      await pacer.acquire('c');
      await pacer.acquire('c');
      expect(performance.now() - start).toBeGreaterThanOrEqual(29);
    });
  });

  describe('#size', () => {
    it('should stay at maxKeys when more keys than that are used', async () => {
      const h = pacedHarness({ maxKeys: 100 });
      for (let i = 0; i < 1_000; i++) void h.acquire(`c${i}`);
      await h.time.runAll();
      expect(h.granted).toHaveLength(1_000);
      expect(h.pacer.size).toBe(100);
    });

    it('should forget the least recently used idle key, not the oldest inserted one', async () => {
      const h = pacedHarness({ maxKeys: 2, limits: [{ count: 1, windowMs: 1_000 }] });
      void h.acquire('a');
      await h.time.advanceTo(500);
      void h.acquire('b');
      await h.time.advanceTo(1_000);
      void h.acquire('a'); // a is free again at 1000, and now the most recent key
      await h.time.advanceTo(1_001);
      void h.acquire('c'); // over maxKeys: b (last used at 500) is forgotten
      await h.time.advanceTo(1_002);
      void h.acquire('a');
      await h.time.advanceTo(1_003);
      void h.acquire('b');
      await h.time.runAll();
      expect(h.timesOf('a')).toEqual([0, 1_000, 2_000]);
      expect(h.timesOf('b')).toEqual([500, 1_003]);
    });

    it('should keep a key with a waiting acquire even when over maxKeys', async () => {
      const h = pacedHarness({ maxKeys: 1 });
      for (let i = 0; i < 8; i++) void h.acquire('a');
      void h.acquire('b');
      void h.acquire('a');
      await h.time.runAll();
      expect(h.timesOf('a').slice(7)).toEqual([1_000, 2_000]);
    });
  });
});

/** RELIABILITY O6 written out, so the default limits are checked against the spec and not against themselves. */
const O6_LIMITS: readonly PaceLimit[] = [
  { count: 7, windowMs: 1_000 },
  { count: 8, windowMs: 2_000 },
  { count: 60, windowMs: 30_000 },
];

/** Brute force, independent of nextSlot(): no window (t - windowMs, t] ending at a send holds more than `count` sends. */
function checkWindows(sends: number[], limits: readonly PaceLimit[]): void {
  for (const end of sends) {
    for (const { count, windowMs } of limits) {
      expect(sends.filter((s) => s > end - windowMs && s <= end).length).toBeLessThanOrEqual(count);
    }
  }
}

/** Each send is at its arrival (or right at the send before it), or at the very moment a window freed up. */
function checkNoNeedlessDelay(sends: number[], arrivals: number[], limits: readonly PaceLimit[]): void {
  sends.forEach((s, i) => {
    const earliest = Math.max(arrivals[i], i > 0 ? sends[i - 1] : -Infinity);
    const freedAt = limits.filter((l) => i >= l.count).map((l) => sends[i - l.count] + l.windowMs);
    expect(s).toBeGreaterThanOrEqual(earliest);
    if (s !== earliest) expect(freedAt).toContain(s);
  });
}

const KEYS = ['a', 'b', 'c'];

/** Bursts of same-key sends separated by no gap, short gaps or long ones. */
const arrivalPattern = fc.array(
  fc.record({
    gap: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 40_000 })),
    burst: fc.integer({ min: 1, max: 12 }),
    key: fc.constantFrom(...KEYS),
  }),
  { minLength: 1, maxLength: 25 },
);

/** One conversation flooded for seconds, so the 60/30 s limit binds too. */
const floodPattern = fc.array(fc.record({ gap: fc.integer({ min: 0, max: 400 }), burst: fc.integer({ min: 1, max: 8 }), key: fc.constant('a') }), {
  minLength: 10,
  maxLength: 40,
});

const anyPattern = fc.oneof(arrivalPattern, floodPattern);

const randomLimits = fc.array(fc.record({ count: fc.integer({ min: 1, max: 10 }), windowMs: fc.integer({ min: 1, max: 5_000 }) }), {
  minLength: 1,
  maxLength: 3,
});

/** Plays `pattern` on a fresh pacer and returns, per key, the arrival and grant times, after checking call order. */
async function play(pattern: Array<{ gap: number; burst: number; key: string }>, options: SendPacerOptions, lateness: number[] = [0]) {
  const h = pacedHarness(options);
  h.time.lateBy = (call) => lateness[call % lateness.length];
  const arrivals: Array<{ key: string; at: number }> = [];
  let t = 0;
  for (const { gap, burst, key } of pattern) {
    await h.time.advanceTo((t += gap));
    for (let i = 0; i < burst; i++) {
      arrivals.push({ key, at: t });
      void h.acquire(key);
    }
  }
  await h.time.runAll();
  expect(h.granted).toHaveLength(arrivals.length);
  return KEYS.map((key) => {
    const calls = h.granted.filter((g) => g.key === key).map((g) => g.call);
    expect(calls).toEqual([...calls].sort((x, y) => x - y)); // no send of a key overtakes an earlier call
    return { sends: h.timesOf(key), arrivals: arrivals.filter((a) => a.key === key).map((a) => a.at) };
  });
}

describe('SendPacer (property, RELIABILITY O6)', () => {
  it('should keep every window within its limit, send as early as allowed and keep call order, for any arrival pattern', async () => {
    await fc.assert(
      fc.asyncProperty(anyPattern, fc.option(randomLimits, { nil: undefined }), async (pattern, limits) => {
        for (const { sends, arrivals } of await play(pattern, { limits })) {
          checkWindows(sends, limits ?? O6_LIMITS);
          checkNoNeedlessDelay(sends, arrivals, limits ?? O6_LIMITS);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('should keep every window within its limit and keep call order when timers wake late', async () => {
    const lateness = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3_000 })), { minLength: 1, maxLength: 10 });
    await fc.assert(
      fc.asyncProperty(anyPattern, lateness, async (pattern, late) => {
        for (const { sends } of await play(pattern, {}, late)) checkWindows(sends, O6_LIMITS);
      }),
      { numRuns: 100 },
    );
  });
});
