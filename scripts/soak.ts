/**
 * `npm run soak`: a long run of one bot process (scripts/soak-bot.ts) against the emulator with
 * random faults (RELIABILITY P2, P3; issue 13). Agent messages arrive by webhook at `--rate` events
 * per second over `--conversations` connected handoffs, users write at a twentieth of that rate,
 * and the emulator injects faults: 8x8 API errors (500, 503, 429) on the bot's sends, webhook
 * delivery jitter, and bursts of duplicate deliveries. After the run it waits for the relay to
 * drain, then reports delivered, lost and duplicated messages both ways, webhook ack and relay
 * p99, event-loop delay, retained memory and RSS growth after warm-up (scripts/soak-memory.ts),
 * active handles and unhandled rejections, and
 * writes them to `--out` (JSON) and the same path with `.md`.
 *
 *   npm run soak                          # 180 s at 200 events/s (the default)
 *   npm run soak -- --seconds 600         # the issue's 10-minute run
 *   SOAK_SECONDS=60 npm run soak          # the CI variant
 *
 * Options (flag or environment): --seconds/SOAK_SECONDS (180), --rate/SOAK_RATE (200),
 * --conversations/SOAK_CONVERSATIONS (100), --warmup/SOAK_WARMUP_SECONDS (20),
 * --out/SOAK_OUT (artifacts/soak.json), --sample-seconds/SOAK_SAMPLE_SECONDS (15: how often the bot's
 * memory breakdown is sampled, see scripts/soak-memory.ts), --bot-flags/SOAK_BOT_FLAGS (node flags
 * for the bot process, e.g. "--max-semi-space-size=64"), --gc/SOAK_GC (0; 1 also takes every
 * sample right after a full collection; by default only the warm-up mark and the end force one).
 * The bot always runs with --expose-gc, for those collections. Exit code 0 when the run completed, whatever it measured
 * (the verdict is in the report); 1 when the harness itself failed, or, with SOAK_STRICT=1 (CI),
 * when a message was lost, duplicated or unaccounted or a promise rejection went unhandled.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startEmulator, type Emulator } from '../src/emulator';
import { memoryTrend, retainedMemory, type MemoryReading, type MemorySample } from './soak-memory';

const ROOT = path.resolve(__dirname, '..');

function option(flag: string, envName: string, fallback: string): string {
  const i = process.argv.indexOf(`--${flag}`);
  if (i > 0 && process.argv[i + 1]) return process.argv[i + 1]!;
  const inline = process.argv.find((a) => a.startsWith(`--${flag}=`));
  if (inline) return inline.slice(flag.length + 3);
  return process.env[envName] || fallback;
}

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`soak: --${name} must be a positive number, got "${text}"`);
  return value;
}

const SECONDS = positive('seconds', option('seconds', 'SOAK_SECONDS', '180'));
const RATE = positive('rate', option('rate', 'SOAK_RATE', '200'));
const CONVERSATIONS = Math.floor(positive('conversations', option('conversations', 'SOAK_CONVERSATIONS', '100')));
const WARMUP = positive('warmup', option('warmup', 'SOAK_WARMUP_SECONDS', String(Math.min(20, Math.ceil(SECONDS / 4)))));
const SAMPLE_SECONDS = positive('sample-seconds', option('sample-seconds', 'SOAK_SAMPLE_SECONDS', '15'));
const BOT_FLAGS = option('bot-flags', 'SOAK_BOT_FLAGS', '').split(/\s+/).filter(Boolean);
const GC = option('gc', 'SOAK_GC', '0') === '1';
const OUT = path.resolve(ROOT, option('out', 'SOAK_OUT', 'artifacts/soak.json'));
const NOT_DELIVERED = 'Sorry, your last message could not be delivered to the agent. Please send it again.';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.now();

async function eventually(check: () => boolean, what: string, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) {
      console.error(`soak: gave up waiting for ${what} after ${timeoutMs} ms`);
      return false;
    }
    await pause(100);
  }
  return true;
}

function percentile(sorted: number[], p: number): number | null {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : null;
}

/** The channel's side: counts every agent message (text `s:<seq>`) a user received, and when. */
function startConnector(capacity: number) {
  const counts = new Uint16Array(capacity);
  const firstAt = new Float64Array(capacity);
  const notDeliveredBy = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const conversation = /\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '')?.[1] ?? '';
      try {
        const activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text?: string };
        const seq = /^s:(\d+)$/.exec(activity.text ?? '')?.[1];
        if (seq !== undefined) {
          const n = Number(seq);
          if (counts[n] === 0) firstAt[n] = now();
          counts[n] = counts[n]! + 1;
        }
        if (activity.text === NOT_DELIVERED) notDeliveredBy.set(conversation, (notDeliveredBy.get(conversation) ?? 0) + 1);
      } catch {
        // not JSON: not ours to count
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'soak' }));
    });
  });
  return { server, counts, firstAt, notDeliveredBy };
}

