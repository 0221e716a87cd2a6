/**
 * The webhook endpoint over real HTTP (loopback): a real express app with
 * `expressWebhook(new WebhookReceiver(...))`, pre-signed deliveries, sequential ack latency,
 * open-loop rates, and a flood of forged requests (RELIABILITY.md P1 ack part, S4, S6).
 * Loader and server share this process, so figures include the loader's own CPU.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { silentLogger } from '../src/logger';
import { expressWebhook, WebhookReceiver } from '../src/webhook';
import { createBenchKeys, messageBody, signShots, type BenchKeys, type Shot } from './support/fixtures';
import { createAgent, runClosedLoop, runOpenLoop, runSequential, type LoadResult } from './support/http-load';
import { collectGarbage, startLoadMonitor, type LoadStats } from './support/load-monitor';
import { fmt, mainIfEntry, type Row, type Section } from './support/section';
import { round } from './support/stats';

interface Rig {
  url: URL;
  keys: BenchKeys;
  /** onEvent calls so far. */
  events: { count: number };
  close(): Promise<void>;
}

async function startRig(): Promise<Rig> {
  const keys = await createBenchKeys();
  const events = { count: 0 };
  const receiver = new WebhookReceiver({ keySource: keys.keySource, logger: silentLogger, onEvent: async () => void events.count++ });
  const app = express();
  app.post('/api/8x8/webhook', expressWebhook(receiver, { logger: silentLogger }));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/8x8/webhook`);
  return {
    url,
    keys,
    events,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Distinct signed MESSAGE events (one per shot), signed now, outside any timed loop. */
function freshShots(rig: Rig, count: number, prefix: string): Promise<Shot[]> {
  const bodies = Array.from({ length: count }, (_, i) => messageBody(`ID-${prefix}-${i % 50}`, i));
  return signShots(rig.keys, bodies, { eventIdPrefix: prefix });
}

type Phase = { load: LoadResult; process: LoadStats; dispatched: number };

async function openLoopPhase(rig: Rig, rate: number, seconds: number): Promise<Phase> {
  const shots = await freshShots(rig, rate * seconds, `open${rate}`);
  const agent = createAgent(20);
  const before = rig.events.count;
  const monitor = startLoadMonitor();
  const load = await runOpenLoop(agent, rig.url, shots, rate);
  const process = monitor.stop();
  agent.destroy();
  return { load, process, dispatched: rig.events.count - before };
}

/** Forged deliveries: a tampered body, an unknown (random) kid, a garbage signature, no signature. */
function forger(valid: Shot): (i: number) => Shot {
  const tampered = Buffer.from(valid.body.toString('utf8').replace('Hello', 'Hellp'), 'utf8');
  const [, , sig] = valid.headers['x-8x8-signature']!.split('.');
  return (i) => {
    const headers = { ...valid.headers };
    switch (i % 4) {
      case 0:
        return { headers, body: tampered };
      case 1: {
        const header = { alg: 'RS256', kid: `forged-${i}`, b64: false, crit: ['b64'] };
        headers['x-8x8-signature'] = `${Buffer.from(JSON.stringify(header)).toString('base64url')}..${sig}`;
        return { headers, body: valid.body };
      }
      case 2:
        headers['x-8x8-signature'] = 'garbage..not-a-signature';
        return { headers, body: tampered };
      default:
        delete headers['x-8x8-signature'];
        return { headers, body: tampered };
    }
  };
}

const heapMb = (): number => round(process.memoryUsage().heapUsed / 1048576, 1);
const rssMb = (): number => round(process.memoryUsage.rss() / 1048576, 1);

/** A 3 s unmeasured flood first, so first-use allocations (JIT, buffers) are not counted as growth. */
async function forgedFlood(rig: Rig, seconds: number) {
  const [valid] = await freshShots(rig, 1, 'forged');
  const agent = createAgent(20);
  const next = forger(valid!);
  await runClosedLoop(agent, rig.url, next, 20, 3000, 401);
  const gcExposed = collectGarbage();
  const before = { rssMb: rssMb(), heapMb: heapMb(), events: rig.events.count, fetches: rig.keys.fetches.length };
  const monitor = startLoadMonitor();
  const load = await runClosedLoop(agent, rig.url, (i) => next(i + 1_000_000), 20, seconds * 1000, 401);
  const stats = monitor.stop();
  agent.destroy();
  collectGarbage();
  const after = { rssMb: rssMb(), heapMb: heapMb() };
  return {
    load,
    process: stats,
    gcExposed,
    rssBeforeMb: before.rssMb,
    rssAfterMb: after.rssMb,
    growthPercent: round(((after.rssMb - before.rssMb) / before.rssMb) * 100, 1),
    heapBeforeMb: before.heapMb,
    heapAfterMb: after.heapMb,
    onEventCalls: rig.events.count - before.events,
    jwkFetches: rig.keys.fetches.length - before.fetches,
  };
}

function ackRow(name: string, load: LoadResult, target?: { text: string; p99: number }): Row {
  const l = load.latencyMs;
  return {
    metric: name,
    value: `p50 ${fmt(l.p50, 'ms')}, p99 ${fmt(l.p99, 'ms')}, max ${fmt(l.max, 'ms')}; ${load.sent} sent, ${load.errors} errors, ${load.achievedRate}/s`,
    target: target?.text,
    meets: target ? l.p99 <= target.p99 && load.errors === 0 : undefined,
  };
}

function processRow(name: string, p: LoadStats): Row {
  return { metric: `${name}: event loop and memory`, value: `loop delay p99 ${fmt(p.eventLoopDelayMs.p99, 'ms')} (max ${fmt(p.eventLoopDelayMs.max, 'ms')}); RSS ${p.rssMb.start} -> ${p.rssMb.end} MB (peak ${p.rssMb.peak}); CPU ${p.cpuPercent}% of a core (machine ${p.machineBusyPercent}% busy)` };
}

/** Runs the webhook benchmarks (about 30 s). */
export async function run(): Promise<Section> {
  const rig = await startRig();
  try {
    const agent = createAgent(1);
    await runSequential(agent, rig.url, await freshShots(rig, 300, 'warmup'));
    const seqShots = await freshShots(rig, 1000, 'seq');
    const before = rig.events.count;
    const sequential = await runSequential(agent, rig.url, seqShots);
    const sequentialDispatched = rig.events.count - before;
    agent.destroy();
    const open200 = await openLoopPhase(rig, 200, 5);
    const open500 = await openLoopPhase(rig, 500, 5);
    const flood = await forgedFlood(rig, 10);
    const rows: Row[] = [
      ackRow('Sequential ack (uncontended), 332 B MESSAGE', sequential, { text: 'P1 ack p99 <= 10 ms', p99: 10 }),
      ackRow('Open loop 200 ev/s for 5 s, ack', open200.load, { text: 'P2 ack p99 <= 250 ms', p99: 250 }),
      processRow('Open loop 200 ev/s', open200.process),
      ackRow('Open loop 500 ev/s for 5 s, ack', open500.load, { text: 'P2 ack p99 <= 250 ms', p99: 250 }),
      processRow('Open loop 500 ev/s', open500.process),
      floodRow(flood),
      { metric: 'Forged flood: RSS after GC', value: `${flood.rssBeforeMb} -> ${flood.rssAfterMb} MB (${flood.growthPercent}%), peak ${flood.process.rssMb.peak} MB; heap used ${flood.heapBeforeMb} -> ${flood.heapAfterMb} MB`, target: 'S6 growth < 10%', meets: flood.growthPercent < 10 },
      { metric: 'Forged flood: onEvent calls / JWK fetches', value: `${flood.onEventCalls} / ${flood.jwkFetches} (one in four requests carried a new random kid)`, target: 'S6 relays nothing', meets: flood.onEventCalls === 0 },
      processRow('Forged flood', flood.process),
    ];
    const dispatched = { sequential: sequentialDispatched, open200: open200.dispatched, open500: open500.dispatched };
    return {
      id: 'webhook',
      title: 'Webhook endpoint over HTTP (express 5 + WebhookReceiver, loopback)',
      rows,
      figures: { sequential, open200, open500, flood, dispatched },
      notes: notes(flood, dispatched),
    };
  } finally {
    await rig.close();
  }
}

function floodRow(flood: Awaited<ReturnType<typeof forgedFlood>>): Row {
  const { load } = flood;
  return { metric: 'Forged flood 10 s (after 3 s warm-up), 20 connections, closed loop', value: `${load.sent} requests (${load.achievedRate}/s), statuses ${JSON.stringify(load.statuses)}, p99 ${fmt(load.latencyMs.p99, 'ms')}`, target: 'every one 401', meets: load.errors === 0 };
}

function notes(flood: { gcExposed: boolean; jwkFetches: number }, dispatched: Record<string, number>): string[] {
  return [
    'Deliveries are signed before each timed phase (RS256 signing is not in the loop); every delivery is a new event id, so each one is verified, de-duplicated and dispatched.',
    'Open-loop latency runs from each request\'s scheduled send time; the agent allows 20 keep-alive connections.',
    'Forged mix: 1/4 tampered body (full RS256 verify), 1/4 unknown random kid, 1/4 garbage signature, 1/4 no signature.',
    `The JWK fetch is answered in-process; ${flood.jwkFetches} fetches during the flood means ${flood.jwkFetches} calls to 8x8's key endpoint in production (unknown kids are remembered per kid, so fresh random kids each cost one fetch).`,
    `onEvent calls per phase: ${JSON.stringify(dispatched)}.`,
    flood.gcExposed ? 'RSS before/after was read after a forced full GC (--expose-gc).' : 'Run without --expose-gc: RSS before/after includes uncollected garbage.',
  ];
}

mainIfEntry(module, run);
