import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { silentLogger } from '../../src/logger';
import type { ConversationEvent } from '../../src/webhook/events';
import { expressWebhook } from '../../src/webhook/express';
import { WebhookReceiver } from '../../src/webhook/receiver';
import { WebhookSigner } from '../support/webhook-signer';

const TRANSFER = { eventType: 'TRANSFER', conversationId: 'c-1', timestamp: 1 };

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** POSTs over a fresh connection; `chunked` sends the body in pieces without a content-length. */
function post(base: string, path: string, headers: Record<string, string>, body: Buffer, chunked = false): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method: 'POST', agent: false, headers: chunked ? headers : { ...headers, 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    if (chunked) {
      for (let i = 0; i < body.length; i += 4_096) req.write(body.subarray(i, i + 4_096));
      req.end();
    } else req.end(body);
  });
}

async function listen(app: Express): Promise<{ server: Server; base: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let signer: WebhookSigner;
const events: ConversationEvent[] = [];
const errors: string[] = [];
let receiver: WebhookReceiver;
const servers: Server[] = [];

async function start(mount: (app: Express) => void): Promise<string> {
  const app = express();
  mount(app);
  const { server, base } = await listen(app);
  servers.push(server);
  return base;
}

beforeAll(async () => {
  signer = await WebhookSigner.start();
  receiver = new WebhookReceiver({
    baseUrl: signer.baseUrl,
    maxBodyBytes: 16 * 1024,
    logger: silentLogger,
    onEvent: async (event) => void events.push(event),
  });
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await signer.close();
});

beforeEach(() => {
  events.length = 0;
  errors.length = 0;
});

const errorLogger = {
  error: (_obj: object, msg?: string) => void errors.push(msg ?? ''),
  warn: (_obj: object, msg?: string) => void errors.push(`warn: ${msg ?? ''}`),
};

describe('expressWebhook()', () => {
  describe('with the webhook route before express.json()', () => {
    let base: string;
    beforeAll(async () => {
      base = await start((app) => {
        app.post('/api/8x8/webhook', expressWebhook(receiver, { logger: errorLogger }));
        app.use(express.json());
        app.post('/api/messages', (req, res) => void res.json({ echoed: req.body as unknown }));
      });
    });

    it('should verify and dispatch a signed delivery from the raw bytes', async () => {
      const delivery = await signer.sign(JSON.stringify(TRANSFER, null, 2));
      const reply = await post(base, '/api/8x8/webhook', delivery.headers, delivery.rawBody);
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body)).toEqual({ ok: true, result: 'processed' });
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      expect(events).toEqual([TRANSFER]);
    });

    it('should leave express.json() working for /api/messages', async () => {
      const reply = await post(base, '/api/messages', { 'content-type': 'application/json' }, Buffer.from('{"type":"message","text":"hi"}'));
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body)).toEqual({ echoed: { type: 'message', text: 'hi' } });
    });

    it('should answer 401 to a tampered delivery', async () => {
      const delivery = await signer.sign(TRANSFER);
      const reply = await post(base, '/api/8x8/webhook', { ...delivery.headers, 'x-8x8-tenant-id': 'evil' }, delivery.rawBody);
      expect(reply.status).toBe(401);
      expect(JSON.parse(reply.body)).toEqual({ ok: false, error: 'bad_signature' });
      expect(events).toEqual([]);
    });

    it('should answer 200 to the unsigned WEB_HOOK_VERIFY ping', async () => {
      const reply = await post(base, '/api/8x8/webhook', { 'content-type': 'application/json' }, Buffer.from('{"notificationVersion":"Chat Gateway v1.0","eventType":"WEB_HOOK_VERIFY"}'));
      expect(reply.status).toBe(200);
    });

    it('should answer 413 when the declared body is over the limit', async () => {
      const delivery = await signer.sign({ ...TRANSFER, pad: 'x'.repeat(64 * 1024) });
      const reply = await post(base, '/api/8x8/webhook', delivery.headers, delivery.rawBody);
      expect(reply.status).toBe(413);
      expect(JSON.parse(reply.body)).toEqual({ ok: false, error: 'payload_too_large' });
    });

    it('should answer 413 while streaming a chunked body over the limit', async () => {
      const delivery = await signer.sign({ ...TRANSFER, pad: 'x'.repeat(256 * 1024) });
      const reply = await post(base, '/api/8x8/webhook', delivery.headers, delivery.rawBody, true);
      expect(reply.status).toBe(413);
      expect(events).toEqual([]);
    });

    it('should accept a chunked body under the limit', async () => {
      const delivery = await signer.sign({ ...TRANSFER, pad: 'x'.repeat(10 * 1024) });
      const reply = await post(base, '/api/8x8/webhook', delivery.headers, delivery.rawBody, true);
      expect(reply.status).toBe(200);
    });

    it('should answer 415 to a non-JSON content type', async () => {
      const delivery = await signer.sign(TRANSFER, { contentType: 'text/plain' });
      const reply = await post(base, '/api/8x8/webhook', delivery.headers, delivery.rawBody);
      expect(reply.status).toBe(415);
    });
  });

  describe('with express.json() mounted globally before the webhook route', () => {
    it('should verify a compact body over its re-serialisation and warn once about the route order', async () => {
      const base = await start((app) => {
        app.use(express.json());
        app.post('/api/8x8/webhook', expressWebhook(receiver, { logger: errorLogger }));
      });
      for (const event of [TRANSFER, { ...TRANSFER, conversationId: 'c-2' }]) {
        const delivery = await signer.sign(event);
        const reply = await post(base, '/api/8x8/webhook', delivery.headers, delivery.rawBody);
        expect(reply.status).toBe(200);
      }
      expect(events).toEqual([TRANSFER, { ...TRANSFER, conversationId: 'c-2' }]);
      expect(errors).toEqual([expect.stringMatching(/^warn: .*Mount the route before express.json\(\)/)]);
    });

    it('should refuse with 401 a body 8x8 signed in a non-compact form, since its exact bytes are gone', async () => {
      const base = await start((app) => {
        app.use(express.json());
        app.post('/api/8x8/webhook', expressWebhook(receiver, { logger: errorLogger }));
      });
      const delivery = await signer.sign(JSON.stringify(TRANSFER, null, 2));
      const reply = await post(base, '/api/8x8/webhook', delivery.headers, delivery.rawBody);
      expect(reply.status).toBe(401);
      expect(events).toEqual([]);
    });

    it('should refuse a tampered body with 401 even though it arrives parsed', async () => {
      const base = await start((app) => {
        app.use(express.json());
        app.post('/api/8x8/webhook', expressWebhook(receiver, { logger: errorLogger }));
      });
      const delivery = await signer.sign(TRANSFER);
      const tampered = Buffer.from(JSON.stringify({ ...TRANSFER, conversationId: 'c-evil' }));
      const reply = await post(base, '/api/8x8/webhook', delivery.headers, tampered);
      expect(reply.status).toBe(401);
      expect(events).toEqual([]);
    });

    it('should use the exact bytes left by express.raw()', async () => {
      const base = await start((app) => {
        app.use(express.raw({ type: '*/*' }));
        app.post('/api/8x8/webhook', expressWebhook(receiver, { logger: errorLogger }));
      });
      const delivery = await signer.sign(`  ${JSON.stringify(TRANSFER)}\n`);
      const reply = await post(base, '/api/8x8/webhook', delivery.headers, delivery.rawBody);
      expect(reply.status).toBe(200);
      expect(errors).toEqual([]);
    });

    it('should fail loudly with 500 when a parser consumed the stream and left no body', async () => {
      const base = await start((app) => {
        app.use((req, _res, next) => {
          req.resume();
          req.on('end', () => next());
        });
        app.post('/api/8x8/webhook', expressWebhook(receiver, { logger: errorLogger }));
      });
      const delivery = await signer.sign(TRANSFER);
      const reply = await post(base, '/api/8x8/webhook', delivery.headers, delivery.rawBody);
      expect(reply.status).toBe(500);
      expect(JSON.parse(reply.body)).toEqual({ ok: false, error: 'webhook_body_already_parsed' });
      expect(errors).toEqual([expect.stringContaining('Mount it before express.json()')]);
      expect(events).toEqual([]);
    });

    it('should use the raw body saved by express.json({ verify })', async () => {
      const base = await start((app) => {
        app.use(express.json({ verify: (req, _res, buf) => void ((req as { rawBody?: Buffer }).rawBody = buf) }));
        app.post('/api/8x8/webhook', expressWebhook(receiver, { logger: errorLogger }));
      });
      const delivery = await signer.sign(`  ${JSON.stringify(TRANSFER)}\n`);
      const reply = await post(base, '/api/8x8/webhook', delivery.headers, delivery.rawBody);
      expect(reply.status).toBe(200);
      expect(events).toEqual([TRANSFER]);
      expect(errors).toEqual([]);
    });
  });
});