function startBot(env: Record<string, string>): Promise<{ child: ChildProcessWithoutNullStreams; url: string }> {
  const child = spawn(process.execPath, [...BOT_FLAGS, '--expose-gc', '-r', 'ts-node/register/transpile-only', 'scripts/soak-bot.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: 'silent', TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => void (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const port = /ready (\d+)/.exec(out)?.[1];
      if (port) resolve({ child, url: `http://127.0.0.1:${port}` });
    });
    child.once('exit', (code) => reject(new Error(`soak-bot exited with ${String(code)}: ${err}`)));
  });
}

/**
 * Forwards 8x8's webhooks to the bot once it is up (the emulator needs a URL before the bot
 * exists), noting which agent messages the bot acknowledged with a 2xx: those it must deliver.
 */
function forwarder(target: () => string, acked: Uint8Array, arrivedAt: Float64Array) {
  return http.createServer((req, res) => {
    const arrived = now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const upstream = http.request(`${target()}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (answer) => {
        const seq = /"text":"s:(\d+)"/.exec(Buffer.concat(chunks).toString('utf8'))?.[1];
        if (seq !== undefined && (answer.statusCode ?? 500) < 300 && !acked[Number(seq)]) {
          acked[Number(seq)] = 1;
          arrivedAt[Number(seq)] = arrived;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => void (res.headersSent || res.writeHead(502).end()));
      upstream.end(Buffer.concat(chunks));
    });
  });
}

type BotStats = { acks: number; ackP50Ms: number | null; ackP99Ms: number | null; ackMaxMs: number | null; eventLoopDelayP99Ms: number; eventLoopDelayMaxMs: number; rssMb: number; heapUsedMb: number; activeHandles: number; handleTypes: Record<string, number>; unhandledRejections: number; errors: Record<string, number> };

async function botStats(url: string, reset = false): Promise<BotStats> {
  return (await (await fetch(`${url}/soak-stats${reset ? '?reset=1' : ''}`)).json()) as BotStats;
}

/** The bot's memory; with `gc`, also right after a full collection. */
async function botMemory(url: string, gc = GC): Promise<MemoryReading> {
  return (await (await fetch(`${url}/soak-memory${gc ? '?gc=1' : ''}`)).json()) as MemoryReading;
}

/**
 * Samples the bot's memory every `everyS` seconds from now on, tagged with the run's phase, so the
 * report can say which part of RSS grew (scripts/soak-memory.ts). A failed sample is skipped.
 */
function memorySampler(url: string, everyS: number) {
  const start = now();
  const samples: MemorySample[] = [];
  let phase: MemorySample['phase'] = 'warmup';
  const take = async (): Promise<void> => {
    const reading = await botMemory(url).catch(() => undefined);
    if (!reading) return;
    samples.push({ atS: Math.round((now() - start) / 1000), phase, ...reading.memory, afterGc: reading.afterGc, spaces: reading.spaces, storageKeys: reading.storage.keys, storageJsonMb: reading.storage.jsonMb, dedupeKeys: reading.dedupeKeys });
  };
  const timer = setInterval(() => void take(), everyS * 1000);
  return {
    samples,
    phase: (next: MemorySample['phase']) => void (phase = next),
    /** Takes a last sample (phase `end`) and stops. */
    stop: async (): Promise<void> => {
      clearInterval(timer);
      phase = 'end';
      await take();
    },
  };
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const capacity = Math.ceil(RATE * (SECONDS + WARMUP) * 1.1) + 10;
  const connector = startConnector(capacity);
  const connectorUrl = await listen(connector.server);
  let botUrl = '';
  const acked = new Uint8Array(capacity);
  const arrivedAt = new Float64Array(capacity);
  const forward = forwarder(() => botUrl, acked, arrivedAt);
  const forwardUrl = await listen(forward);
  const emulator: Emulator = await startEmulator({ port: 0, webhookUrl: `${forwardUrl}/api/8x8/webhook`, delivery: { baseDelayMs: 200, retries: 6, timeoutMs: 10_000 } });
  const bot = await startBot({ EMULATOR_URL: emulator.url, CHANNEL_ID: emulator.channelId });
  botUrl = bot.url;
  const sentAt = new Float64Array(capacity);
  const userOutcome = { sent: 0, failedPosts: 0 };
  const userTexts: Array<{ c: number; text: string }> = [];

  const userSays = async (c: number, text: string): Promise<void> => {
    const activity = {
      type: 'message', id: `soak-${c}-${text}`, text, channelId: 'webchat', serviceUrl: connectorUrl, locale: 'en-US',
      from: { id: `soak-user-${c}`, name: `User ${c}` }, recipient: { id: 'bot', name: 'Bot' }, conversation: { id: `soak-${c}` },
    };
    const res = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) }).catch(() => undefined);
    if (!res || res.status !== 200) userOutcome.failedPosts++;
  };

  try {
    console.log(`soak: ${SECONDS} s at ${RATE} agent events/s over ${CONVERSATIONS} conversations (warm-up ${WARMUP} s), faults on`);
    const agent = emulator.agent('agent-1');
    const gateway: string[] = [];
    for (let c = 0; c < CONVERSATIONS; c++) {
      await userSays(c, 'agent');
      const conversation = await emulator.waitForConversation((x) => x.user.userId === `soak-user-${c}`, { timeoutMs: 30_000 });
      await eventually(() => emulator.conversation(conversation.id)?.status === 'queued', 'queued', 30_000);
      await agent.accept(conversation.id);
      gateway.push(conversation.id);
    }
    // Each user's turns go one after another, as one person types.
    const userChains = gateway.map(() => Promise.resolve());
    let seq = 0;
    let userSeq = 0;
    let faults = { api: 0, duplicateBursts: 0 };
    const memory = memorySampler(bot.url, SAMPLE_SECONDS);
    const drive = async (seconds: number): Promise<void> => {
      const start = now();
      let sent = 0;
      let lastFaultSecond = -1;
      while (now() - start < seconds * 1000) {
        const elapsed = (now() - start) / 1000;
        const due = Math.floor(elapsed * RATE) - sent;
        for (let k = 0; k < due && seq < capacity - 1; k++) {
          const n = ++seq;
          sentAt[n] = now();
          void agent.say(`s:${n}`, { conversationId: gateway[n % gateway.length]! });
          sent++;
          if (n % 20 === 0) {
            const c = (n / 20) % gateway.length;
            const text = `u:${++userSeq}`;
            userTexts.push({ c, text });
            userOutcome.sent++;
            userChains[c] = userChains[c]!.then(() => userSays(c, text));
          }
        }
        const second = Math.floor(elapsed);
        if (second !== lastFaultSecond) {
          lastFaultSecond = second;
          // Per second: one 8x8 API error on the bot's sends (500: outcome unknown, not retried; 503 and 429: retried),
          // jitter on every delivery, and every 10th second every event delivered twice.
          const status = [500, 503, 429][second % 3]!;
          emulator.faults = {
            apiErrors: [{ method: 'POST', path: /\/messages$/, status, times: 1, headers: status === 429 ? { 'retry-after': '1' } : {} }],
            delivery: { jitterMs: 20, duplicate: second % 10 === 9 },
          };
          faults = { api: faults.api + 1, duplicateBursts: faults.duplicateBursts + (second % 10 === 9 ? 1 : 0) };
        }
        await pause(10);
      }
    };

    await drive(WARMUP);
    // Retained memory after warm-up: its forced collection comes before the stats reset, so its pause is not measured.
    const warmMemory = await botMemory(bot.url, true);
    const warm = await botStats(bot.url, true);
    const firstMeasured = seq + 1;
    memory.phase('load');
    await drive(SECONDS);
    memory.phase('drain');
    emulator.faults = {};
    const lastSeq = seq;
    await Promise.all(userChains);
    const sendEnded = now();
    // The backlog (events 8x8 has not delivered yet) drains at the rate the machine manages; give it time.
    const drained = await eventually(() => {
      for (let n = 1; n <= lastSeq; n++) if (connector.counts[n] === 0) return false;
      return true;
    }, 'every agent message delivered', Math.max(60_000, SECONDS * 1000));
    const drainSeconds = (now() - sendEnded) / 1000;
    await pause(2000); // late duplicates, if any, would land now
    const end = await botStats(bot.url);
    // The last sample first: right after a forced collection RSS still counts the freed heap pages.
    await memory.stop();
    const endMemory = await botMemory(bot.url, true);

    let delivered = 0;
    let lost = 0;
    let notAcked = 0;
    let duplicates = 0;
    const relay: number[] = [];
    const endToEnd: number[] = [];
    for (let n = 1; n <= lastSeq; n++) {
      const count = connector.counts[n]!;
      // Lost: acknowledged by the bot, never delivered. Not acknowledged: 8x8 still had it (or gave up): the bot never owned it.
      if (count === 0 && acked[n]) lost++;
      if (count === 0 && !acked[n]) notAcked++;
      if (count > 0) delivered++;
      if (count > 1) duplicates += count - 1;
      if (count > 0 && n >= firstMeasured) {
        endToEnd.push(connector.firstAt[n]! - sentAt[n]!);
        if (acked[n]) relay.push(Math.max(0, connector.firstAt[n]! - arrivedAt[n]!));
      }
    }
    relay.sort((x, y) => x - y);
    endToEnd.sort((x, y) => x - y);
    // User -> agent: each message reached 8x8 once, or the user was told it was not delivered.
    const atGateway = new Map<string, number>();
    for (const id of gateway) for (const m of emulator.conversation(id)?.messages ?? []) if (m.authorType === 'user' && m.text.startsWith('u:')) atGateway.set(m.text, (atGateway.get(m.text) ?? 0) + 1);
    const userDelivered = userTexts.filter((u) => atGateway.has(u.text)).length;
    const userDuplicates = [...atGateway.values()].reduce((n, v) => n + v - 1, 0);
    const toldNotDelivered = [...connector.notDeliveredBy.values()].reduce((n, v) => n + v, 0);
    const userUnaccounted = Math.max(0, userTexts.length - userDelivered - toldNotDelivered);

    // Each part of the bot's memory from the first sample after warm-up to the last (scripts/soak-memory.ts).
    const loaded = memory.samples.filter((x) => x.phase !== 'warmup');
    const trends = {
      rssMb: memoryTrend(loaded, (x) => x.rssMb),
      heapTotalMb: memoryTrend(loaded, (x) => x.heapTotalMb),
      heapUsedMb: memoryTrend(loaded, (x) => x.heapUsedMb),
      externalMb: memoryTrend(loaded, (x) => x.externalMb),
      nativeMb: memoryTrend(loaded, (x) => x.nativeMb),
      heapUsedAfterGcMb: memoryTrend(loaded, (x) => x.afterGc?.heapUsedMb),
      storageKeys: memoryTrend(loaded, (x) => x.storageKeys),
      dedupeKeys: memoryTrend(loaded, (x) => x.dedupeKeys),
    };
    const retainedWarm = retainedMemory(warmMemory);
    const retainedEnd = retainedMemory(endMemory);
    if (!retainedWarm || !retainedEnd) throw new Error('soak: the bot did not collect garbage on request (is it running with --expose-gc?)');
    const retainedGrowth = ((retainedEnd.totalMb - retainedWarm.totalMb) / retainedWarm.totalMb) * 100;
    const result = {
      startedAt, seconds: SECONDS, warmupSeconds: WARMUP, rate: RATE, conversations: CONVERSATIONS,
      loadAverage: os.loadavg().map((v) => Math.round(v * 10) / 10), cpus: os.cpus().length, drainSeconds,
      achievedAckRate: end.acks / (SECONDS + drainSeconds),
      agentToUser: { sent: lastSeq, delivered, lost, notAcked, duplicates, drained, relayP50Ms: percentile(relay, 50), relayP99Ms: percentile(relay, 99), relayMaxMs: relay.at(-1) ?? null, endToEndP50Ms: percentile(endToEnd, 50), endToEndP99Ms: percentile(endToEnd, 99) },
      userToAgent: { sent: userTexts.length, delivered: userDelivered, toldNotDelivered, unaccounted: userUnaccounted, duplicates: userDuplicates, failedPosts: userOutcome.failedPosts },
      webhook: { acks: end.acks, ackP50Ms: end.ackP50Ms, ackP99Ms: end.ackP99Ms, ackMaxMs: end.ackMaxMs },
      eventLoopDelayP99Ms: end.eventLoopDelayP99Ms, eventLoopDelayMaxMs: end.eventLoopDelayMaxMs,
      rssMb: { afterWarmup: warm.rssMb, end: end.rssMb, growthPercent: ((end.rssMb - warm.rssMb) / warm.rssMb) * 100 },
      heapUsedMb: { afterWarmup: warm.heapUsedMb, end: end.heapUsedMb },
      retainedMb: { afterWarmup: retainedWarm, end: retainedEnd, growthPercent: retainedGrowth, dedupeKeys: { afterWarmup: warmMemory.dedupeKeys, end: endMemory.dedupeKeys } },
      memory: { sampleSeconds: SAMPLE_SECONDS, botFlags: [...BOT_FLAGS, '--expose-gc'], gcAtSamples: GC, afterWarmup: trends, samples: memory.samples },
      activeHandles: { afterWarmup: warm.activeHandles, end: end.activeHandles, endTypes: end.handleTypes },
      unhandledRejections: end.unhandledRejections, reportedErrors: end.errors, faults,
    };
    const targets = {
      'nothing lost (agent to user)': lost === 0 && notAcked === 0,
      'no duplicates (agent to user)': duplicates === 0,
      'user messages delivered or the user told': userUnaccounted === 0 && userDuplicates === 0,
      'ack p99 <= 250 ms': (end.ackP99Ms ?? Infinity) <= 250,
      'relay p99 <= 500 ms': (result.agentToUser.relayP99Ms ?? Infinity) <= 500,
      'event-loop delay p99 <= 100 ms': end.eventLoopDelayP99Ms <= 100,
      // RELIABILITY P3's "RSS growth" judged on what the process keeps; RSS itself is reported above
      // it. Under load RSS is mostly V8's heap reserve, which follows the allocation rate, not a leak
      // (measured for issue 13; see retainedMemory in scripts/soak-memory.ts).
      'retained memory (live heap after GC + Buffers + native) growth <= 10% after warm-up': retainedGrowth <= 10,
      'no unhandled rejections': end.unhandledRejections === 0,
    };
    const fixed = (v: number | null, d = 1) => (v === null ? 'n/a' : v.toFixed(d));
    const md = [
      `# Soak ${startedAt}`,
      '',
      `${SECONDS} s at ${RATE} agent events/s over ${CONVERSATIONS} conversations after ${WARMUP} s warm-up; 8x8 API errors (500/503/429) once a second, delivery jitter 20 ms, every event delivered twice one second in ten.`,
      '',
      '| Figure | Value |',
      '| --- | --- |',
      `| Agent → user | ${lastSeq} sent, ${delivered} delivered, ${lost} lost (acknowledged, never delivered), ${notAcked} never acknowledged, ${duplicates} duplicates |`,
      `| Drain after the last event | ${drainSeconds.toFixed(1)} s (webhooks acknowledged ${result.achievedAckRate.toFixed(0)}/s on average) |`,
      `| Machine | ${result.cpus} cores, load average ${result.loadAverage.join(' / ')} (1/5/15 min) at the end |`,
      `| User → agent | ${userTexts.length} sent, ${userDelivered} at 8x8, ${toldNotDelivered} told "not delivered", ${userUnaccounted} unaccounted, ${userDuplicates} duplicates |`,
      `| Webhook ack (bot side) | p50 ${fixed(end.ackP50Ms)} ms, p99 ${fixed(end.ackP99Ms)} ms, max ${fixed(end.ackMaxMs)} ms over ${end.acks} |`,
      `| Relay (webhook at the bot → user got it) | p50 ${fixed(result.agentToUser.relayP50Ms)} ms, p99 ${fixed(result.agentToUser.relayP99Ms)} ms, max ${fixed(result.agentToUser.relayMaxMs)} ms |`,
      `| End to end (agent said → user got it; includes 8x8's delivery queue) | p50 ${fixed(result.agentToUser.endToEndP50Ms)} ms, p99 ${fixed(result.agentToUser.endToEndP99Ms)} ms |`,
      `| Event-loop delay | p99 ${fixed(end.eventLoopDelayP99Ms)} ms, max ${fixed(end.eventLoopDelayMaxMs)} ms |`,
      `| Retained memory (live heap after a full GC + Buffers + native) | ${fixed(retainedWarm.totalMb)} MB after warm-up → ${fixed(retainedEnd.totalMb)} MB (${fixed(retainedGrowth)}%): live heap ${fixed(retainedWarm.liveHeapMb)} → ${fixed(retainedEnd.liveHeapMb)}, Buffers ${fixed(retainedWarm.externalMb)} → ${fixed(retainedEnd.externalMb)}, native ${fixed(retainedWarm.nativeMb)} → ${fixed(retainedEnd.nativeMb)}; webhook dedupe store ${warmMemory.dedupeKeys} → ${endMemory.dedupeKeys} event ids (bounded) |`,
      `| RSS | ${fixed(warm.rssMb)} MB after warm-up → ${fixed(end.rssMb)} MB (${fixed(result.rssMb.growthPercent)}%); V8 heap reserve (heapTotal − live heap) ${fixed(retainedWarm.v8ReserveMb)} → ${fixed(retainedEnd.v8ReserveMb)} MB |`,
      `| Memory after warm-up (first → last sample, max; MB) | ${Object.entries(trends).filter(([, t]) => t).map(([k, t]) => `${k.replace(/Mb$/, '')} ${t!.first} → ${t!.last} (max ${t!.max})`).join('; ')} |`,
      `| RSS / heapTotal / external / native by sample (every ${SAMPLE_SECONDS} s; MB) | ${memory.samples.map((x) => `${x.atS}s ${x.rssMb.toFixed(0)}/${x.heapTotalMb.toFixed(0)}/${x.externalMb.toFixed(0)}/${x.nativeMb.toFixed(0)}`).join(', ')} |`,
      `| Active handles | ${warm.activeHandles} after warm-up → ${end.activeHandles} |`,
      `| Unhandled rejections | ${end.unhandledRejections} |`,
      `| Errors reported to onError | ${JSON.stringify(end.errors)} |`,
      '',
      ...Object.entries(targets).map(([name, ok]) => `- ${ok ? 'PASS' : 'MISS'} ${name}`),
      '',
    ].join('\n');
    mkdirSync(path.dirname(OUT), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify({ ...result, targets }, null, 2)}\n`);
    writeFileSync(OUT.replace(/\.json$/, '') + '.md', md);
    console.log(md);
    console.log(`soak: wrote ${path.relative(ROOT, OUT)} and the .md beside it`);
    // SOAK_STRICT=1 (CI): a lost, duplicated or unaccounted message, or an unhandled rejection, fails
    // the run; the timing figures are measurements on a shared machine and are only reported.
    const correctness = ['nothing lost (agent to user)', 'no duplicates (agent to user)', 'user messages delivered or the user told', 'no unhandled rejections'] as const;
    const missed = correctness.filter((name) => !targets[name]);
    if (process.env.SOAK_STRICT === '1' && missed.length) throw new Error(`soak missed: ${missed.join(', ')}`);
  } finally {
    bot.child.kill('SIGTERM');
    await emulator.close();
    for (const server of [connector.server, forward]) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`soak failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
