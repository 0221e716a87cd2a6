/**
 * Pieces of the multi-process test: bot processes (ops-bot.ts under ts-node) and the local
 * round-robin balancer in front of them, for both directions (the channel's POSTs to
 * /api/messages and 8x8's webhooks). The balancer can add random delays and duplicate a share of
 * webhook deliveries onto the other process, the way a retrying sender and a load balancer would.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** A running bot process. */
export interface BotProcess {
  name: string;
  child: ChildProcessWithoutNullStreams;
  url: string;
  /** What it wrote to stderr (its onError lines). */
  stderr: () => string;
}

/** Starts ops-bot.ts with `env` and resolves once it prints `ready <port>`. */
export function startBotProcess(name: string, env: Record<string, string>): Promise<BotProcess> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'test/ops/ops-bot.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, INSTANCE_ID: name, LOG_LEVEL: 'silent', TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') },
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => void (err += chunk.toString()));
  return new Promise((resolve, reject) => {
    // ts-node compiles the bot at start: on a busy 2-core machine that alone can take a minute.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ops-bot ${name} did not start in 150 s: ${out}${err}`));
    }, 150_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const port = /ready (\d+)/.exec(out)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve({ name, child, url: `http://127.0.0.1:${port}`, stderr: () => err });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`ops-bot ${name} exited (${String(code ?? signal)}): ${err}`));
    });
  });
}

/** SIGKILLs a process (no shutdown of any kind) and waits for it to be gone. */
export function killBotProcess(bot: BotProcess | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (!bot || bot.child.exitCode !== null || bot.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    bot.child.once('exit', () => resolve());
    bot.child.kill(signal);
  });
}

/** Options of {@link RoundRobinBalancer}. */
export interface BalancerOptions {
  /** Random numbers in [0, 1): a seeded generator, so the delays and duplicates repeat run to run. */
  random: () => number;
  /** Each forward waits a random time in [0, maxDelayMs). */
  maxDelayMs: number;
  /** Share of webhook deliveries also sent to the next process (a duplicate, concurrent with the first). */
  duplicateShare: number;
}

/** Counts of what the balancer did. */
export interface BalancerStats {
  routed: Record<string, number>;
  duplicated: number;
  failed: number;
}

/**
 * Hands each request to the next live process in turn. A request to a process that died answers
 * 502 (8x8 and the channel retry). While no process is up, requests wait.
 */
export class RoundRobinBalancer {
  readonly stats: BalancerStats = { routed: {}, duplicated: 0, failed: 0 };
  private targets: BotProcess[] = [];
  private next = 0;
  private waiters: Array<() => void> = [];
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => void this.route(req, res, Buffer.concat(chunks)));
  });
  url = '';

  constructor(private readonly options: BalancerOptions) {}

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Sets the live processes (a killed one is removed at once, a restarted one added). */
  setTargets(targets: BotProcess[]): void {
    this.targets = targets;
    if (targets.length) for (const wake of this.waiters.splice(0)) wake();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async pick(): Promise<BotProcess> {
    while (!this.targets.length) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.targets[this.next++ % this.targets.length]!;
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, Math.floor(this.options.random() * this.options.maxDelayMs)));
    const target = await this.pick();
    const isWebhook = (req.url ?? '').startsWith('/api/8x8/');
    if (isWebhook && this.targets.length > 1 && this.options.random() < this.options.duplicateShare) {
      this.stats.duplicated++;
      const other = this.targets[this.next % this.targets.length]!;
      void forward(other, req, body).catch(() => undefined);
    }
    this.stats.routed[target.name] = (this.stats.routed[target.name] ?? 0) + 1;
    try {
      const answer = await forward(target, req, body);
      res.writeHead(answer.status, answer.headers).end(answer.body);
    } catch {
      this.stats.failed++;
      if (!res.headersSent) res.writeHead(502).end();
    }
  }
}

/** Sends the request's bytes and headers unchanged to `target`. */
function forward(target: BotProcess, req: http.IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const upstream = http.request(`${target.url}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }));
      answer.on('error', reject);
    });
    upstream.on('error', reject);
    upstream.end(body);
  });
}
