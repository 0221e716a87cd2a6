/**
 * Acceptance (black box): the express adapter of the webhook receiver over real HTTP, in an app
 * that also mounts `express.json()` for `/api/messages` (issue 2, RELIABILITY.md S7).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { expressWebhook, silentLogger, WebhookReceiver } from 'botbuilder-8x8-handoff';
import { JwkServer, TestSigner } from './support/signer';

let signer: TestSigner;
let jwks: JwkServer;
const servers: http.Server[] = [];

beforeAll(async () => {
  signer = await TestSigner.create('kid-express');
  jwks = await JwkServer.start([signer.publicJwk]);
});
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
  await jwks.close();
});

async function listen(app: express.Express): Promise<string> {
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

type Layout = 'json-global-with-verify' | 'json-on-messages-only' | 'json-on-messages-route' | 'json-global-after-webhook' | 'json-global-before-webhook';

async function appWith(layout: Layout) {
  const events: string[] = [];
  const messages: unknown[] = [];
  const receiver = new WebhookReceiver({ baseUrl: jwks.url, logger: silentLogger, onEvent: async (e) => void events.push(e.eventType) });
  const app = express();
  const onMessage = (req: express.Request, res: express.Response) => {
    messages.push(req.body);
    res.status(200).json({ got: req.body });
  };
  if (layout === 'json-on-messages-only') app.use('/api/messages', express.json());
  if (layout === 'json-global-before-webhook') app.use(express.json());
  if (layout === 'json-global-with-verify') {
    app.use(express.json({ verify: (req, _res, buf) => void ((req as unknown as { rawBody: Buffer }).rawBody = buf) }));
  }
  if (layout === 'json-on-messages-route') app.post('/api/messages', express.json(), onMessage);
  app.post('/api/8x8/webhook', expressWebhook(receiver, { logger: { error: () => undefined } }));
  if (layout === 'json-global-after-webhook') app.use(express.json());
  if (layout !== 'json-on-messages-route') app.post('/api/messages', onMessage);
  return { url: await listen(app), events, messages };
}

const body = JSON.stringify({ eventType: 'QUEUED', conversationId: 'c-1', timestamp: 1, data: { queueId: 'q', queueName: 'Q' } });

describe('expressWebhook() (acceptance)', () => {
  it.each<Layout>(['json-on-messages-only', 'json-on-messages-route', 'json-global-after-webhook', 'json-global-with-verify'])(
    'should verify and process a signed event and keep /api/messages parsing JSON when express.json() is mounted %s',
    async (layout) => {
      const { url, events, messages } = await appWith(layout);
      const res = await fetch(`${url}/api/8x8/webhook`, { method: 'POST', headers: await signer.headers(body), body });
      expect(res.status).toBe(200);
      expect(events).toEqual(['QUEUED']);
      const m = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"message","text":"hi"}' });
      expect(m.status).toBe(200);
      expect(messages).toEqual([{ type: 'message', text: 'hi' }]);
    },
  );

  // Issue 2: the adapter "must work when the app also mounts express.json() for /api/messages";
  // botbuilder's express samples mount it globally (app.use(express.json())) before their routes.
  it('should still verify a signed event when a global express.json() runs before the webhook route', async () => {
    const { url, events } = await appWith('json-global-before-webhook');
    const res = await fetch(`${url}/api/8x8/webhook`, { method: 'POST', headers: await signer.headers(body), body });
    expect(res.status).toBe(200);
    expect(events).toEqual(['QUEUED']);
  });

  it('should answer 401 over HTTP for a tampered body', async () => {
    const { url, events } = await appWith('json-on-messages-only');
    const headers = await signer.headers(body);
    const res = await fetch(`${url}/api/8x8/webhook`, { method: 'POST', headers, body: body.replace('c-1', 'c-2') });
    expect(res.status).toBe(401);
    expect(events).toEqual([]);
  });

  it('should answer 413 over HTTP for a body over 1 MiB', async () => {
    const { url } = await appWith('json-on-messages-only');
    const big = JSON.stringify({ eventType: 'QUEUED', conversationId: 'c', timestamp: 1, data: { queueId: 'q', queueName: 'x'.repeat(1_100_000) } });
    const res = await fetch(`${url}/api/8x8/webhook`, { method: 'POST', headers: await signer.headers(big), body: big });
    expect(res.status).toBe(413);
  });

  it('should answer 415 over HTTP for a non-JSON content type', async () => {
    const { url } = await appWith('json-on-messages-only');
    const res = await fetch(`${url}/api/8x8/webhook`, { method: 'POST', headers: { ...(await signer.headers(body)), 'content-type': 'text/plain' }, body });
    expect(res.status).toBe(415);
  });

  it('should answer 400 over HTTP for malformed JSON that is validly signed', async () => {
    const { url } = await appWith('json-on-messages-only');
    const bad = '{"eventType":';
    const res = await fetch(`${url}/api/8x8/webhook`, { method: 'POST', headers: await signer.headers(bad), body: bad });
    expect(res.status).toBe(400);
  });
});
