/**
 * A real, throw-away Redis for the Redis suites: Debian's `redis-server` on a free 127.0.0.1 port,
 * with persistence off, started in `beforeAll` and stopped in `afterAll`.
 *
 * ```ts
 * describeWithRedis('RedisStorage', (redis) => {
 *   it('...', async () => {
 *     const storage = new RedisStorage({ client: redis.client() });
 *   });
 * });
 * ```
 *
 * Without redis-server the suite is skipped with a printed notice, except when `CI` is set: there
 * it fails, so a CI image that lost Redis cannot pass silently.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { Redis } from 'ioredis';

/** Debian's redis-server; the `REDIS_SERVER_PATH` environment variable points elsewhere. */
export const REDIS_SERVER_PATH = process.env.REDIS_SERVER_PATH || '/usr/bin/redis-server';

/** A running redis-server of this process. */
export interface RedisServer {
  readonly port: number;
  /** Stops the server and waits for it to exit. */
  stop(): Promise<void>;
}

/** What a {@link describeWithRedis} body gets: connections to the suite's server. */
export interface RedisHarness {
  /** The server's port (valid once `beforeAll` ran). */
  readonly port: number;
  /** A client shared by the suite (one connection). */
  client(): Redis;
  /** A new client on its own connection, e.g. to play a second bot instance. Closed in afterAll. */
  connect(): Redis;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** One PING over a raw socket: true when the server answered +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString('latin1').startsWith('+PONG')));
    socket.once('connect', () => socket.write('PING\r\n'));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function startOnce(port: number): Promise<RedisServer | undefined> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', tmpdir(), '--loglevel', 'warning'];
  const child = spawn(REDIS_SERVER_PATH, args, { stdio: 'ignore' });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited(child);
  };
  for (let waited = 0; waited < 10_000; waited += 50) {
    if (child.exitCode !== null) return undefined; // e.g. the port was taken meanwhile
    if (await ping(port)) return { port, stop };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error(`redis-server on port ${port} did not answer PING within 10 s`);
}

/** Starts redis-server on a free port and resolves once it answers PING. */
export async function startRedisServer(): Promise<RedisServer> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const server = await startOnce(await freePort());
    if (server) return server;
  }
  throw new Error('redis-server exited at startup 5 times (ports taken?)');
}

/**
 * `describe` with a redis-server for the suite. Skipped (with a notice) when redis-server is not
 * installed, failing instead when the `CI` environment variable is set.
 */
export function describeWithRedis(name: string, body: (redis: RedisHarness) => void): void {
  if (!existsSync(REDIS_SERVER_PATH)) {
    if (process.env.CI) {
      describe(name, () => {
        it('should have redis-server installed in CI', () => {
          throw new Error(`${REDIS_SERVER_PATH} is missing: install Debian's redis-server package in the CI image.`);
        });
      });
      return;
    }
    console.warn(`[redis] ${REDIS_SERVER_PATH} not found: skipping "${name}". Install redis-server to run it.`);
    describe.skip(name, () => body(unstarted()));
    return;
  }
  describe(name, () => {
    const harness = new Harness();
    beforeAll(() => harness.start());
    afterAll(() => harness.stop());
    body(harness);
  });
}

class Harness implements RedisHarness {
  private server: RedisServer | undefined;
  private readonly clients: Redis[] = [];
  private shared: Redis | undefined;

  get port(): number {
    if (!this.server) throw new Error('redis-server is not started yet: use the harness inside tests or hooks');
    return this.server.port;
  }

  async start(): Promise<void> {
    this.server = await startRedisServer();
  }

  client(): Redis {
    this.shared ??= this.connect();
    return this.shared;
  }

  connect(): Redis {
    const client = new Redis({ host: '127.0.0.1', port: this.port, maxRetriesPerRequest: 1 });
    this.clients.push(client);
    return client;
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.quit().catch(() => client.disconnect())));
    await this.server?.stop();
  }
}

function unstarted(): RedisHarness {
  const fail = (): never => {
    throw new Error('redis-server is not installed');
  };
  return { get port() { return fail(); }, client: fail, connect: fail };
}
