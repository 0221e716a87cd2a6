/**
 * The paged transcript (issue 12): appends write a small head, reads give what appending entry by
 * entry kept, storage stays bounded, and concurrent writers lose nothing and leave no stray pages.
 */
import fc from 'fast-check';
import { MemoryStorage, type StoreItems } from 'botbuilder';
import { CasStorage } from '../../src/handoff/cas-storage';
import { HandoffStore } from '../../src/handoff/store';
import { PAGE_ENTRIES, type TranscriptHead } from '../../src/handoff/transcript-store';
import { appendSized, fitEntry, type TranscriptBounds, type TranscriptEntry } from '../../src/transcript';

const botKey = '8x8-handoff/conversation/test/conv-1';
const headKey = '8x8-handoff/transcript/test/conv-1';
const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));
const entry = (i: number, length = 20): TranscriptEntry => ({ direction: i % 2 ? 'out' : 'in', type: 'message', text: `${i}:`.padEnd(length, 'x') });
const noPause = { sleep: async () => undefined, random: () => 0 };

/** A store over a MemoryStorage whose raw items the test can inspect. */
function rig(bounds: TranscriptBounds) {
  const memory: Record<string, string> = {};
  const storage = new MemoryStorage(memory);
  const store = new HandoffStore(storage, { transcript: bounds, cas: noPause });
  const raw = (key: string) => (memory[key] ? (JSON.parse(memory[key]) as Record<string, unknown>) : undefined);
  const head = () => (raw(headKey)?.data as TranscriptHead | undefined) ?? { entries: [], pages: [] };
  // MemoryStorage deletes a key by setting it to undefined.
  const transcriptKeys = () => Object.keys(memory).filter((k) => k.startsWith(headKey) && memory[k] !== undefined);
  return { storage, store, memory, raw, head, transcriptKeys };
}

/** What the transcript kept before pages: every entry appended one by one with `appendSized`. */
function reference(batches: TranscriptEntry[][], bounds: TranscriptBounds): TranscriptEntry[] {
  let t = { entries: [] as TranscriptEntry[], bytes: 0 };
  for (const batch of batches) for (const e of batch) t = appendSized(t, e, bounds);
  return t.entries;
}

const withoutOmitted = ({ omittedBefore: _o, ...e }: TranscriptEntry) => e;

