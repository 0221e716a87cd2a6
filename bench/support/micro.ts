/**
 * A time-boxed micro-benchmark loop: warm up, then time batches of calls until the time box is
 * spent. Per-operation cost is the batch time divided by the batch size, so operations far below
 * the timer's resolution (CRC32 of 332 B) are still measured honestly; p99 is over batches.
 */
import { round, summarize } from './stats';

/** What one micro-benchmark reports. Times are in microseconds per operation. */
export interface MicroResult {
  name: string;
  ops: number;
  opsPerSec: number;
  meanUs: number;
  /** CPU time (user + system) of this process per operation: less sensitive to other processes. */
  cpuUs: number;
  p50Us: number;
  p99Us: number;
  batch: number;
}

/** Options of {@link microBench}. */
export interface MicroOptions {
  /** Calls per timed batch. Default 1 (each call timed alone). */
  batch?: number;
  /** Time box of the measured phase. Default 1 500 ms. */
  timeMs?: number;
  /** Time box of the warm-up. Default 300 ms. */
  warmupMs?: number;
}

/** Runs `fn` (sync or async) repeatedly and reports its per-operation cost. */
export async function microBench(name: string, fn: () => unknown, options: MicroOptions = {}): Promise<MicroResult> {
  const batch = options.batch ?? 1;
  await loop(fn, batch, options.warmupMs ?? 300);
  const cpuBefore = process.cpuUsage();
  const perOp = await loop(fn, batch, options.timeMs ?? 1500);
  const cpu = process.cpuUsage(cpuBefore);
  const s = summarize(perOp);
  const totalUs = perOp.reduce((sum, v) => sum + v, 0) * batch;
  const ops = perOp.length * batch;
  const cpuUs = round((cpu.user + cpu.system) / ops, 4);
  return { name, ops, opsPerSec: Math.round(ops / (totalUs / 1e6)), meanUs: s.mean, cpuUs, p50Us: s.p50, p99Us: s.p99, batch };
}

async function loop(fn: () => unknown, batch: number, timeMs: number): Promise<number[]> {
  const samples: number[] = [];
  const end = process.hrtime.bigint() + BigInt(Math.round(timeMs * 1e6));
  for (;;) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) {
      const result = fn();
      if (result instanceof Promise) await result;
    }
    const stop = process.hrtime.bigint();
    samples.push(round(Number(stop - start) / 1e3 / batch, 4));
    if (stop >= end) return samples;
  }
}
