/**
 * Which 8x8 conversations the adapter serves, across instances and restarts: the storage the
 * instances share says which conversations the adapter already serves (no 8x8 call needed), and
 * 8x8 itself (GET /conversations/{id}) says which channel an unknown one is on; the middleware's
 * own conversations (on its Chat API channel) are never answered as a customer's.
 */
import { MemoryStorage } from 'botbuilder';
import { ChatGatewayAdapter } from '../../src/channel';
import { ChatGatewayClient } from '../../src/gateway';
import { silentLogger } from '../../src/logger';
import { GREETING, startChannelRig, textsOf, type ChannelRig } from './rig';

describe('ChatGatewayAdapter: conversation ownership', () => {
  const storage = new MemoryStorage();
  let rig: ChannelRig;
  beforeAll(async () => {
    rig = await startChannelRig({ adapter: { storage }, handoff: { storage } });
  });
  afterAll(async () => {
    await rig.close();
  });

  /** A second instance of the bot (another process, or this one after a restart) on the same storage. */
  const secondInstance = () =>
    new ChatGatewayAdapter({
      gateway: new ChatGatewayClient({ apiKey: 'emulator-api-key', baseUrl: rig.emulator.url, retry: { retries: 0 } }),
      bot: { run: async () => undefined },
      storage,
      logger: silentLogger,
    });

  it('should know a conversation it serves from the shared storage, without asking 8x8', async () => {
    const id = await rig.open('Ivy');
    await rig.until(id, (c) => textsOf(c, 'bot').includes(GREETING));
    const other = secondInstance();
    rig.emulator.faults = { apiErrors: [{ method: 'GET', path: /\/conversations\/[^/]+$/, status: 503, times: 100 }] };
    try {
      await expect(other.ownsConversation(id, rig.emulator.channelId)).resolves.toBe(true);
    } finally {
      rig.emulator.faults = {};
    }
  });

  it("should ask 8x8 about a conversation it never saw, and leave the handoff channel's conversations alone", async () => {
    const other = secondInstance();
    const widgetCustomer = await rig.open('Jon');
    const created = await fetch(`${rig.emulator.url}/chat-gateway/v1/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'emulator-api-key' },
      body: JSON.stringify({ channelId: rig.emulator.channelId, user: { name: 'Kim' }, assignment: { type: 'queue', id: 'support' } }),
    });
    const { conversationId: handoffConversation } = (await created.json()) as { conversationId: string };
    await expect(other.ownsConversation(widgetCustomer, rig.emulator.channelId)).resolves.toBe(true);
    await expect(other.ownsConversation(handoffConversation, rig.emulator.channelId)).resolves.toBe(false);
    await expect(other.ownsConversation('no-such-conversation', rig.emulator.channelId)).resolves.toBe(false);
  });

  it('should not serve a conversation the middleware says it created (its link in storage), whatever its channel', async () => {
    // A widget conversation whose events this instance never got, so only 8x8 or the middleware can say whose it is.
    rig.emulator.faults = { delivery: { delayMs: 600_000 } };
    const unseen = await rig.open('Max');
    rig.emulator.faults = {};
    await expect(secondInstance().ownsConversation(unseen, rig.emulator.channelId, async () => true)).resolves.toBe(false);
    await expect(secondInstance().ownsConversation(unseen, rig.emulator.channelId, async () => false)).resolves.toBe(true);
  });

  it('should not answer a customer line 8x8 delivers in a conversation of the handoff channel', async () => {
    const created = await fetch(`${rig.emulator.url}/chat-gateway/v1/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'emulator-api-key' },
      body: JSON.stringify({ channelId: rig.emulator.channelId, user: { name: 'Lea' }, assignment: { type: 'queue', id: 'support' } }),
    });
    const { conversationId } = (await created.json()) as { conversationId: string };
    const record = rig.emulator.deliverEvent({
      eventType: 'MESSAGE', conversationId, timestamp: Date.now(),
      data: { isEcho: false, sender: { type: 'user', id: 'user' }, messageId: 'm-x', text: 'answer me', attachments: [], cards: [] },
    });
    await rig.emulator.waitForDelivery((d) => d.eventId === record.eventId && d.status === 'delivered', { timeoutMs: 8000 });
    await rig.handoff.whenIdle();
    expect(textsOf(rig.emulator.conversation(conversationId)!, 'bot')).toEqual([]);
    expect(rig.errors).toEqual([]);
  });
});
