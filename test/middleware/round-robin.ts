/**
 * Two bot instances behind a round-robin balancer (RELIABILITY M1): one shared Storage, each
 * instance with its own HandoffMiddleware, proactive adapter and webhook server on 127.0.0.1:0,
 * and a tiny HTTP proxy in front that hands each webhook delivery to the next instance in turn.
 * The emulator (8x8) delivers to the proxy. Every message any instance sends to a user lands in
 * one shared, ordered log, as a user with one chat window would see it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Activity, Storage } from 'botbuilder';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator';
import { ChatGatewayClient } from '../../src/gateway';
import { HandoffMiddleware, type HandoffMiddlewareOptions } from '../../src/handoff';
import { silentLogger } from '../../src/logger';
import { ProactiveTestAdapter } from '../support/test-adapter';
import { EchoBot } from './harness';

/** One message as the user saw it: which instance sent it and the activity. */
export interface Seen {
  instance: string;
  activity: Partial<Activity>;
}

/**
 * A proactive test adapter whose sends take a while (like a real connector call), so relays of
 * two instances really overlap; the pause comes from a seeded generator, not `Math.random`.
 */
class SlowAdapter extends ProactiveTestAdapter {
  constructor(
    logic: ConstructorParameters<typeof ProactiveTestAdapter>[0],
    private readonly name: string,
    private readonly log: Seen[],
    private readonly pauseMs: () => number,
  ) {
    super(logic);
  }

  override async sendActivities(context: Parameters<ProactiveTestAdapter['sendActivities']>[0], activities: Array<Partial<Activity>>) {
    await new Promise((resolve) => setTimeout(resolve, this.pauseMs()));
    for (const activity of activities) this.log.push({ instance: this.name, activity });
    return super.sendActivities(context, activities);
  }
}

/** One bot instance of the pair. */
export interface Instance {
  name: string;
  adapter: ProactiveTestAdapter;
  handoff: HandoffMiddleware;
  bot: EchoBot;
  server: http.Server;
  url: string;
}

/** The running pair. */
export interface RoundRobinRig {
  emulator: Emulator;
  instances: [Instance, Instance];
  /** Everything sent to users by either instance, in send order. */
  log: Seen[];
  /** Webhook deliveries the proxy handed to each instance. */
  routed: Record<string, number>;
  errors: Array<{ error: unknown; where: string }>;
  close(): Promise<void>;
}

/** A small deterministic generator (mulberry32), so the overlap pattern is the same every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Forwards each request, bytes and headers untouched, to the next target in turn. */
function roundRobinProxy(targets: () => Array<{ name: string; url: string }>, routed: Record<string, number>): http.Server {
  let next = 0;
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const list = targets();
      const target = list[next++ % list.length]!;
      routed[target.name] = (routed[target.name] ?? 0) + 1;
      const upstream = http.request(`${target.url}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end(Buffer.concat(chunks));
    });
  });
}

/** Starts the emulator, the proxy and two instances on `storage`. */
export async function startRoundRobin(options: {
  storage: Storage;
  middleware?: Partial<HandoffMiddlewareOptions>;
  emulator?: EmulatorOptions;
  sendPauseMs?: number;
  seed?: number;
}): Promise<RoundRobinRig> {
  const log: Seen[] = [];
  const routed: Record<string, number> = {};
  const errors: RoundRobinRig['errors'] = [];
  const random = seeded(options.seed ?? 42);
  const pauseMs = () => Math.floor(random() * (options.sendPauseMs ?? 0));
  let instances: Instance[] = [];
  const proxy = roundRobinProxy(() => instances.map((i) => ({ name: i.name, url: i.url })), routed);
  const proxyUrl = await listen(proxy);
  const emulator = await startEmulator({ port: 0, webhookUrl: `${proxyUrl}/api/8x8/webhook`, delivery: { baseDelayMs: 5 }, ...options.emulator });
  const gateway = new ChatGatewayClient({ apiKey: 'emulator-api-key', baseUrl: emulator.url, logger: silentLogger, timeoutMs: 2000, deadlineMs: 4000 });

  const build = async (name: string): Promise<Instance> => {
    const bot = new EchoBot();
    const adapter = new SlowAdapter(async (context) => bot.run(context), name, log, pauseMs);
    const handoff = new HandoffMiddleware({
      gateway, channelId: emulator.channelId, queueId: 'support', adapter, botAppId: '', storage: options.storage, bot,
      logger: silentLogger, webhook: { baseUrl: emulator.url, logger: silentLogger },
      onError: (error, info) => errors.push({ error, where: `${name}:${info.where}` }),
      // The subject is the lease; paced, 50 messages to one conversation would take 12 s.
      pacing: false,
      ...options.middleware,
    });
    adapter.use(handoff);
    const app = express();
    app.post('/api/8x8/webhook', handoff.webhook());
    const server = http.createServer(app);
    return { name, adapter, handoff, bot, server, url: await listen(server) };
  };
  instances = [await build('A'), await build('B')];
  return {
    emulator,
    instances: instances as [Instance, Instance],
    log,
    routed,
    errors,
    async close() {
      for (const instance of instances) {
        await instance.handoff.whenIdle();
        instance.handoff.dispose();
      }
      await emulator.close();
      await close(proxy);
      for (const instance of instances) await close(instance.server);
    },
  };
}
