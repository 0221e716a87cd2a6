/**
 * Acceptance (black box): the emulator's webhook events (issue 3 "Behaviour" and REFERENCE.md
 * sections 1, 4, 5 and 7.3): sequences, shapes, headers, signatures checked by this suite's own
 * verifier, retries and faults.
 */
import { startEmulator, type Emulator } from 'botbuilder-8x8-handoff/emulator';
import { verifyDelivery } from './support/signer';
import { label, WebhookSink, type Delivered } from './support/webhook-sink';

const API_KEY = 'acceptance-key';
let emu: Emulator;
let sink: WebhookSink;
const C = '/chat-gateway/v1';

beforeAll(async () => {
  sink = await WebhookSink.start();
  emu = await startEmulator({
    port: 0, apiKey: API_KEY, webhookUrl: sink.url, tenantId: 'tenant-acc', customerId: 'customer-acc',
    queues: [{ id: 'q-support', name: 'Support' }, { id: 'q-sales', name: 'Sales' }],
    agents: [{ id: 'agent-1', name: 'Alice Agent' }, { id: 'agent-2', name: 'Bob Agent' }],
    delivery: { baseDelayMs: 20, retries: 3, timeoutMs: 2000 },
  });
});
afterAll(async () => {
  await emu.close();
  await sink.close();
});
afterEach(() => {
  sink.status = () => 200;
  emu.faults.delivery = {};
});

