import { MemoryStorage, type StoreItems } from 'botbuilder-core';
import { TestAdapter } from 'botbuilder-core';
import { silentLogger } from '../../src/logger';
import { resolveHandoffOptions } from '../../src/handoff/options';
import { buildRelay } from '../support/relay-core';
import { lifecycleInput } from '../support/records';
import { CasStorage, isConflict, StorageConflictError } from '../../src/handoff/cas-storage';
import { HandoffStore } from '../../src/handoff/store';
import type { ConversationEvent } from '../../src/webhook/events';

/** A MemoryStorage that records every write, so tests can check no write used '*' or lacked an eTag. */
class RecordingStorage extends MemoryStorage {
  readonly writes: StoreItems[] = [];
  override async write(changes: StoreItems): Promise<void> {
    this.writes.push(JSON.parse(JSON.stringify(changes)));
    return super.write(changes);
  }
}

const reference = { channelId: 'test', conversation: { id: 'conv-1', isGroup: false, conversationType: '', name: '' } };

describe('CasStorage', () => {
  describe('#update()', () => {
    it('should make the loser of a race re-read and re-apply its change when two writers conflict', async () => {
      const storage = new RecordingStorage();
      const cas = new CasStorage(storage);
      await cas.update<number[], void>('k', () => ({ value: [], result: undefined }));
      const before = (await storage.read(['k'])).k;
      let applied = 0;
      await cas.update<number[], void>('k', (current) => {
        applied++;
        // Writer B commits between A's read and A's write (MemoryStorage writes synchronously).
        if (applied === 1) void storage.write({ k: { ...before, data: [2] } });
        return { value: [...(current ?? []), 1], result: undefined };
      });
      expect(applied).toBe(2);
      expect(await cas.read<number[]>('k')).toEqual([2, 1]);
      const casWrites = storage.writes.slice(1).flatMap((w) => Object.values(w));
      expect(casWrites.every((item) => typeof item.eTag === 'string' && item.eTag !== '*')).toBe(true);
    });

    it('should write nothing when the change returns the current value', async () => {
      const storage = new RecordingStorage();
      const cas = new CasStorage(storage);
      await cas.update<{ n: number }, void>('k', () => ({ value: { n: 1 }, result: undefined }));
      await cas.update<{ n: number }, string>('k', (current) => ({ value: current, result: 'same' }));
      expect(storage.writes).toHaveLength(1);
    });

    it('should re-apply on the winner when a concurrent creator overwrote its creation', async () => {
      const storage = new RecordingStorage();
      const cas = new CasStorage(storage);
      let rivalDone = false;
      const write = storage.write.bind(storage);
      storage.write = async (changes) => {
        await write(changes);
        if (!rivalDone) {
          rivalDone = true;
          // Another instance creates the same key right after our create, before our read-back.
          await write({ k: { data: ['other'], createdBy: 'someone-else' } });
        }
      };
      const result = await cas.update<string[], void>('k', (current) => ({ value: [...(current ?? []), 'mine'], result: undefined }));
      expect(result.value).toEqual(['other', 'mine']);
      expect(await cas.read('k')).toEqual(['other', 'mine']);
    });

    it('should give up with StorageConflictError when the key changes under every attempt', async () => {
      const storage = new MemoryStorage();
      const cas = new CasStorage(storage, { maxAttempts: 3 });
      await cas.update<number, void>('k', () => ({ value: 0, result: undefined }));
      storage.write = () => Promise.reject(new Error('Storage: error writing "k" due to eTag conflict.'));
      let calls = 0;
      const attempt = cas.update<number, void>('k', (n) => ({ value: (n ?? 0) + ++calls, result: undefined }));
      await expect(attempt).rejects.toBeInstanceOf(StorageConflictError);
      expect(calls).toBe(3);
    });
  });

  describe('isConflict()', () => {
    it('should recognize the conflict errors of MemoryStorage, Blobs and Cosmos when they are thrown', () => {
      expect(isConflict(new Error('Storage: error writing "k" due to eTag conflict.'))).toBe(true);
      expect(isConflict(Object.assign(new Error('x'), { statusCode: 412 }))).toBe(true);
      expect(isConflict(Object.assign(new Error('x'), { code: 412 }))).toBe(true);
      expect(isConflict(new Error('ECONNREFUSED'))).toBe(false);
    });
  });
});

