/**
 * 8x8's delivery quirks for the adapter's conversations, through the real webhook route: the
 * same event twice (in turn and at once), the same message under a new event id, and events
 * of one conversation in the wrong order. The events are signed by a test key the route trusts
 * besides the emulator's; the conversation itself lives in the emulator, whose own deliveries
 * are held back for the test.
 */
import { WebhookSigner } from '../support/webhook-signer';
import { GREETING, startChannelRig, textsOf, type ChannelRig } from './rig';

describe('ChatGatewayAdapter: duplicate and reordered webhook events', () => {
  let signer: WebhookSigner;
  let rig: ChannelRig;
  let time = 1_700_000_000_000;
  beforeAll(async () => {
    signer = await WebhookSigner.start();
    rig = await startChannelRig({ signer: { kid: signer.kid, publicKey: signer.publicKey } });
  });
  afterAll(async () => {
    await rig.close();
    await signer.close();
  });

  async function deliver(body: Record<string, unknown>, eventId: string): Promise<{ status: number; result?: string }> {
    const { headers, rawBody } = await signer.sign(body, { eventId });
    const res = await fetch(rig.webhookUrl, { method: 'POST', headers, body: new Uint8Array(rawBody) });
    const json = (await res.json()) as { result?: string };
    return { status: res.status, result: json.result };
  }

  const message = (conversationId: string, text: string, messageId: string) => ({
    eventType: 'MESSAGE', conversationId, timestamp: (time += 1000),
    data: { isEcho: false, sender: { id: 'user', type: 'user' }, text, messageId, attachments: [], cards: [], someNewField: { x: 1 } },
  });

  it('should answer each message once and greet once, before the first answer, whatever the order and repetition', async () => {
    rig.emulator.faults = { delivery: { delayMs: 600_000 } };
    const id = await rig.open('Quinn');
    rig.emulator.faults = {};

    // The customer's first message overtakes the conversation's `active` update.
    expect(await deliver(message(id, 'hello', 'm-1'), 'e-1')).toEqual({ status: 200, result: 'processed' });
    expect(await deliver({ eventType: 'CONVERSATION_UPDATE', conversationId: id, timestamp: time - 5000, data: { state: 'active', user: { name: 'Quinn' } } }, 'e-0')).toEqual({ status: 200, result: 'processed' });
    // 8x8 retries the same event, then sends the same message under a new event id.
    expect(await deliver(message(id, 'hello', 'm-1'), 'e-1')).toEqual({ status: 200, result: 'duplicate' });
    expect(await deliver(message(id, 'hello', 'm-1'), 'e-1b')).toEqual({ status: 200, result: 'processed' });
    // Two copies of one event at the same moment.
    const both = await Promise.all([deliver(message(id, 'world', 'm-2'), 'e-2'), deliver(message(id, 'world', 'm-2'), 'e-2')]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(both.map((r) => r.result).sort()).toEqual(['duplicate', 'processed']);

    await rig.handoff.whenIdle();
    const c = await rig.until(id, (x) => textsOf(x, 'bot').includes('You said: world'));
    expect(textsOf(c, 'bot')).toEqual([GREETING, 'You said: hello', 'You said: world']);
    expect(rig.errors).toEqual([]);
  });

  it('should acknowledge events it has no use for, for its conversations (unknown activity, typing, user left)', async () => {
    rig.emulator.faults = { delivery: { delayMs: 600_000 } };
    const id = await rig.open('Rita');
    rig.emulator.faults = {};
    for (const [i, body] of [
      { eventType: 'ACTIVITY', conversationId: id, data: { name: 'read-receipts', value: [{ timestamp: 1, users: [] }] } },
      { eventType: 'ACTIVITY', conversationId: id, data: { name: 'typing', value: { users: [{ id: 'user', type: 'user' }] } } },
      { eventType: 'MEMBERS_CHANGED', conversationId: id, data: { memberType: 'user', change: 'left', id: 'user' } },
      { eventType: 'MESSAGE', conversationId: id, data: { isEcho: false, sender: { type: 'system' }, text: 'Chat transferred' } },
    ].entries()) {
      expect(await deliver(body, `r-${i}`)).toEqual({ status: 200, result: 'processed' });
    }
    await rig.handoff.whenIdle();
    expect(textsOf(rig.emulator.conversation(id)!, 'bot')).toEqual([]);
    expect(rig.errors).toEqual([]);
  });
});