async function post(path: string, body: unknown, method = 'POST'): Promise<Response> {
  return fetch(`${emu.url}${C}${path}`, { method, headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function create(queueId = 'q-support'): Promise<string> {
  const res = await post('/conversations', {
    channelId: emu.channelId, user: { name: 'Jane Doe', email: 'jane@example.com', language: 'en' }, assignment: { type: 'queue', id: queueId },
    history: { messages: [{ authorType: 'user', text: 'I need help' }, { authorType: 'bot', text: 'Let me get someone' }] },
  });
  expect(res.status).toBe(202);
  const { conversationId } = await res.json() as { conversationId: string };
  await sink.until(() => lifecycle(conversationId).some((l) => l.startsWith('QUEUED')));
  return conversationId;
}

/** Non-MESSAGE labels of one conversation (history echoes, if any, are left out). */
const lifecycle = (id: string) => sink.of(id).map(label).filter((l) => !l.startsWith('MESSAGE'));
const after = (id: string, n: number) => sink.until(() => (lifecycle(id).length >= n ? lifecycle(id) : undefined));
const find = (id: string, predicate: (d: Delivered) => boolean) => sink.until(() => sink.of(id).find(predicate));

describe('emulator webhook events (acceptance)', () => {
  it('should send CONVERSATION_UPDATE created, CONVERSATION_UPDATE active, then QUEUED with queue id and name on create', async () => {
    const id = await create();
    const events = sink.of(id).filter((d) => d.body.eventType !== 'MESSAGE');
    expect(events.slice(0, 3).map((d) => [d.body.eventType, d.body.data?.state ?? d.body.data?.queueId])).toEqual([
      ['CONVERSATION_UPDATE', 'created'], ['CONVERSATION_UPDATE', 'active'], ['QUEUED', 'q-support'],
    ]);
    expect(events[2].body.data).toEqual({ queueId: 'q-support', queueName: 'Support' });
    expect(events[0].body.data).toMatchObject({ assignment: { type: 'queue', id: 'q-support' }, user: { name: 'Jane Doe' } });
    for (const e of events) {
      expect(e.body.conversationId).toBe(id);
      expect(typeof e.body.timestamp).toBe('number');
    }
  });

  it('should send MEMBERS_CHANGED agent joined and CONVERSATION_UPDATE with assignment agent when an agent accepts', async () => {
    const id = await create();
    const n = lifecycle(id).length;
    await emu.agent('agent-1').accept(id);
    const joined = await find(id, (d) => label(d) === 'MEMBERS_CHANGED agent joined');
    expect(joined.body.data).toEqual({ memberType: 'agent', change: 'joined', id: 'agent-1' });
    const update = await find(id, (d) => d.body.eventType === 'CONVERSATION_UPDATE' && (d.body.data as any).assignment?.type === 'agent'); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(update.body.data).toMatchObject({ state: 'active', assignment: { type: 'agent', id: 'agent-1' } });
    expect((await after(id, n + 2)).slice(n)).toEqual(['MEMBERS_CHANGED agent joined', 'CONVERSATION_UPDATE active agent']);
  });

  it('should send ACTIVITY typing with the agent in users, and an empty users list when typing stops', async () => {
    const id = await create();
    const agent = emu.agent('agent-1');
    await agent.accept(id);
    await agent.typing(true);
    const on = await find(id, (d) => d.body.eventType === 'ACTIVITY');
    expect(on.body.data).toEqual({ name: 'typing', value: { users: [{ id: 'agent-1', type: 'agent' }] } });
    await agent.typing(false);
    const off = await sink.until(() => sink.of(id).filter((d) => d.body.eventType === 'ACTIVITY')[1]);
    expect(off.body.data).toEqual({ name: 'typing', value: { users: [] } });
  });

  it('should send an agent MESSAGE (isEcho false) with text, a downloadable preSignedUrl attachment and a card', async () => {
    const id = await create();
    const agent = emu.agent('agent-1');
    await agent.accept(id);
    const card = { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.3', body: [{ type: 'TextBlock', text: 'Hi' }] } };
    await agent.say('Here is the form', { attachments: [{ filename: 'form.txt', contentType: 'text/plain', data: 'form bytes' }], cards: [card] });
    const msg = await find(id, (d) => d.body.eventType === 'MESSAGE' && (d.body.data as any).sender?.type === 'agent'); // eslint-disable-line @typescript-eslint/no-explicit-any
    const data = msg.body.data as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(data.isEcho).toBe(false);
    expect(data.sender).toEqual({ id: 'agent-1', type: 'agent' });
    expect(data.text).toBe('Here is the form');
    expect(data.attachments).toHaveLength(1);
    expect(data.attachments[0]).toMatchObject({ id: expect.any(String), fileName: 'form.txt', preSignedUrl: expect.stringMatching(/^http/) });
    expect(['image', 'video', 'audio', 'file']).toContain(data.attachments[0].type);
    const download = await fetch(data.attachments[0].preSignedUrl);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('form bytes');
    expect(data.cards).toEqual([expect.objectContaining({ contentType: 'application/vnd.microsoft.card.adaptive', content: card.content })]);
  });

  it('should echo messages posted through the API as MESSAGE with isEcho true', async () => {
    const id = await create();
    expect((await post(`/conversations/${id}/messages`, { authorType: 'user', text: 'from the user' })).status).toBe(202);
    expect((await post(`/conversations/${id}/messages`, { authorType: 'bot', text: 'from the bot' })).status).toBe(202);
    const user = await find(id, (d) => (d.body.data as any)?.text === 'from the user'); // eslint-disable-line @typescript-eslint/no-explicit-any
    const bot = await find(id, (d) => (d.body.data as any)?.text === 'from the bot'); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(user.body.data).toMatchObject({ isEcho: true, sender: { type: 'user' } });
    expect(bot.body.data).toMatchObject({ isEcho: true, sender: { type: 'bot' } });
  });

  it('should deliver the user message to the agent side (scripted agent waitForMessage)', async () => {
    const id = await create();
    await emu.agent('agent-1').accept(id);
    await post(`/conversations/${id}/messages`, { authorType: 'user', text: 'are you there?' });
    const m = await emu.agent('agent-1').waitForMessage(id, (x) => x.text === 'are you there?', { timeoutMs: 3000 });
    expect(m.authorType).toBe('user');
  });

  it('should send TRANSFER (no data), agent left, then a new agent joined in the target queue', async () => {
    const id = await create();
    await emu.agent('agent-1').accept(id);
    await after(id, 5);
    const n = lifecycle(id).length;
    await emu.agent('agent-1').transfer('q-sales');
    await sink.until(() => lifecycle(id).slice(n).find((l) => l === 'QUEUED q-sales'));
    const transfer = sink.of(id).find((d) => d.body.eventType === 'TRANSFER')!;
    expect(transfer.body.data).toBeUndefined();
    const seq = lifecycle(id).slice(n);
    expect(seq.indexOf('TRANSFER')).toBe(0);
    expect(seq.indexOf('MEMBERS_CHANGED agent left')).toBeGreaterThan(0);
    expect(seq.filter((l) => l.startsWith('CONVERSATION_UPDATE idle'))).toEqual([]);
    await emu.agent('agent-2').accept(id);
    const joined = await find(id, (d) => label(d) === 'MEMBERS_CHANGED agent joined' && (d.body.data as any).id === 'agent-2'); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(joined.body.data).toMatchObject({ memberType: 'agent', change: 'joined' });
  });

  it('should send MEMBERS_CHANGED agent left and CONVERSATION_UPDATE idle when the agent ends', async () => {
    const id = await create();
    await emu.agent('agent-1').accept(id);
    await after(id, 5);
    const n = lifecycle(id).length;
    await emu.agent('agent-1').leave();
    expect((await after(id, n + 2)).slice(n)).toEqual(['MEMBERS_CHANGED agent left', expect.stringMatching(/^CONVERSATION_UPDATE idle/)]);
    expect(sink.of(id).find((d) => label(d) === 'MEMBERS_CHANGED agent left')!.body.data).toMatchObject({ memberType: 'agent', change: 'left', id: 'agent-1' });
  });

  it('should send MEMBERS_CHANGED user left and release the agent when the user leaves', async () => {
    const id = await create();
    await emu.agent('agent-1').accept(id);
    await after(id, 5);
    const res = await post(`/conversations/${id}/participants/user`, { removed: true }, 'PATCH');
    expect(res.status).toBe(204);
    await sink.until(() => lifecycle(id).includes('MEMBERS_CHANGED user left'));
    await sink.until(() => emu.conversation(id)?.agentId === undefined);
    expect(emu.conversation(id)?.userLeft).toBe(true);
    const parts = await (await fetch(`${emu.url}${C}/conversations/${id}/participants`, { headers: { 'x-api-key': API_KEY } })).json() as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    const user = parts._embedded.participants.find((p: { type: string }) => p.type === 'user');
    expect(user.removed).toBe(true);
  });

  it('should re-queue in the last queue, with the full history, when the user writes after the end', async () => {
    const id = await create();
    await emu.agent('agent-1').accept(id);
    await emu.agent('agent-1').transfer('q-sales');
    await sink.until(() => lifecycle(id).includes('QUEUED q-sales'));
    await emu.agent('agent-2').accept(id);
    await emu.agent('agent-2').say('bye');
    await emu.agent('agent-2').leave();
    await sink.until(() => lifecycle(id).some((l) => l.startsWith('CONVERSATION_UPDATE idle')));
    const n = lifecycle(id).length;
    await post(`/conversations/${id}/messages`, { authorType: 'user', text: 'one more thing' });
    await sink.until(() => lifecycle(id).slice(n).includes('QUEUED q-sales'));
    const conv = emu.conversation(id)!;
    expect(conv.status).toBe('queued');
    expect(conv.queueId).toBe('q-sales');
    expect(conv.messages.map((m) => m.text)).toEqual(expect.arrayContaining(['I need help', 'Let me get someone', 'bye', 'one more thing']));
  });

  it('should send the six 8x8 headers, signed so that this suite\'s own verifier accepts them', async () => {
    const id = await create();
    const deliveries = sink.of(id);
    expect(deliveries.length).toBeGreaterThanOrEqual(3);
    for (const d of deliveries) {
      expect(d.headers['content-type']).toMatch(/^application\/json/);
      expect(d.headers['x-8x8-tenant-id']).toBe('tenant-acc');
      expect(d.headers['x-8x8-customer-id']).toBe('customer-acc');
      expect(d.headers['x-8x8-event-id']).toEqual(expect.any(String));
      expect(d.headers['x-8x8-retry']).toBe('0');
      expect(Math.abs(Number(d.headers['x-8x8-transmission-time']) - Date.now())).toBeLessThan(60_000);
      const [protectedB64] = String(d.headers['x-8x8-signature']).split('.');
      const header = JSON.parse(Buffer.from(protectedB64, 'base64url').toString()) as Record<string, unknown>;
      expect(header).toMatchObject({ alg: 'RS256', b64: false, crit: ['b64'], kid: expect.any(String) });
      const jwkRes = await fetch(`${emu.url}${C}/jwk/${encodeURIComponent(String(header.kid))}/public`);
      expect(jwkRes.status).toBe(200);
      expect(await verifyDelivery(d.headers as Record<string, string>, d.raw, await jwkRes.json() as Record<string, unknown>)).toBe(true);
    }
    expect(new Set(deliveries.map((d) => d.headers['x-8x8-event-id'])).size).toBe(deliveries.length);
  });

  it('should retry a non-2xx delivery with the same event id, x-8x8-retry counting up and a new signature', async () => {
    let failures = 0;
    sink.status = (d) => (d.body.eventType === 'QUEUED' && failures++ < 2 ? 500 : 200);
    const res = await post('/conversations', { channelId: emu.channelId, user: { name: 'Retry' }, assignment: { type: 'queue', id: 'q-support' } });
    const { conversationId: id } = await res.json() as { conversationId: string };
    const attempts = await sink.until(() => {
      const queued = sink.received.filter((d) => d.body.conversationId === id && d.body.eventType === 'QUEUED');
      return queued.length >= 3 ? queued : undefined;
    });
    expect(attempts.map((d) => d.headers['x-8x8-retry'])).toEqual(['0', '1', '2']);
    expect(new Set(attempts.map((d) => d.headers['x-8x8-event-id'])).size).toBe(1);
    expect(attempts.map((d) => d.answered)).toEqual([500, 500, 200]);
    expect(new Set(attempts.map((d) => d.headers['x-8x8-signature'])).size).toBe(3);
    const jwk = emu.jwk as unknown as Record<string, unknown>;
    for (const d of attempts) expect(await verifyDelivery(d.headers as Record<string, string>, d.raw, jwk)).toBe(true);
    const record = emu.deliveries.find((r) => r.conversationId === id && r.eventType === 'QUEUED')!;
    expect(record.status).toBe('delivered');
    expect(record.attempts.map((a) => a.retry)).toEqual([0, 1, 2]);
  });

  it('should deliver events of one conversation in order even when an earlier one needs retries', async () => {
    let failures = 0;
    sink.status = (d) => (d.body.eventType === 'CONVERSATION_UPDATE' && failures++ < 1 ? 503 : 200);
    const res = await post('/conversations', { channelId: emu.channelId, user: { name: 'Order' }, assignment: { type: 'queue', id: 'q-support' } });
    const { conversationId: id } = await res.json() as { conversationId: string };
    await sink.until(() => lifecycle(id).includes('QUEUED q-support'));
    expect(lifecycle(id).slice(0, 3)).toEqual(['CONVERSATION_UPDATE created queue', 'CONVERSATION_UPDATE active queue', 'QUEUED q-support']);
  });

  it('should deliver an event twice with the same event id when the duplicate fault is on', async () => {
    emu.faults.delivery = { duplicate: true };
    const res = await post('/conversations', { channelId: emu.channelId, user: { name: 'Dup' }, assignment: { type: 'queue', id: 'q-support' } });
    const { conversationId: id } = await res.json() as { conversationId: string };
    const queued = await sink.until(() => {
      const list = sink.of(id).filter((d) => d.body.eventType === 'QUEUED');
      return list.length >= 2 ? list : undefined;
    });
    expect(queued[0].headers['x-8x8-event-id']).toBe(queued[1].headers['x-8x8-event-id']);
  });

  // Issue 3 promises waitFor... helpers for tests: a waiter must never see a half-filled history.
  it('should resolve waitForConversation with the complete history of the create call', async () => {
    // The test waits first, as a user's test would while its bot escalates.
    const waiting = emu.waitForConversation((c) => c.user.name === 'Atomic History');
    const res = await fetch(`${emu.url}/chat-gateway/v1/conversations`, {
      method: 'POST', headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ channelId: emu.channelId, user: { name: 'Atomic History' }, history: { messages: [{ authorType: 'user', text: 'a' }, { authorType: 'bot', text: 'b' }, { authorType: 'user', text: 'c' }] } }),
    });
    expect(res.status).toBe(202);
    const seen = await waiting;
    expect(seen.messages.map((m) => m.text)).toEqual(['a', 'b', 'c']);
  });

});
