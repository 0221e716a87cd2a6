import { flattenedVerify, importJWK, type JWK } from 'jose';
import { startEmulator, type DeliveryRecord, type Emulator } from '../../src/emulator';
import { parseGatewayEvent } from '../../src/webhook/events';
import { signedPayload, webhookChecksum } from '../../src/webhook/signature';
import { call } from './support/http';
import { startReceiver, type Received, type Receiver } from './support/receiver';

/** Verifies one received request as an 8x8 integration would, with the key fetched from the emulator. */
async function verifySignature(emulator: Emulator, r: Received): Promise<void> {
  const h = (name: string) => String(r.headers[name]);
  const [protectedHeader, , signature] = h('x-8x8-signature').split('.');
  const { kid } = JSON.parse(Buffer.from(protectedHeader!, 'base64url').toString()) as { kid: string };
  const jwk = (await call(emulator, 'GET', `jwk/${kid}/public`, { apiKey: null })).body as JWK;
  const payload = signedPayload({
    checksum: webhookChecksum(r.rawBody), cid: h('x-8x8-customer-id'), eid: h('x-8x8-event-id'),
    retry: Number(h('x-8x8-retry')), tid: h('x-8x8-tenant-id'), tt: Number(h('x-8x8-transmission-time')),
  });
  await flattenedVerify({ protected: protectedHeader!, payload, signature: signature! }, await importJWK(jwk, 'RS256'));
}

