/**
 * Process figures during a load phase: event-loop delay (perf_hooks histogram), RSS sampled every
 * 100 ms, heap, and this process's CPU use. Start before the phase, stop after it.
 */
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { round } from './stats';

/** What {@link startLoadMonitor} reports. */
export interface LoadStats {
  eventLoopDelayMs: { mean: number; p50: number; p99: number; max: number };
  rssMb: { start: number; end: number; peak: number };
  heapUsedMb: { start: number; end: number };
  /** Process CPU time over wall time, in percent of one core (200% = both cores of this machine). */
  cpuPercent: number;
  /** Busy time of all cores over the phase, in percent of the whole machine: what every process used. */
  machineBusyPercent: number;
}

function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
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
  const machineStart = cpuTimes();
  const wallStart = process.hrtime.bigint();
  return {
    stop() {
      histogram.disable();
      clearInterval(sampler);
      const cpu = process.cpuUsage(cpuStart);
      const machine = cpuTimes();
      const machineTotal = machine.total - machineStart.total;
      const wallUs = Number(process.hrtime.bigint() - wallStart) / 1e3;
      const rssEnd = process.memoryUsage.rss();
      const ms = (ns: number): number => round(ns / 1e6, 2);
      return {
        eventLoopDelayMs: { mean: ms(histogram.mean), p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) },
        rssMb: { start: mb(rssStart), end: mb(rssEnd), peak: mb(Math.max(peak, rssEnd)) },
        heapUsedMb: { start: mb(heapStart), end: mb(process.memoryUsage().heapUsed) },
        cpuPercent: Math.round(((cpu.user + cpu.system) / wallUs) * 100),
        machineBusyPercent: machineTotal > 0 ? Math.round(((machine.busy - machineStart.busy) / machineTotal) * 100) : Number.NaN,
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
