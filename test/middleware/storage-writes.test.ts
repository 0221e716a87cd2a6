/**
 * What the hot paths cost in storage operations (issue 12), counted per key: a relayed agent
 * message is two record writes (record the event, settle the delivery) and never touches the
 * transcript; a bot turn reads the record and the transcript head in one call, writes the small
 * head (never the whole transcript), and the record only when the record changed.
 */
import { writeRecord } from '../support/records';
import { MemoryStorage, type Storage, type StoreItems } from 'botbuilder';
import type { ConversationEvent } from '../../src/webhook/events';
import { triggers } from '../../src/triggers';
import { startHarness, testUser, type Harness } from './harness';

/** A MemoryStorage that logs every key read and written. */
class LoggingStorage implements Storage {
  readonly reads: string[] = [];
  readonly writes: string[] = [];
  readonly deletes: string[] = [];
  /** Calls of `read` (one call may read several keys). */
  readCalls = 0;
  private readonly inner = new MemoryStorage();

  read(keys: string[]): Promise<StoreItems> {
    this.readCalls++;
    this.reads.push(...keys);
    return this.inner.read(keys);
  }

  write(changes: StoreItems): Promise<void> {
    this.writes.push(...Object.keys(changes));
    return this.inner.write(changes);
  }

  delete(keys: string[]): Promise<void> {
    this.deletes.push(...keys);
    return this.inner.delete(keys);
  }

  reset(): void {
    this.reads.length = 0;
    this.writes.length = 0;
    this.deletes.length = 0;
    this.readCalls = 0;
  }
}

describe('storage operations on the hot paths', () => {
  let h: Harness;
  const storage = new LoggingStorage();

  beforeAll(async () => {
    h = await startHarness({ middleware: { storage, triggers: [triggers.keywords(['agent'])] } });
  });
  afterAll(async () => {
    await h.close();
  });

  const botKeyOf = (conversationId: string) => h.store.conversationKey({ channelId: 'test', conversation: { id: conversationId } as never });
  const transcriptKeyOf = (conversationId: string) => botKeyOf(conversationId).replace('/conversation/', '/transcript/');

  it('should write a relayed agent message twice to the record (record, settle) and never read the transcript', async () => {
    // Connected straight through the store (no emulator conversation whose own events could interleave).
    const botKey = botKeyOf('ops-relay');
    const gatewayId = 'ID-ops-relay';
    const reference = { channelId: 'test', serviceUrl: 'https://test.com', conversation: { id: 'ops-relay' } as never, user: { id: 'user-ops-relay', name: 'User' }, bot: { id: 'bot', name: 'Bot' } };
    await writeRecord(h.storage, botKey, (r) => ({ ...r, state: 'connected', reference, handoffId: 'h-1', gatewayConversationId: gatewayId, agentId: 'agent-1' }));
    await h.store.link(gatewayId, botKey);
    const user = testUser(h.adapter, 'ops-relay');
    for (let i = 1; i <= 3; i++) {
      storage.reset();
      const message = { eventType: 'MESSAGE', conversationId: gatewayId, timestamp: Date.now(), data: { isEcho: false, sender: { id: 'agent-1', type: 'agent' }, text: `agent says ${i}` } };
      await h.handoff.handleGatewayEvent(message as ConversationEvent, { eventId: `ops-message-${i}` });
      await user.waitForText(`agent says ${i}`);
      await h.handoff.whenIdle();
      expect(storage.writes).toEqual([botKey, botKey]);
      expect(storage.reads).not.toContain(transcriptKeyOf('ops-relay'));
    }
    // The link was read for the first message only, then remembered.
    expect(storage.reads.filter((k) => k.includes('/8x8/'))).toEqual([]);
    expect(storage.reads).toEqual([botKey, botKey, botKey]);
  });

  it('should write only the transcript on a bot turn that changes nothing in the record, and nothing on a turn that records nothing', async () => {
    const user = testUser(h.adapter, 'ops-turns');
    await user.say('first');
    await user.waitForText('echo: first');
    storage.reset();
    await user.say('second');
    await user.waitForText('echo: second');
    expect(storage.writes).toEqual([transcriptKeyOf('ops-turns')]);
    storage.reset();
    await user.say({ type: 'typing' });
    expect(storage.writes).toEqual([]);
    // A new locale is a change of the record: written.
    storage.reset();
    await user.say({ text: 'bonjour', locale: 'fr-FR' });
    await user.waitForText('echo: bonjour');
    expect(storage.writes).toEqual([transcriptKeyOf('ops-turns'), botKeyOf('ops-turns')]);
    expect((await h.store.read(botKeyOf('ops-turns')))?.locale).toBe('fr-FR');
  });

  it('should cost a no-handoff turn one read (record and transcript head together) and one write of the small head, plus a page every 8 turns', async () => {
    const user = testUser(h.adapter, 'ops-pages');
    const transcriptKey = transcriptKeyOf('ops-pages');
    await user.say('hello');
    await user.waitForText('echo: hello');
    let pageWrites = 0;
    for (let turn = 1; turn <= 40; turn++) {
      storage.reset();
      await user.say(`turn ${turn}`);
      await user.waitForText(`echo: turn ${turn}`);
      expect(storage.readCalls).toBe(1);
      expect(storage.reads).toEqual([botKeyOf('ops-pages'), transcriptKey]);
      // The head, and on a turn that fills the open page (16 entries), that page first: written once.
      const pages = storage.writes.filter((k) => k.startsWith(`${transcriptKey}/`));
      expect(storage.writes).toEqual([...pages, transcriptKey]);
      expect(pages.length).toBeLessThanOrEqual(1);
      pageWrites += pages.length;
      const head = (await storage.read([transcriptKey]))[transcriptKey] as { data: { entries: unknown[] } };
      expect(head.data.entries.length).toBeLessThan(16);
    }
    // 82 entries (the greeting turn's 2, then 2 a turn), sealed 16 at a time; nothing dropped yet.
    expect(pageWrites).toBe(5);
    const transcript = await h.store.readTranscript(botKeyOf('ops-pages'));
    expect(transcript.map((e) => e.text)).toEqual(['hello', 'echo: hello', ...Array.from({ length: 40 }, (_, i) => [`turn ${i + 1}`, `echo: turn ${i + 1}`]).flat()]);
  });
});