describe('emulator webhook delivery', () => {
  let emulator: Emulator;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    emulator = await startEmulator({ port: 0, webhookUrl: receiver.url, tenantId: 'T1', customerId: 'C1', delivery: { baseDelayMs: 20, retries: 2, timeoutMs: 3000 } });
  });
  afterAll(async () => {
    await emulator.close();
    await receiver.close();
  });
  afterEach(() => {
    receiver.respond = () => 200;
    emulator.faults = {};
  });

  const createConversation = async (name = 'Jo'): Promise<string> => {
    const res = await call(emulator, 'POST', 'conversations', { body: { channelId: emulator.channelId, user: { name } } });
    return (res.body as { conversationId: string }).conversationId;
  };
  const forConversation = (id: string) => (r: Received) => r.body.conversationId === id;

  it('should send the real header set, signed so that jose verifies it with the served JWK', async () => {
    const id = await createConversation();
    const got = await receiver.waitFor(forConversation(id), 3);
    for (const r of got) {
      expect(r.headers).toMatchObject({
        'x-8x8-tenant-id': 'T1', 'x-8x8-customer-id': 'C1', 'x-8x8-retry': '0',
        'x-8x8-event-id': expect.stringMatching(/^[\w-]{22}$/), 'x-8x8-transmission-time': expect.stringMatching(/^\d{13}$/),
        'content-type': 'application/json', 'cache-control': 'no-cache',
      });
      await verifySignature(emulator, r);
      expect(r.body).toEqual({ eventType: expect.any(String), conversationId: id, timestamp: expect.any(Number), data: expect.any(Object) });
      expect(parseGatewayEvent(r.body).kind).toBe('event');
    }
    await expect(verifySignature(emulator, { ...got[0]!, rawBody: got[0]!.rawBody.replace('Jo', 'Jx') })).rejects.toThrow();
  });

  it('should retry on 500 with the same event id, a counting retry header and a fresh signature each time', async () => {
    let failures = 2;
    receiver.respond = ({ body }) => (body.eventType === 'QUEUED' && failures-- > 0 ? 500 : 200);
    const id = await createConversation();
    const queued = await receiver.waitFor((r) => forConversation(id)(r) && r.body.eventType === 'QUEUED', 3);
    expect(queued.map((r) => [r.headers['x-8x8-retry'], r.status])).toEqual([['0', 500], ['1', 500], ['2', 200]]);
    expect(new Set(queued.map((r) => r.headers['x-8x8-event-id'])).size).toBe(1);
    expect(new Set(queued.map((r) => r.headers['x-8x8-signature'])).size).toBe(3);
    for (const r of queued) await verifySignature(emulator, r);
    const record = emulator.deliveries.find((d) => d.eventId === queued[0]!.headers['x-8x8-event-id'])!;
    expect([record.status, record.attempts.map((a) => a.status)]).toEqual(['delivered', [500, 500, 200]]);
  });

  it('should keep a conversation in order: the next event waits until the previous one is delivered', async () => {
    let failures = 2;
    receiver.respond = ({ body }) => (body.eventType === 'CONVERSATION_UPDATE' && failures-- > 0 ? 503 : 200);
    const id = await createConversation();
    const got = await receiver.waitFor((r) => forConversation(id)(r) && r.status === 200, 3);
    const sequence = receiver.received.filter(forConversation(id)).map((r) => `${r.body.eventType}/${(r.body.data as { state?: string }).state ?? ''}/${r.status}`);
    expect(sequence).toEqual(['CONVERSATION_UPDATE/created/503', 'CONVERSATION_UPDATE/created/503', 'CONVERSATION_UPDATE/created/200', 'CONVERSATION_UPDATE/active/200', 'QUEUED//200']);
    expect(got).toHaveLength(3);
  });

  it('should treat a timeout as a failure and give up after the last retry, then deliver the next event', async () => {
    const impatient = await startEmulator({ port: 0, webhookUrl: receiver.url, delivery: { timeoutMs: 150, retries: 1, baseDelayMs: 5 } });
    try {
      receiver.respond = ({ body }) => (body.eventType === 'QUEUED' ? 0 : 200);
      const res = await call(impatient, 'POST', 'conversations', { body: { channelId: impatient.channelId, user: {} } });
      const id = (res.body as { conversationId: string }).conversationId;
      const failed = await impatient.waitForDelivery((d) => d.conversationId === id && d.eventType === 'QUEUED' && d.status === 'failed');
      expect(failed.attempts.map((a) => [a.retry, a.error])).toEqual([0, 1].map((n) => [n, expect.stringMatching(/timeout/)]));
      receiver.respond = () => 200;
      await impatient.agent('agent-1').accept(id);
      await receiver.waitFor((r) => forConversation(id)(r) && r.body.eventType === 'MEMBERS_CHANGED');
    } finally {
      await impatient.close();
    }
  });

  it('should deliver every event twice with the same event id when the duplicate fault is on', async () => {
    emulator.faults.delivery = { duplicate: true };
    const id = await createConversation();
    const got = await receiver.waitFor(forConversation(id), 6);
    const ids = got.map((r) => r.headers['x-8x8-event-id']);
    expect(ids[0]).toBe(ids[1]);
    expect(new Set(ids).size).toBe(3);
    expect(got.map((r) => r.headers['x-8x8-retry'])).toEqual(['0', '1', '0', '1', '0', '1']);
    const records = emulator.deliveries.filter((d) => d.conversationId === id);
    const originals = records.filter((d) => !d.duplicate).map((d) => d.eventId);
    expect(records.filter((d) => d.duplicate).map((d) => d.eventId)).toEqual(originals);
    expect(originals).toHaveLength(3);
  });

  it('should reorder across conversations but never inside one when jitter is on', async () => {
    // Conversation A draws jitter in [300, 600) ms, B (created right after) in [0, 300) ms.
    let n = 0;
    let high = true;
    const random = () => ((n++ * 0.37) % 0.5) + (high ? 0.5 : 0);
    const jittery = await startEmulator({ port: 0, webhookUrl: receiver.url, random, faults: { delivery: { jitterMs: 600 } } });
    const create = async () => {
      const res = await call(jittery, 'POST', 'conversations', { body: { channelId: jittery.channelId, user: {} } });
      return (res.body as { conversationId: string }).conversationId;
    };
    try {
      const a = await create();
      high = false;
      const b = await create();
      await receiver.waitFor((r) => r.body.conversationId === a || r.body.conversationId === b, 6, 8000);
      const mine = receiver.received.filter((r) => r.body.conversationId === a || r.body.conversationId === b);
      for (const id of [a, b]) expect(mine.filter(forConversation(id)).map((r) => r.body.eventType)).toEqual(['CONVERSATION_UPDATE', 'CONVERSATION_UPDATE', 'QUEUED']);
      expect(mine[0]!.body.conversationId).toBe(b);
    } finally {
      await jittery.close();
    }
  });

  it('should take timestamps from the injected clock and hold events back by delivery.delayMs', async () => {
    const pinned = await startEmulator({ port: 0, webhookUrl: receiver.url, clock: { now: () => 1_700_000_000_000 }, faults: { delivery: { delayMs: 150 } } });
    try {
      const started = Date.now();
      const res = await call(pinned, 'POST', 'conversations', { body: { channelId: pinned.channelId, user: {} } });
      const id = (res.body as { conversationId: string }).conversationId;
      const [first] = await receiver.waitFor(forConversation(id));
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect([first!.body.timestamp, first!.headers['x-8x8-transmission-time']]).toEqual([1_700_000_000_000, '1700000000000']);
      expect(res.body).toMatchObject({ createdAt: '2023-11-14T22:13:20.000Z' });
    } finally {
      await pinned.close();
    }
  });

  it('should log a delivery as skipped when the channel has no webhook', async () => {
    const id = await createConversation();
    await emulator.waitForDelivery((d) => d.conversationId === id && d.eventType === 'QUEUED' && d.status === 'delivered');
    await call(emulator, 'DELETE', `webhooks/${emulator.webhookId}`);
    await call(emulator, 'POST', `conversations/${id}/messages`, { body: { authorType: 'bot', text: 'anyone?' } });
    const skipped: DeliveryRecord = await emulator.waitForDelivery((d) => d.conversationId === id && d.eventType === 'MESSAGE' && d.status !== 'pending');
    expect([skipped.status, skipped.attempts]).toEqual(['skipped', []]);
  });
});
