/**
 * RELIABILITY D9, "record, then ack": a bot process (chaos-bot.ts: CloudAdapter, HandoffMiddleware,
 * RedisStorage) is killed with SIGKILL in the middle of a burst of agent messages and restarted.
 * Every event the bot acknowledged reaches the user (0 lost); only items in flight at the kill may
 * arrive twice. The restarted process has a new instance id, so it also takes over the dead one's
 * relay leases once they expire.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator';
import { startConnectorStub, type ConnectorStub } from '../support/connector-stub';
import { describeWithRedis } from '../support/redis';
import { eventually } from './harness';

const ROOT = path.resolve(__dirname, '../..');
const CONVERSATIONS = 5;
const PER_CONVERSATION = 60;

/** A running bot process and its base URL. */
interface BotProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
}

/**
 * The balancer in front of the bot: forwards each webhook to the current bot process, holds
 * requests while there is none, answers 502 when the process died mid-request (8x8 retries), and
 * notes every event the bot acknowledged with a 2xx.
 */
class HoldingProxy {
  readonly acked: Array<{ conversationId: string; text: string }> = [];
  private target?: string;
  private waiters: Array<() => void> = [];
  readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => void this.forward(req, res, Buffer.concat(chunks)));
  });

  setTarget(url: string | undefined): void {
    this.target = url;
    if (url) for (const wake of this.waiters.splice(0)) wake();
  }

  private async forward(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> {
    while (!this.target) await new Promise<void>((resolve) => this.waiters.push(resolve));
    const upstream = http.request(`${this.target}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (answer) => {
      const status = answer.statusCode ?? 502;
      if (status < 300) this.noteAck(body);
      res.writeHead(status, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => void (res.headersSent || res.writeHead(502).end()));
    upstream.end(body);
  }

  private noteAck(body: Buffer): void {
    const event = JSON.parse(body.toString('utf8')) as { eventType?: string; conversationId?: string; data?: { text?: string; isEcho?: boolean; sender?: { type?: string } } };
    if (event.eventType === 'MESSAGE' && event.data?.sender?.type === 'agent' && !event.data.isEcho) {
      this.acked.push({ conversationId: event.conversationId!, text: event.data.text ?? '' });
    }
  }
}

function startBot(env: Record<string, string>): Promise<BotProcess> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'test/middleware/chaos-bot.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: 'silent', TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    // ts-node compiles the bot at start: on a busy 2-core machine that alone can take a minute.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`chaos-bot did not start in 150 s: ${out}${err}`));
    }, 150_000);
    child.stderr.on('data', (chunk: Buffer) => void (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const port = /ready (\d+)/.exec(out)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${port}` });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`chaos-bot exited with ${String(code)}: ${err}`));
    });
  });
}

function kill(bot: BotProcess | undefined): Promise<void> {
  if (!bot || bot.child.exitCode !== null || bot.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    bot.child.once('exit', () => resolve());
    bot.child.kill('SIGKILL');
  });
}

describeWithRedis('A bot process killed during a burst of webhook events (RELIABILITY D9)', (redis) => {
  let connector: ConnectorStub;
  let emulator: Emulator;
  const proxy = new HoldingProxy();
  let bot: BotProcess | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    connector = await startConnectorStub();
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', () => resolve()));
    const proxyUrl = `http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}`;
    // Enough retries (about 50 s in all) to outlast the restart.
    emulator = await startEmulator({ port: 0, webhookUrl: `${proxyUrl}/api/8x8/webhook`, delivery: { baseDelayMs: 100, retries: 9, timeoutMs: 5000 } });
    env = { REDIS_PORT: String(redis.port), EMULATOR_URL: emulator.url, CHANNEL_ID: emulator.channelId, RELAY_LEASE_MS: '1500' };
    bot = await startBot(env);
    proxy.setTarget(bot.url);
  }, 180_000);
  afterAll(async () => {
    await kill(bot);
    await emulator.close();
    await connector.close();
    proxy.server.closeAllConnections();
    await new Promise<void>((resolve) => proxy.server.close(() => resolve()));
  });

  /** The user of conversation `i` says `text` to the current bot process through its channel endpoint. */
  async function userSays(i: number, text: string): Promise<void> {
    const activity = {
      type: 'message', id: `act-${i}-${text}`, text, channelId: 'webchat', serviceUrl: connector.url, locale: 'en-US',
      from: { id: `chaos-user-${i}`, name: `User ${i}` }, recipient: { id: 'bot', name: 'Bot' }, conversation: { id: `chaos-${i}` },
    };
    const res = await fetch(`${bot!.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    expect(res.status).toBe(200);
  }

  it(`should deliver every acknowledged agent message after a SIGKILL and restart (${CONVERSATIONS * PER_CONVERSATION} events)`, async () => {
    const ids = Array.from({ length: CONVERSATIONS }, (_, i) => i);
    for (const i of ids) await userSays(i, 'agent');
    const gateway = await Promise.all(ids.map((i) => emulator.waitForConversation((c) => c.user.userId === `chaos-user-${i}`, { timeoutMs: 10_000 })));
    for (const conversation of gateway) {
      await eventually(() => emulator.conversation(conversation.id)?.status === 'queued', 'queued');
      await emulator.agent('agent-1').accept(conversation.id);
    }
    await connector.waitFor((p) => p.activity.text === 'An agent joined the conversation.', CONVERSATIONS, 10_000);

    const burst = Promise.all(gateway.map(async (conversation, i) => {
      for (let k = 1; k <= PER_CONVERSATION; k++) await emulator.agent('agent-1').say(`c${i}-m${k}`, { conversationId: conversation.id });
    }));
    await eventually(() => proxy.acked.length >= (CONVERSATIONS * PER_CONVERSATION) / 3, 'a third of the burst acknowledged', 20_000);
    proxy.setTarget(undefined);
    await kill(bot);
    const ackedAtKill = proxy.acked.length;
    bot = await startBot(env);
    proxy.setTarget(bot.url);
    await burst;

    const total = CONVERSATIONS * PER_CONVERSATION;
    // Count distinct texts: an event acknowledged just before the kill may be acknowledged again after 8x8's retry.
    const ackedTexts = () => new Set(proxy.acked.map((a) => a.text));
    await eventually(() => ackedTexts().size >= total, 'every event acknowledged by one of the processes', 40_000);
    const agentTexts = () => connector.posts.map((p) => p.activity.text ?? '').filter((t) => /^c\d+-m\d+$/.test(t));
    const expected = ackedTexts();
    await eventually(() => [...expected].every((text) => agentTexts().includes(text)), 'every acknowledged message delivered', 20_000);

    expect(ackedAtKill).toBeLessThan(total); // the kill really happened mid-burst
    expect(expected.size).toBe(total);
    const delivered = agentTexts();
    // Per conversation, in order, each once; a message may repeat only as the one in flight at the kill.
    for (const i of ids) {
      const mine = delivered.filter((t) => t.startsWith(`c${i}-`));
      const distinct = mine.filter((t, n) => mine.indexOf(t) === n);
      expect(distinct).toEqual(Array.from({ length: PER_CONVERSATION }, (_, k) => `c${i}-m${k + 1}`));
      expect(mine.length - distinct.length).toBeLessThanOrEqual(1);
    }
  }, 330_000);
});
