/**
 * A scriptable Chat Gateway stand-in on 127.0.0.1, port 0: records every request and answers from a
 * queue of scripted replies (or a default). Only for the client's own tests; the full emulator lives
 * in src/emulator.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body parsed as JSON when it was JSON. */
  json?: unknown;
}

/** A scripted answer. */
export type Reply =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** Read the request, then never answer. */
  | 'hang'
  /** Read the request, then destroy the connection without answering. */
  | 'destroy'
  | ((req: RecordedRequest, res: http.ServerResponse) => void);

/** The fake server. */
export class FakeGateway {
  readonly requests: RecordedRequest[] = [];
  private readonly queue: Reply[] = [];
  private fallback: Reply = { status: 200, body: {} };

  private constructor(private readonly server: http.Server) {}

  /** Starts listening on 127.0.0.1 and a free port (or `port` when given). */
  static async start(port = 0): Promise<FakeGateway> {
    const server = http.createServer();
    const fake = new FakeGateway(server);
    server.on('request', (req, res) => fake.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return fake;
  }

  /** Base URL, e.g. `http://127.0.0.1:54321`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The bound port. */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Queues replies for the next requests, in order. */
  reply(...replies: Reply[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** The reply used when the queue is empty. */
  setDefault(reply: Reply): this {
    this.fallback = reply;
    return this;
  }

  /** Forgets recorded requests and queued replies. */
  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
    this.fallback = { status: 200, body: {} };
  }

  /** The last request received. */
  last(): RecordedRequest {
    const last = this.requests.at(-1);
    if (!last) throw new Error('no request received');
    return last;
  }

  /** Stops listening and drops every open connection (hung ones included). */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const body = Buffer.concat(chunks);
      const recorded: RecordedRequest = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body };
      if (/json/.test(req.headers['content-type'] ?? '') && body.length > 0) recorded.json = JSON.parse(body.toString('utf8'));
      this.requests.push(recorded);
      this.answer(this.queue.shift() ?? this.fallback, recorded, res);
    });
  }

  private answer(reply: Reply, recorded: RecordedRequest, res: http.ServerResponse): void {
    if (reply === 'hang') return;
    if (reply === 'destroy') {
      res.socket?.destroy();
      return;
    }
    if (typeof reply === 'function') {
      reply(recorded, res);
      return;
    }
    const headers: Record<string, string> = { ...reply.headers };
    let payload: Buffer | undefined;
    if (Buffer.isBuffer(reply.body)) payload = reply.body;
    else if (reply.body !== undefined) {
      payload = Buffer.from(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
      headers['content-type'] ??= reply.status >= 400 ? 'application/problem+json' : 'application/hal+json';
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
  }
}
