/**
 * The soak's memory figures (issue 13): where the bot process's resident memory is, read in the
 * bot (scripts/soak-bot.ts, GET /soak-memory) and sampled over the run by scripts/soak.ts.
 *
 * RSS alone cannot say whose memory grows, so each reading splits it the way Node can:
 * - `heapTotalMb`: the V8 heap as reserved (what V8 asked the OS for), of which `heapUsedMb` is live
 *   objects and garbage not yet collected;
 * - `externalMb`: memory V8 objects hold outside the heap (Buffers and ArrayBuffers: `arrayBuffersMb`);
 * - `nativeMb`: the rest (rss - heapTotal - external): Node's and V8's own allocations, the
 *   allocator's free-but-kept pages, thread stacks and the mapped binary.
 *
 * What the soak judges is {@link retainedMemory}, not RSS: under this load most of RSS is V8's
 * heap reserve, which follows the allocation rate, not what the process keeps (see its comment).
 */
import v8 from 'node:v8';

const MB = 1024 * 1024;
const round = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

/** One reading of `process.memoryUsage()`, in MB, with the native remainder. */
export interface MemoryBreakdown {
  rssMb: number;
  heapTotalMb: number;
  heapUsedMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  /** rss - heapTotal - external: memory neither the V8 heap nor Buffers account for. */
  nativeMb: number;
}

/** The current breakdown. */
export function memoryBreakdown(): MemoryBreakdown {
  const m = process.memoryUsage();
  return {
    rssMb: round(m.rss),
    heapTotalMb: round(m.heapTotal),
    heapUsedMb: round(m.heapUsed),
    externalMb: round(m.external),
    arrayBuffersMb: round(m.arrayBuffers),
    nativeMb: round(m.rss - m.heapTotal - m.external),
  };
}

/** Reserved and used MB of each V8 heap space (new, old, code, large objects...). */
export function heapSpaces(): Record<string, { sizeMb: number; usedMb: number }> {
  return Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, { sizeMb: round(s.space_size), usedMb: round(s.space_used_size) }]));
}

/** What GET /soak-memory answers. */
export interface MemoryReading {
  memory: MemoryBreakdown;
  /** The same right after a full collection (only when the bot runs with `--expose-gc` and `?gc=1` asked for it). */
  afterGc?: MemoryBreakdown;
  spaces: Record<string, { sizeMb: number; usedMb: number }>;
  /** The bot's MemoryStorage: keys (deleted ones included: MemoryStorage keeps them as undefined), live keys, MB of JSON held. */
  storage: { keys: number; liveKeys: number; jsonMb: number };
  /** Event ids the webhook dedupe store holds (bounded: `maxEntries`, 100 000 by default). */
  dedupeKeys: number;
}

/** One sample of the run, as soak.ts keeps it. */
export interface MemorySample extends MemoryBreakdown {
  /** Seconds since the load started (warm-up included). */
  atS: number;
  phase: 'warmup' | 'load' | 'drain' | 'end';
  afterGc?: MemoryBreakdown;
  /** Reserved and used MB of each V8 heap space (before any collection the sample asked for). */
  spaces: MemoryReading['spaces'];
  storageKeys: number;
  storageJsonMb: number;
  dedupeKeys: number;
}

/**
 * Memory the process keeps, from a reading with `afterGc`: the live heap (heapUsed right after a
 * full collection), Buffers (external, after it) and native memory (read just before it: V8 hands
 * the pages it freed back to the OS on a background thread, so an RSS read right after the
 * collection still counts them while heapTotal no longer does). A leak of ours grows one of these.
 *
 * Why not RSS: RSS is mostly the V8 heap as reserved (heapTotal), and V8 sizes that from the live
 * heap and the allocation rate, growing it while garbage piles up between collections (up to ~170
 * MB of it at 200 events/s). In the soak's 180-second runs at 200 events/s (issue 13), with the
 * webhook dedupe store held at 5 000 keys, the live heap after a full collection stayed at 61-63 MB,
 * Buffers at 9 MB and native memory at 108 MB, while RSS rose 358 -> 415 MB with heapTotal (forced
 * collections every 15 s: RSS swung 234-384 MB with no trend). So RSS growth mostly measures V8's
 * heap sizing, and the retained figure measures what a leak would grow.
 * Undefined when the reading has no `afterGc` (the bot runs without --expose-gc).
 */
export function retainedMemory(reading: Pick<MemoryReading, 'memory' | 'afterGc'>): { totalMb: number; liveHeapMb: number; externalMb: number; nativeMb: number; v8ReserveMb: number } | undefined {
  const { memory, afterGc } = reading;
  if (!afterGc) return undefined;
  const r = (mb: number) => Math.round(mb * 10) / 10;
  return {
    totalMb: r(afterGc.heapUsedMb + afterGc.externalMb + memory.nativeMb),
    liveHeapMb: afterGc.heapUsedMb,
    externalMb: afterGc.externalMb,
    nativeMb: memory.nativeMb,
    v8ReserveMb: r(memory.heapTotalMb - afterGc.heapUsedMb),
  };
}

/** The figure `pick` reads from `samples` (those without it skipped): first, last, largest, and last minus first. */
export function memoryTrend(samples: readonly MemorySample[], pick: (s: MemorySample) => number | undefined): { first: number; last: number; max: number; change: number } | undefined {
  const values = samples.map(pick).filter((v): v is number => v !== undefined);
  if (!values.length) return undefined;
  const first = values[0]!;
  const last = values.at(-1)!;
  return { first, last, max: Math.max(...values), change: Math.round((last - first) * 10) / 10 };
}
