/**
 * AgentRelay's retry of failed proactive sends: a send that fails is kept at the head of the
 * outbox and retried after a pause without waiting for another event; after the last attempt
 * it is dropped and reported, so one poisoned item cannot block the conversation for ever.
 */
import { MemoryStorage, type TurnContext } from 'botbuilder-core';
import { KeyedQueue } from '../../src/handoff/keyed-queue';
import { resolveHandoffOptions } from '../../src/handoff/options';
import { AgentRelay, relayRetryDelayMs } from '../../src/handoff/relay';
import { HandoffStore } from '../../src/handoff/store';
import type { HandoffErrorInfo } from '../../src/handoff/options';
import { silentLogger } from '../../src/logger';

/** A proactive sender whose first `failures` sends throw, like a connector that is briefly down. */
class FlakyAdapter {
  sent: string[] = [];
  constructor(private failures: number) {}
  async continueConversationAsync(_appId: string, _reference: unknown, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    if (this.failures-- > 0) throw new Error('connector 503');
    const context = { onSendActivities: () => undefined, sendActivity: async (a: { text: string }) => void this.sent.push(a.text) };
    await logic(context as unknown as TurnContext);
  }
}

async function setUp(failures: number) {
  const adapter = new FlakyAdapter(failures);
  const errors: HandoffErrorInfo[] = [];
  const options = resolveHandoffOptions({
    gateway: { createConversation: jest.fn(), sendMessage: jest.fn(), uploadAttachment: jest.fn(), sendTyping: jest.fn(), removeUser: jest.fn() },
    channelId: 'c', queueId: 'q', adapter, botAppId: '', storage: new MemoryStorage(), logger: silentLogger,
    onError: (_error, info) => void errors.push(info),
  });
  const store = new HandoffStore(options.storage);
  const relay = new AgentRelay(store, options, new KeyedQueue());
  await store.update('bot-1', (record) => ({
    value: {
      ...record, state: 'connected', gatewayConversationId: 'gw-1', reference: { conversation: { id: 'conv' } as never },
      outbox: [{ id: 'i1', kind: 'activity', activity: { type: 'message', text: 'first' } }, { id: 'i2', kind: 'activity', activity: { type: 'message', text: 'second' } }],
    },
    result: undefined,
  }));
  return { adapter, errors, store, relay };
}

describe('AgentRelay', () => {
  describe('#drain()', () => {
    it('should retry a failed send by itself after a pause and keep the order', async () => {
      const { adapter, errors, store, relay } = await setUp(1);
      await relay.drain('bot-1');
      expect(adapter.sent).toEqual([]);
      expect((await store.read('bot-1'))!.outbox.map((i) => i.attempts ?? 0)).toEqual([1, 0]);
      await new Promise((resolve) => setTimeout(resolve, relayRetryDelayMs(1) + 300));
      expect(adapter.sent).toEqual(['first', 'second']);
      expect((await store.read('bot-1'))!.outbox).toEqual([]);
      expect(errors).toEqual([{ where: 'relay', conversation: 'bot-1' }]); // the failed send itself
      relay.dispose();
    });

    it('should drop an item after the last attempt, report it, and deliver the next one', async () => {
      const { adapter, errors, relay } = await setUp(6);
      // Drive the attempts by hand (as new events would) instead of waiting for the timers.
      for (let i = 0; i < 6; i++) await relay.drain('bot-1');
      relay.dispose();
      // The sixth drain dropped the first item and went straight on to the second.
      expect(adapter.sent).toEqual(['second']);
      expect(errors.filter((e) => e.where === 'relay')).toHaveLength(7); // six failed sends and the give-up
    });
  });

  describe('relayRetryDelayMs()', () => {
    it('should grow 1 s, 4 s, 16 s and cap at 60 s', () => {
      expect([1, 2, 3, 4, 5].map(relayRetryDelayMs)).toEqual([1_000, 4_000, 16_000, 60_000, 60_000]);
    });
  });
});
