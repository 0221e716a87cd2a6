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

/** `memory` figures of `samples` from `from` on: first, last, change, and the largest of each. */
export function memoryTrend(samples: readonly MemorySample[], pick: (s: MemorySample) => number | undefined): { first: number; last: number; max: number; change: number } | undefined {
  const values = samples.map(pick).filter((v): v is number => v !== undefined);
  if (!values.length) return undefined;
  const first = values[0]!;
  const last = values.at(-1)!;
  return { first, last, max: Math.max(...values), change: Math.round((last - first) * 10) / 10 };
}
