/**
 * A small HTTP load generator for loopback benchmarks: sequential, open-loop (fixed arrival rate,
 * latency measured from each request's scheduled time, so a slow server cannot hide its queue)
 * and closed-loop (fixed concurrency, as fast as possible). Keep-alive sockets, bounded by the agent.
 */
import http from 'node:http';
import type { Shot } from './fixtures';
import { nowMs, round, summarize, type Summary } from './stats';

/** One response. `status` 0 means a network error. */
export interface Reply {
  status: number;
  body: string;
}

/** What a load phase observed. Latencies are in ms. */
export interface LoadResult {
  sent: number;
  statuses: Record<string, number>;
  /** Network errors plus responses other than `expectStatus`. */
  errors: number;
  latencyMs: Summary;
  durationMs: number;
  /** Requests completed per second of the phase. */
  achievedRate: number;
}

/** A keep-alive agent with at most `maxSockets` concurrent connections (the in-flight bound). */
export function createAgent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets });
}

/** POSTs one shot; resolves (never rejects) with the status and body. */
export function post(agent: http.Agent, url: URL, shot: Shot): Promise<Reply> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', agent, headers: { ...shot.headers, 'content-length': String(shot.body.length) } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve({ status: 0, body: '' }));
    });
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end(shot.body);
  });
}

/** Options of {@link runSequential} and {@link runOpenLoop}. */
export interface PhaseOptions {
  /** The status that counts as success. Default 200. */
  expectStatus?: number;
  /** Filled with each shot's start time (ms, {@link nowMs} clock): actual or scheduled. */
  starts?: number[];
  /** Sequential only: awaited after each answer, before the next request (e.g. wait for a relay). */
  afterEach?: (index: number) => Promise<void>;
}

class Tally {
  readonly latencies: number[] = [];
  readonly statuses: Record<string, number> = {};
  errors = 0;
  constructor(private readonly expectStatus: number) {}
  add(reply: Reply, latencyMs: number): void {
    this.latencies.push(latencyMs);
    this.statuses[reply.status] = (this.statuses[reply.status] ?? 0) + 1;
    if (reply.status !== this.expectStatus) this.errors++;
  }
  result(durationMs: number): LoadResult {
    const sent = this.latencies.length;
    return { sent, statuses: this.statuses, errors: this.errors, latencyMs: summarize(this.latencies), durationMs: round(durationMs, 1), achievedRate: Math.round((sent / durationMs) * 1000) };
  }
}

/** Sends the shots one after another, each after the previous answer. */
export async function runSequential(agent: http.Agent, url: URL, shots: readonly Shot[], options: PhaseOptions = {}): Promise<LoadResult> {
  const tally = new Tally(options.expectStatus ?? 200);
  const start = nowMs();
  for (let i = 0; i < shots.length; i++) {
    const t0 = nowMs();
    if (options.starts) options.starts[i] = t0;
    tally.add(await post(agent, url, shots[i]!), nowMs() - t0);
    await options.afterEach?.(i);
  }
  return tally.result(nowMs() - start);
}

/**
 * Sends all shots at `rate` per second (open loop). Latency runs from the scheduled send time,
 * so time spent waiting for a free socket counts (no coordinated omission).
 */
export async function runOpenLoop(agent: http.Agent, url: URL, shots: readonly Shot[], rate: number, options: PhaseOptions = {}): Promise<LoadResult> {
  const tally = new Tally(options.expectStatus ?? 200);
  const start = nowMs();
  const pending: Promise<void>[] = [];
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(shots.length, Math.floor(((nowMs() - start) * rate) / 1000) + 1);
      for (; next < due; next++) {
        const scheduled = start + (next * 1000) / rate;
        if (options.starts) options.starts[next] = scheduled;
        pending.push(post(agent, url, shots[next]!).then((reply) => tally.add(reply, nowMs() - scheduled)));
      }
      if (next < shots.length) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  await Promise.all(pending);
  return tally.result(nowMs() - start);
}

/** Keeps `concurrency` requests in flight for `durationMs`, taking shots from `nextShot`. */
export async function runClosedLoop(agent: http.Agent, url: URL, nextShot: (i: number) => Shot, concurrency: number, durationMs: number, expectStatus: number): Promise<LoadResult> {
  const tally = new Tally(expectStatus);
  const start = nowMs();
  let i = 0;
  const worker = async (): Promise<void> => {
    while (nowMs() - start < durationMs) {
      const t0 = nowMs();
      tally.add(await post(agent, url, nextShot(i++)), nowMs() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return tally.result(nowMs() - start);
}
