/**
 * A webhook endpoint that records what the emulator delivers (headers, exact body bytes) and
 * answers with a status a test chooses, so retries can be provoked.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivered {
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  body: Record<string, unknown> & { eventType: string; conversationId?: string; data?: Record<string, unknown> };
  answered: number;
}

export class WebhookSink {
  readonly received: Delivered[] = [];
  /** Decides each answer; default 200. */
  status: (d: Delivered) => number = () => 200;
  private constructor(private readonly server: http.Server, readonly url: string) {}

  static async start(): Promise<WebhookSink> {
    const box: { self?: WebhookSink } = {};
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const d: Delivered = { headers: req.headers, raw, body: JSON.parse(raw.toString('utf8')), answered: 0 };
        d.answered = box.self ? box.self.status(d) : 200;
        box.self?.received.push(d);
        res.writeHead(d.answered, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const created = new WebhookSink(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
    box.self = created;
    return created;
  }

  /** Deliveries of one conversation, answered 2xx, in arrival order. */
  of(conversationId: string): Delivered[] {
    return this.received.filter((d) => d.body.conversationId === conversationId && d.answered < 300);
  }

  /** Resolves once `predicate` holds over the received list (polling; fails after timeoutMs). */
  async until<T>(predicate: (list: Delivered[]) => T | undefined | false, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate(this.received);
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`webhook sink: condition not met in ${timeoutMs} ms; got ${this.received.map((d) => d.body.eventType).join(', ')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A compact label of an event, for sequence assertions. */
export function label(d: Delivered): string {
  const data = (d.body.data ?? {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  switch (d.body.eventType) {
    case 'CONVERSATION_UPDATE': return `CONVERSATION_UPDATE ${data.state}${data.assignment ? ` ${data.assignment.type}` : ''}`;
    case 'MEMBERS_CHANGED': return `MEMBERS_CHANGED ${data.memberType} ${data.change}`;
    case 'QUEUED': return `QUEUED ${data.queueId}`;
    case 'ACTIVITY': return `ACTIVITY ${data.name}`;
    case 'MESSAGE': return `MESSAGE ${data.sender?.type}${data.isEcho ? ' echo' : ''}`;
    default: return d.body.eventType;
  }
}
