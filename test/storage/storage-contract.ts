/**
 * What the handoff core needs from a botbuilder `Storage` (issue 13), as one suite with no
 * per-implementation branches: run it for each Storage with `describeStorageContract(name, make)`.
 * `make` is called once per instance a test plays, each returning a new Storage object over the
 * same backend (two bot processes on one database), so nothing relies on in-process sharing.
 *
 * - eTags: a read returns one, a write with a stale one is refused (and recognised as a conflict),
 *   a write with the current one succeeds; values are JSON, any text survives.
 * - The handoff store: concurrent compare-and-set updates from two instances lose nothing, and two
 *   instances creating the same record at once keep both changes (create-if-absent).
 * - The relay lease: two instances draining one outbox deliver each item once, in order.
 * - Dedupe over the Storage's compare-and-set, through `checkStorage` reporting the capabilities.
 */
import { buildRelay } from '../support/relay-core';
import { writeRecord } from '../support/records';
import type { Storage, TurnContext } from 'botbuilder';
import { isConflict } from '../../src/handoff/cas-storage';
import { resolveHandoffOptions } from '../../src/handoff/options';
import { HandoffStore } from '../../src/handoff/store';
import type { OutboxItem } from '../../src/handoff/types';
import { silentLogger } from '../../src/logger';
import { checkStorage } from '../../src/storage';

let counter = 0;
/** A key no earlier test (of any run against the same backend) used. */
const fresh = (what: string) => `contract-${what}-${process.pid}-${Date.now()}-${++counter}`;

/** A proactive sender for the relay test: each send takes `pauseMs`, into one log shared by every instance. */
class LoggingSender {
  constructor(
    private readonly name: string,
    private readonly log: Array<{ by: string; text: string }>,
    private readonly pauseMs: () => number,
  ) {}
  async continueConversationAsync(_appId: string, _reference: unknown, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const context = {
      onSendActivities: () => undefined,
      sendActivity: async (a: { text: string }) => {
        await new Promise((resolve) => setTimeout(resolve, this.pauseMs()));
        this.log.push({ by: this.name, text: a.text });
      },
    };
    await logic(context as unknown as TurnContext);
  }
}

/** Declares the contract suite for one Storage. `make()` gives a new client of the same backend. */
export function describeStorageContract(name: string, make: () => Storage): void {
  describe(`${name} (handoff Storage contract)`, () => {
    it('should return an eTag with every item, refuse a write with a stale one (a recognised conflict) and take the current one', async () => {
      const [one, two] = [make(), make()];
      const key = fresh('etag');
      await one.write({ [key]: { n: 1 } });
      const first = (await one.read([key]))[key];
      expect(typeof first?.eTag).toBe('string');
      expect(first?.eTag).not.toBe('*');
      await two.write({ [key]: { n: 2, eTag: first!.eTag } });
      const second = (await one.read([key]))[key];
      expect(second?.n).toBe(2);
      expect(second?.eTag).not.toBe(first?.eTag);
      const stale = await one.write({ [key]: { n: 3, eTag: first!.eTag } }).then(() => undefined, (error: unknown) => error);
      expect(stale).toBeDefined();
      expect(isConflict(stale)).toBe(true);
      expect((await two.read([key]))[key]?.n).toBe(2);
    });

    it('should pass checkStorage\'s eTag probe and leave no probe key behind', async () => {
      const key = fresh('probe');
      const found = await checkStorage(make(), { key });
      expect(found.eTags).toBe(true);
      expect(found.problems.filter((p) => p.startsWith('eTags'))).toEqual([]);
      expect(await make().read([key])).toEqual({});
      console.log(`[storage contract] ${name}: eTags ${found.eTags}, createIfAbsent ${found.createIfAbsent}`);
    });

    it('should keep any text, nested values and a 200 KB value as written', async () => {
      const storage = make();
      const key = fresh('json');
      const value = { text: 'Grüße… 你好 👋 "quoted" \\ back', nested: { list: [1, 'two', null, { deep: true }] }, big: 'x'.repeat(200_000) };
      await storage.write({ [key]: value });
      const { eTag, ...read } = (await make().read([key]))[key] ?? {};
      expect(eTag).toBeDefined();
      expect(read).toEqual(value);
    });

    it('should lose no update when two instances change one handoff record concurrently (compare-and-set)', async () => {
      const key = fresh('cas');
      const stores = [new HandoffStore(make()), new HandoffStore(make())];
      await writeRecord(make(), key, (r) => ({ ...r, state: 'escalating' }));
      // Messages held while the create call runs, recorded by both instances at once.
      await Promise.all(Array.from({ length: 20 }, (_, i) => stores[i % 2]!.apply(key, { type: 'hold', now: 0, activity: { text: `e${i}` } })));
      const record = await stores[1]!.read(key);
      expect((record?.held ?? []).map((h) => h.text).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `e${i}`).sort());
    });

    it('should keep both changes when two instances create the same record at once (create-if-absent)', async () => {
      for (let round = 0; round < 5; round++) {
        const key = fresh('create');
        const stores = [make(), make()];
        await Promise.all(stores.map((storage, i) => writeRecord(storage, key, (r) => ({ ...r, seen: [...r.seen, `by-${i}`] }))));
        expect([...((await new HandoffStore(make()).read(key))?.seen ?? [])].sort()).toEqual(['by-0', 'by-1']);
      }
    });

    it('should have two instances draining one outbox deliver each item once and in order (relay lease)', async () => {
      const key = fresh('relay');
      const log: Array<{ by: string; text: string }> = [];
      const instances = ['A', 'B'].map((instanceId) => {
        const storage = make();
        const options = resolveHandoffOptions({
          gateway: { createConversation: jest.fn(), sendMessage: jest.fn(), uploadAttachment: jest.fn(), sendTyping: jest.fn(), removeUser: jest.fn() },
          channelId: 'c', queueId: 'q', adapter: new LoggingSender(instanceId, log, () => Math.floor(Math.random() * 5)), botAppId: '', storage,
          logger: silentLogger, instanceId, relayLeaseMs: 5000, pacing: false,
        });
        const { store, relay } = buildRelay(options);
        return { store, relay, storage };
      });
      const texts = Array.from({ length: 30 }, (_, i) => `m${i + 1}`);
      const item = (text: string): OutboxItem => ({ id: text, kind: 'activity', activity: { type: 'message', text } });
      await writeRecord(instances[0]!.storage, key, (r) => ({ ...r, state: 'connected', reference: { conversation: { id: key } as never } }));
      // Items are recorded in order at alternating instances (as 8x8 delivers one conversation's
      // events one after another), and each instance drains right after recording, while the
      // other may still be sending: only the lease keeps them from sending the same head.
      const drains: Array<Promise<void>> = [];
      for (const [i, text] of texts.entries()) {
        const { storage, relay } = instances[i % 2]!;
        await writeRecord(storage, key, (r) => ({ ...r, outbox: [...r.outbox, item(text)] }));
        drains.push(relay.drain(key));
      }
      await Promise.all(drains);
      const drained = async () => (await instances[0]!.store.read(key))?.outbox.length === 0;
      for (let waited = 0; !(await drained()) && waited < 20_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      for (const { relay } of instances) relay.dispose();
      expect(log.map((l) => l.text)).toEqual(texts);
    });
  });
}