describe('paged transcript (HandoffStore.appendTranscript / readTranscript)', () => {
  it('should read exactly what appending entry by entry kept when the entry count binds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 60 }), fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 60 }), async (maxEntries, sizes) => {
        const bounds = { maxEntries, maxBytes: 1024 * 1024 };
        const { store } = rig(bounds);
        let i = 0;
        const batches = sizes.map((n) => Array.from({ length: n }, () => entry(i++)));
        for (let b = 0; b < batches.length; b++) {
          await store.appendTranscript(botKey, batches[b]!, bounds);
          expect(await store.readTranscript(botKey)).toEqual(reference(batches.slice(0, b + 1), bounds));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('should keep the longest suffix within the bounds, count what it dropped, and keep storage within one page of the bounds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 1024, max: 8192 }),
        fc.array(fc.array(fc.integer({ min: 1, max: 1500 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 50 }),
        async (maxEntries, maxBytes, lengths) => {
          const bounds = { maxEntries, maxBytes };
          const { store, head, transcriptKeys } = rig(bounds);
          const all: TranscriptEntry[] = [];
          let i = 0;
          for (const batch of lengths) {
            const entries = batch.map((length) => entry(i++, length));
            await store.appendTranscript(botKey, entries, bounds);
            all.push(...entries.map((e) => fitEntry(e, Math.floor(maxBytes / 4))));
            const read = await store.readTranscript(botKey);
            // A suffix of everything appended (entries too large were shortened the same way).
            expect(read.map(withoutOmitted)).toEqual(all.slice(all.length - read.length));
            expect(read.length).toBeLessThanOrEqual(maxEntries);
            expect(read.length).toBeGreaterThanOrEqual(1);
            expect(bytes(read)).toBeLessThanOrEqual(maxBytes);
            // The longest such suffix: one more entry would break a bound.
            if (read.length < all.length) {
              const longer = all.slice(all.length - read.length - 1);
              // (bytes of the array as serialised: brackets and commas count, as in the bounds)
              expect(longer.length > maxEntries || bytes(longer) > maxBytes - 32).toBe(true);
            }
            expect(read[0]!.omittedBefore ?? 0).toBe(all.length - read.length);
            // At least what appending entry by entry kept.
            expect(read.length).toBeGreaterThanOrEqual(reference([all], bounds).length);
            // Storage: the head and the pages it lists, nothing else; at most one page more than the bounds.
            const h = head();
            expect(transcriptKeys().sort()).toEqual([headKey, ...(h.pages ?? []).map((p) => `${headKey}/${p.id}`)].sort());
            const stored = (h.pages ?? []).reduce((n, p) => n + p.count, 0) + h.entries.length;
            const oldest = h.pages?.[0]?.count ?? 0;
            expect(stored - oldest).toBeLessThan(maxEntries);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('should write only the small head on most appends and seal a page every few', async () => {
    const bounds = { maxEntries: 220, maxBytes: 256 * 1024 };
    const { store, head, transcriptKeys } = rig(bounds);
    for (let turn = 0; turn < 200; turn++) {
      await store.appendTranscript(botKey, [entry(2 * turn), entry(2 * turn + 1)], bounds);
      expect(head().entries.length).toBeLessThan(PAGE_ENTRIES);
    }
    const read = await store.readTranscript(botKey);
    expect(read).toHaveLength(220);
    expect(read[0]).toEqual({ ...entry(180), omittedBefore: 180 });
    expect(read[219]).toEqual(entry(399));
    // 400 entries appended, 220 kept: storage holds at most one page more than that.
    const pages = head().pages ?? [];
    expect(pages.reduce((n, p) => n + p.count, 0) + head().entries.length).toBeLessThanOrEqual(220 + PAGE_ENTRIES);
    expect(transcriptKeys()).toHaveLength(pages.length + 1);
  });

  it('should lose no entry and leave no stray page when two instances append at once', async () => {
    const bounds = { maxEntries: 1000, maxBytes: 1024 * 1024 };
    const memory: Record<string, string> = {};
    const storage = new MemoryStorage(memory);
    const a = new HandoffStore(storage, { transcript: bounds, cas: noPause });
    const b = new HandoffStore(storage, { transcript: bounds, cas: noPause });
    for (let round = 0; round < 30; round++) {
      // Both read the same head, both may seal a page: one wins, the other re-reads and re-applies.
      await Promise.all([a.appendTranscript(botKey, [entry(round * 10), entry(round * 10 + 1)], bounds), b.appendTranscript(botKey, [entry(round * 10 + 5)], bounds)]);
    }
    const read = await a.readTranscript(botKey);
    expect(read).toHaveLength(90);
    expect(new Set(read.map((e) => e.text)).size).toBe(90);
    const head = (JSON.parse(memory[headKey]!) as { data: TranscriptHead }).data;
    const listed = (head.pages ?? []).map((p) => `${headKey}/${p.id}`);
    expect(listed.length).toBeGreaterThan(0);
    expect(Object.keys(memory).filter((k) => k.startsWith(`${headKey}/`) && memory[k] !== undefined).sort()).toEqual(listed.sort());
  });

  it('should read a transcript stored before pages, and seal it whole on the next append', async () => {
    const bounds = { maxEntries: 40, maxBytes: 256 * 1024 };
    const { storage, store, head } = rig(bounds);
    // What the previous version wrote: every entry in one item, the first counting 7 dropped ones.
    const old = Array.from({ length: 30 }, (_, i) => entry(i));
    old[0] = { ...old[0]!, omittedBefore: 7 };
    await storage.write({ [headKey]: { data: { entries: old, bytes: bytes(old) }, createdBy: 'v2' } } as StoreItems);
    expect(await store.readTranscript(botKey)).toEqual(old);
    await store.appendTranscript(botKey, [entry(30), entry(31), entry(32)], bounds);
    expect(head().pages).toHaveLength(1);
    expect(head().entries).toEqual([]);
    const read = await store.readTranscript(botKey);
    expect(read).toHaveLength(33);
    expect(read[0]).toEqual({ ...entry(0), omittedBefore: 7 });
    expect(read[32]).toEqual(entry(32));
    // Past the bounds: 50 entries kept of 30 + 3 + 20, the first counting the 7 and the 13 dropped since.
    for (let i = 33; i < 53; i++) await store.appendTranscript(botKey, [entry(i)], bounds);
    const later = await store.readTranscript(botKey);
    expect(later).toHaveLength(40);
    expect(later[0]).toEqual({ ...entry(13), omittedBefore: 20 });
  });

  it('should start from a legacy inline transcript when the conversation has no transcript key yet', async () => {
    const bounds = { maxEntries: 40, maxBytes: 256 * 1024 };
    const { store } = rig(bounds);
    await store.appendTranscript(botKey, [entry(2)], bounds, [entry(0), entry(1)]);
    expect(await store.readTranscript(botKey)).toEqual([entry(0), entry(1), entry(2)]);
  });
});

describe('CasStorage snapshots', () => {
  it('should start an update from a snapshot without reading, and re-read at once (no pause) when it went stale', async () => {
    const storage = new MemoryStorage();
    const reads: string[][] = [];
    const read = storage.read.bind(storage);
    storage.read = (keys) => {
      reads.push(keys);
      return read(keys);
    };
    const pauses: number[] = [];
    const cas = new CasStorage(storage, { sleep: async (ms) => void pauses.push(ms), random: () => 1 });
    await cas.update<number, void>('a', () => ({ value: 1, result: undefined }));
    await cas.update<number, void>('b', () => ({ value: 10, result: undefined }));
    const [a, b] = await cas.readSnapshots<number>(['a', 'b']);
    expect([a!.value, b!.value]).toEqual([1, 10]);
    reads.length = 0;
    await cas.update<number, void>('a', (n) => ({ value: (n ?? 0) + 1, result: undefined }), { snapshot: a });
    expect(reads).toEqual([]);
    expect(await cas.read('a')).toBe(2);
    // `a` is stale now: the update re-reads and applies on the current value, without a pause.
    reads.length = 0;
    await cas.update<number, void>('a', (n) => ({ value: (n ?? 0) + 1, result: undefined }), { snapshot: a });
    expect(reads).toEqual([['a']]);
    expect(pauses).toEqual([]);
    expect(await cas.read('a')).toBe(3);
    await expect(cas.update<number, void>('a', () => ({ value: 0, result: undefined }), { snapshot: b })).rejects.toThrow(/snapshot of "b"/);
  });
});
