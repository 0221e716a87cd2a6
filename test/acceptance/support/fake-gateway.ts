/**
 * A minimal fake 8x8 Chat Gateway written from REFERENCE.md section 3 (real HTTP, port 0). It
 * records every request (method, path, query, headers, raw body) and answers with the documented
 * success status and shape, unless a test queues another answer with `next()`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** What a queued answer does: a response, a hang, or a reset after reading the body. */
export type Scripted =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { hang: true }
  | { reset: true };

const hal = (key: string, items: unknown[]) => ({
  _embedded: { [key]: items },
  _links: { self: { href: '/x' } },
  page: { size: 20, number: 0, totalElements: items.length, totalPages: 1 },
});

const conversation = { id: 'conv-1', state: 'created', channelId: 'ch-1', assignment: { type: 'queue', id: 'q-1' }, user: { name: 'Jane' } };
const webhook = { id: 'wh-1', name: 'hook', uri: 'https://example.com/hook', version: 'Chat Gateway v1.0' };
const channel = { id: 'ch-1', name: 'chan', type: 'ChatAPI', webHookId: 'wh-1', routingOptions: { type: 'queue', id: 'q-1' } };
const message = { id: 'm-1', text: 'hi', createdAt: '2021-01-30T08:30:00Z', author: { id: 'user', removed: false, type: 'user', language: 'en' } };
const attachment = { id: 'att-1', filename: 'a.txt', sizeInBytes: 5, createdAt: '2021-01-30T08:30:00Z' };

/** The documented success answer of each endpoint (REFERENCE.md 3.0). */
function documented(method: string, path: string): Scripted {
  const p = path.replace(/^\/chat-gateway\/v1/, '');
  const routes: Array<[string, RegExp, Scripted]> = [
    ['GET', /^\/webhooks$/, { status: 200, body: hal('webhooks', [webhook]) }],
    ['POST', /^\/webhooks$/, { status: 200, body: webhook }],
    ['POST', /^\/webhooks\/verify$/, { status: 204 }],
    ['GET', /^\/webhooks\/[^/]+$/, { status: 200, body: webhook }],
    ['PUT', /^\/webhooks\/[^/]+$/, { status: 200, body: webhook }],
    ['DELETE', /^\/webhooks\/[^/]+$/, { status: 204 }],
    ['GET', /^\/jwk\/[^/]+\/public$/, { status: 200, body: { kty: 'RSA', e: 'AQAB', kid: 'k1', n: 'abc' }, headers: { 'content-type': 'application/json' } }],
    ['GET', /^\/channels$/, { status: 200, body: hal('channels', [channel]) }],
    ['POST', /^\/channels$/, { status: 200, body: channel }],
    ['GET', /^\/channels\/[^/]+$/, { status: 200, body: channel }],
    ['PUT', /^\/channels\/[^/]+$/, { status: 200, body: channel }],
    ['DELETE', /^\/channels\/[^/]+$/, { status: 204 }],
    ['GET', /^\/conversations$/, { status: 200, body: hal('conversations', [conversation]) }],
    ['POST', /^\/conversations$/, { status: 202, body: { conversationId: 'conv-1', createdAt: '2021-01-30T08:30:00Z' } }],
    ['GET', /^\/conversations\/[^/]+$/, { status: 200, body: conversation }],
    ['PUT', /^\/conversations\/[^/]+$/, { status: 202, body: conversation }],
    ['PATCH', /^\/conversations\/[^/]+$/, { status: 202, body: conversation }],
    ['GET', /^\/conversations\/[^/]+\/interactions$/, { status: 200, body: hal('interactions', [{ id: 'int-1', startTime: '2020-08-05T11:55:00.592Z' }]) }],
    ['POST', /^\/conversations\/[^/]+\/post-agent-assignment$/, { status: 201 }],
    ['POST', /^\/conversations\/[^/]+\/(typing|thinking|read-receipt)$/, { status: 204 }],
    ['GET', /^\/conversations\/[^/]+\/participants$/, { status: 200, body: hal('participants', [{ id: 'user', removed: false, type: 'user' }]) }],
    ['PATCH', /^\/conversations\/[^/]+\/participants\/user$/, { status: 204 }],
    ['GET', /^\/conversations\/[^/]+\/messages$/, { status: 200, body: { _embedded: { messages: [message] }, page: { size: 20, number: 0, totalElements: 1, totalPages: 1 } } }],
    ['POST', /^\/conversations\/[^/]+\/messages$/, { status: 202 }],
    ['GET', /^\/conversations\/[^/]+\/messages\/[^/]+\/cards$/, { status: 200, body: hal('cards', [{ id: 'card-1', contentType: 'application/vnd.microsoft.card.adaptive', content: {} }]) }],
    ['GET', /^\/conversations\/[^/]+\/messages\/[^/]+$/, { status: 200, body: message }],
    ['GET', /^\/conversations\/[^/]+\/attachments$/, { status: 200, body: hal('attachments', [attachment]) }],
    ['POST', /^\/conversations\/[^/]+\/attachments$/, { status: 200, body: attachment }],
    ['GET', /^\/conversations\/[^/]+\/attachments\/[^/]+\/content$/, { status: 200, body: Buffer.from('hello'), headers: { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="a.txt"' } }],
    ['GET', /^\/conversations\/[^/]+\/attachments\/[^/]+$/, { status: 200, body: attachment }],
  ];
  const hit = routes.find(([m, re]) => m === method && re.test(p));
  return hit ? hit[2] : { status: 404, body: { message: 'Resource not found', errors: ['no route'] } };
}

export class FakeGateway {
  readonly requests: Recorded[] = [];
  private readonly queue: Scripted[] = [];
  private constructor(private readonly server: http.Server, readonly url: string) {}

  static async start(): Promise<FakeGateway> {
    const box: { self?: FakeGateway } = {};
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => box.self?.answer(req, Buffer.concat(chunks), res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const created = new FakeGateway(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    box.self = created;
    return created;
  }

  /** Queues answers for the next requests, in order; after them, documented answers. */
  next(...answers: Scripted[]): void {
    this.queue.push(...answers);
  }

  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
  }

  private answer(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, query: url.searchParams, headers: req.headers, body });
    const scripted = this.queue.shift() ?? documented(method, url.pathname);
    if ('hang' in scripted) return;
    if ('reset' in scripted) return void req.socket.destroy();
    const isError = scripted.status >= 400;
    const headers: Record<string, string> = { 'content-type': isError ? 'application/problem+json' : 'application/hal+json', ...scripted.headers };
    res.writeHead(scripted.status, headers);
    if (scripted.body === undefined || scripted.status === 204) return void res.end();
    res.end(Buffer.isBuffer(scripted.body) ? scripted.body : JSON.stringify(scripted.body));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
