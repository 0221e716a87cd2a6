/**
 * Process figures during a load phase: event-loop delay (perf_hooks histogram), RSS sampled every
 * 100 ms, heap, and this process's CPU use. Start before the phase, stop after it.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { round } from './stats';

/** What {@link startLoadMonitor} reports. */
export interface LoadStats {
  eventLoopDelayMs: { mean: number; p50: number; p99: number; max: number };
  rssMb: { start: number; end: number; peak: number };
  heapUsedMb: { start: number; end: number };
  /** Process CPU time over wall time, in percent of one core (200% = both cores of this machine). */
  cpuPercent: number;
}

const mb = (bytes: number): number => round(bytes / 1024 / 1024, 1);

/** Starts sampling; call `stop()` at the end of the phase. */
export function startLoadMonitor(): { stop(): LoadStats } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const rssStart = process.memoryUsage.rss();
  const heapStart = process.memoryUsage().heapUsed;
  let peak = rssStart;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100);
  const cpuStart = process.cpuUsage();
  const wallStart = process.hrtime.bigint();
  return {
    stop() {
      histogram.disable();
      clearInterval(sampler);
      const cpu = process.cpuUsage(cpuStart);
      const wallUs = Number(process.hrtime.bigint() - wallStart) / 1e3;
      const rssEnd = process.memoryUsage.rss();
      const ms = (ns: number): number => round(ns / 1e6, 2);
      return {
        eventLoopDelayMs: { mean: ms(histogram.mean), p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) },
        rssMb: { start: mb(rssStart), end: mb(rssEnd), peak: mb(Math.max(peak, rssEnd)) },
        heapUsedMb: { start: mb(heapStart), end: mb(process.memoryUsage().heapUsed) },
        cpuPercent: Math.round(((cpu.user + cpu.system) / wallUs) * 100),
      };
    },
  };
}

/** Runs a full GC when the process was started with `--expose-gc`; reports whether it could. */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  gc();
  gc();
  return true;
}