describe('HandoffStore', () => {
  const event: ConversationEvent = { eventType: 'QUEUED', conversationId: 'gw-1', data: { queueName: 'Support' } };

  it('should keep records per bot conversation and apply lifecycle events with compare-and-set', async () => {
    const store = new HandoffStore(new MemoryStorage());
    const key = store.conversationKey(reference);
    expect(key).toBe('8x8-handoff/conversation/test/conv-1');
    const result = await store.apply(key, lifecycleInput({ type: 'escalate', start: { handoffId: 'h1', request: { trigger: 't', reason: 'r', queueId: 'q' }, now: 0 } }));
    expect(result.record.state).toBe('escalating');
    expect((await store.read(key))?.state).toBe('escalating');
  });

  it('should not write a record when an event changes nothing for an unknown conversation', async () => {
    const storage = new RecordingStorage();
    const store = new HandoffStore(storage);
    await store.apply('k', lifecycleInput({ type: 'userEnded', reason: 'cancelPhrase' }));
    expect(storage.writes).toHaveLength(0);
  });

  it('should park early webhook events until the link is made and hand them over in order', async () => {
    const store = new HandoffStore(new MemoryStorage());
    expect(await store.park('gw-1', { event, eventId: 'e1' })).toBeUndefined();
    expect(await store.park('gw-1', { event, eventId: 'e2' })).toBeUndefined();
    const pending = await store.link('gw-1', 'bot-key');
    expect(pending.map((p) => p.eventId)).toEqual(['e1', 'e2']);
    expect(await store.readLink('gw-1')).toEqual({ botKey: 'bot-key', pending: [] });
    expect(await store.park('gw-1', { event, eventId: 'e3' })).toBe('bot-key');
  });

  it('should let a second store instance on the same Storage see the first one\'s records', async () => {
    const storage = new MemoryStorage();
    const one = new HandoffStore(storage);
    const two = new HandoffStore(storage);
    await one.link('gw-9', 'bot-9');
    expect((await two.readLink('gw-9'))?.botKey).toBe('bot-9');
  });

  describe('when a handoff ends', () => {
    const start = (handoffId: string) => ({ type: 'escalate' as const, start: { handoffId, request: { trigger: 't', reason: 'r', queueId: 'q' }, now: 0 } });
    /** Runs one handoff of `key` on 8x8 conversation `gw` up to the link. */
    async function linkedHandoff({ store, core }: ReturnType<typeof coreOver>, key: string, handoffId: string, gw: string) {
      await core.apply(key, lifecycleInput(start(handoffId)), noCreateCall);
      await core.apply(key, lifecycleInput({ type: 'createSucceeded', handoffId, gatewayConversationId: gw }));
      await store.link(gw, key);
    }
    /** The escalation's create call is not what these tests are about: the create result is applied by hand. */
    const noCreateCall = { job: async () => undefined };
    /** The store with the core that performs its writes' effects (the link tombstones), as the middleware has it. */
    function coreOver(storage: MemoryStorage, onError: (error: unknown) => void = () => undefined) {
      const gateway = { createConversation: jest.fn(), sendMessage: jest.fn(), uploadAttachment: jest.fn(), sendTyping: jest.fn(), removeUser: jest.fn() };
      return buildRelay(resolveHandoffOptions({ gateway, channelId: 'c', queueId: 'q', adapter: new TestAdapter(), botAppId: '', storage, logger: silentLogger, onError }));
    }

    it('should turn the link into a tombstone that parks nothing, in the write that returns the record to bot', async () => {
      const rig = coreOver(new MemoryStorage());
      const { store, core } = rig;
      await linkedHandoff(rig, 'k', 'h1', 'gw-1');
      await core.apply('k', lifecycleInput({ type: 'userEnded', reason: 'cancelPhrase' }));
      expect(await store.readLink('gw-1')).toEqual({ pending: [], ended: true });
      expect((await store.read('k'))?.endedLink).toBe('gw-1');
      expect(await store.park('gw-1', { event: { ...event, conversationId: 'gw-1' }, eventId: 'late' })).toBeUndefined();
      expect(await store.link('gw-1', 'k')).toEqual([]);
      expect(await store.readLink('gw-1')).toEqual({ pending: [], ended: true });
    });

    it('should keep at most one tombstone per bot conversation, however many handoffs it had', async () => {
      const memory: Record<string, string> = {};
      const rig = coreOver(new MemoryStorage(memory));
      const { store, core } = rig;
      for (let n = 1; n <= 4; n++) {
        await linkedHandoff(rig, 'k', `h${n}`, `gw-${n}`);
        await core.apply('k', lifecycleInput({ type: 'gatewayLost', gatewayConversationId: `gw-${n}`, reason: 'gone' }));
      }
      // MemoryStorage deletes by setting the key to undefined.
      expect(Object.keys(memory).filter((key) => memory[key] !== undefined).sort()).toEqual(['8x8-handoff/8x8/gw-4', 'k']);
      expect(await store.readLink('gw-3')).toBeUndefined();
    });

    it('should retire the link of a conversation whose create call returned after the user cancelled, dropping what was parked', async () => {
      const { store, core } = coreOver(new MemoryStorage());
      await core.apply('k', lifecycleInput(start('h1')), noCreateCall);
      await store.park('gw-9', { event: { ...event, conversationId: 'gw-9' }, eventId: 'early' });
      await core.apply('k', lifecycleInput({ type: 'userEnded', reason: 'cancelPhrase' }));
      // The create call returns after the cancel: the reducer retires its conversation's link.
      await core.apply('k', lifecycleInput({ type: 'createSucceeded', handoffId: 'h1', gatewayConversationId: 'gw-9' }));
      expect(await store.readLink('gw-9')).toEqual({ pending: [], ended: true });
      expect((await store.read('k'))?.endedLink).toBe('gw-9');
    });

    it('should report a failed clean-up to onError and still resolve, the record written', async () => {
      const storage = new MemoryStorage();
      const failures: unknown[] = [];
      const rig = coreOver(storage, (error) => failures.push(error));
      const { store, core } = rig;
      await linkedHandoff(rig, 'k', 'h1', 'gw-1');
      const write = storage.write.bind(storage);
      storage.write = async (changes) => {
        if (Object.keys(changes).some((key) => key.includes('/8x8/'))) throw new Error('storage down');
        return write(changes);
      };
      await core.apply('k', lifecycleInput({ type: 'userEnded', reason: 'cancelPhrase' }));
      expect((await store.read('k'))?.state).toBe('bot');
      // (The outbox items of this bare record have no reference to go to: those reports are not the point here.)
      expect(failures.filter((f) => !String(f).includes('no conversation reference'))).toEqual([expect.objectContaining({ message: 'storage down' })]);
    });
  });
});
