/**
 * Two bot instances behind a load balancer: two express apps, each with its own WebhookReceiver
 * and its own Redis connection, sharing one RedisDedupeStore keyspace. 8x8's deliveries (signed
 * for real, keys fetched over HTTP) land on either instance, sometimes on both at once.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { silentLogger } from '../../src/logger';
import { RedisDedupeStore } from '../../src/storage';
import { expressWebhook } from '../../src/webhook/express';
import type { WebhookMeta } from '../../src/webhook/headers';
import { WebhookReceiver } from '../../src/webhook/receiver';
import { describeWithRedis } from '../support/redis';
import { WebhookSigner, type SignedDelivery } from '../support/webhook-signer';

interface Instance {
  url: string;
  server: Server;
  /** Event ids this instance dispatched. */
  dispatched: string[];
  /** When set, onEvent fails for these event ids (a crash or an outage while recording). */
  failFor: Set<string>;
}

const message = (n: number) => ({ eventType: 'MESSAGE', conversationId: `c-${n % 3}`, timestamp: 1, data: { sender: { type: 'agent' }, text: `m${n}` } });

async function post(instance: Instance, delivery: SignedDelivery): Promise<{ status: number; result: string }> {
  const reply = await fetch(instance.url, { method: 'POST', headers: delivery.headers, body: new Uint8Array(delivery.rawBody) });
  const body = (await reply.json()) as { result?: string; error?: string };
  return { status: reply.status, result: body.result ?? body.error ?? '' };
}

describeWithRedis('two bot instances sharing a RedisDedupeStore', (redis) => {
  let signer: WebhookSigner;
  let instances: [Instance, Instance];
  let prefixCounter = 0;

  async function startInstance(keyPrefix: string): Promise<Instance> {
    const instance: Instance = { url: '', server: undefined as never, dispatched: [], failFor: new Set() };
    const receiver = new WebhookReceiver({
      baseUrl: signer.baseUrl,
      logger: silentLogger,
      onError: () => {},
      dedupe: new RedisDedupeStore({ client: redis.connect(), keyPrefix }),
      onEvent: async (_event, meta: WebhookMeta) => {
        // Recording takes a moment, so a simultaneous delivery to the other instance overlaps it.
        await new Promise((resolve) => setTimeout(resolve, 15));
        if (instance.failFor.delete(meta.eventId)) throw new Error('could not record');
        instance.dispatched.push(meta.eventId);
      },
    });
    const app = express();
    app.post('/api/8x8/webhook', expressWebhook(receiver));
    instance.server = createServer(app);
    await new Promise<void>((resolve) => instance.server.listen(0, '127.0.0.1', resolve));
    instance.url = `http://127.0.0.1:${(instance.server.address() as AddressInfo).port}/api/8x8/webhook`;
    return instance;
  }

  beforeAll(async () => {
    signer = await WebhookSigner.start();
  });
  beforeEach(async () => {
    const keyPrefix = `multi-${++prefixCounter}:`;
    instances = [await startInstance(keyPrefix), await startInstance(keyPrefix)];
  });
  afterEach(async () => {
    for (const { server } of instances) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
  afterAll(() => signer.close());

  const all = (): string[] => [...instances[0].dispatched, ...instances[1].dispatched].sort();

  it('should dispatch each event once when 8x8 delivers it to both instances at the same moment (20 events)', async () => {
    const ids = Array.from({ length: 20 }, (_, n) => `evt-both-${n}`);
    for (const [n, eventId] of ids.entries()) {
      const [a, b] = await Promise.all([signer.sign(message(n), { eventId, retry: 0 }), signer.sign(message(n), { eventId, retry: 1 })]);
      const replies = await Promise.all([post(instances[0], a), post(instances[1], b)]);
      expect(replies.filter((r) => r.result === 'processed')).toHaveLength(1);
      // The other answer is 503 (8x8 retries later) or, if the first had already finished, a 200 duplicate.
      const other = replies.find((r) => r.result !== 'processed')!;
      expect([`503 in_progress`, `200 duplicate`]).toContain(`${other.status} ${other.result}`);
      // 8x8's retry of the delivery, on either instance, is acknowledged without a second dispatch.
      const retry = await post(instances[n % 2 as 0 | 1], await signer.sign(message(n), { eventId, retry: 2 }));
      expect(retry).toEqual({ status: 200, result: 'duplicate' });
    }
    expect(all()).toEqual([...ids].sort());
  });

  it('should let the other instance process 8x8\'s retry when the first instance failed to record the event', async () => {
    instances[0].failFor.add('evt-fail');
    const first = await post(instances[0], await signer.sign(message(1), { eventId: 'evt-fail', retry: 0 }));
    expect(first).toEqual({ status: 503, result: 'event_handler_failed' });
    const retry = await post(instances[1], await signer.sign(message(1), { eventId: 'evt-fail', retry: 1 }));
    expect(retry).toEqual({ status: 200, result: 'processed' });
    const again = await post(instances[0], await signer.sign(message(1), { eventId: 'evt-fail', retry: 2 }));
    expect(again).toEqual({ status: 200, result: 'duplicate' });
    expect(all()).toEqual(['evt-fail']);
    expect(instances[1].dispatched).toEqual(['evt-fail']);
  });

  it('should dispatch once for 5 deliveries of one event spread over both instances, some concurrent', async () => {
    const deliveries = await Promise.all([0, 1, 2, 3, 4].map((retry) => signer.sign(message(9), { eventId: 'evt-five', retry })));
    const burst = await Promise.all(deliveries.slice(0, 3).map((d, i) => post(instances[i % 2 as 0 | 1], d)));
    const later = [await post(instances[1], deliveries[3]!), await post(instances[0], deliveries[4]!)];
    expect([...burst, ...later].filter((r) => r.result === 'processed')).toHaveLength(1);
    expect(later).toEqual([{ status: 200, result: 'duplicate' }, { status: 200, result: 'duplicate' }]);
    expect(all()).toEqual(['evt-five']);
  });
});
