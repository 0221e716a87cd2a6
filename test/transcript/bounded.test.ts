import fc from 'fast-check';
import { MessageFactory, type Activity } from 'botbuilder';
import { appendBounded, appendSized, toTranscriptEntry, transcriptFromActivities, type TranscriptEntry } from '../../src/transcript';

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));
const msg = (i: number, direction: 'in' | 'out' = 'in'): TranscriptEntry => ({ direction, type: 'message', text: `message ${i}` });

describe('toTranscriptEntry()', () => {
  it('should keep the readable subset of a message as plain JSON', () => {
    const activity = { ...MessageFactory.suggestedActions(['Yes', 'No'], 'Continue?'), from: { id: 'b', name: 'Bot', role: 'bot' }, locale: 'en-US', timestamp: new Date('2025-01-02T03:04:05Z'), channelData: { secret: 1 } } as Partial<Activity>;
    const entry = toTranscriptEntry(activity, 'out')!;
    expect(entry).toEqual({
      direction: 'out', type: 'message', text: 'Continue?', from: { role: 'bot', name: 'Bot' }, locale: 'en-US', timestamp: '2025-01-02T03:04:05.000Z',
      suggestedActions: { actions: [{ type: 'imBack', title: 'Yes', value: 'Yes' }, { type: 'imBack', title: 'No', value: 'No' }] },
    });
    expect(JSON.parse(JSON.stringify(entry))).toEqual(entry);
  });

  it.each<[string, Partial<Activity>]>([
    ['typing', { type: 'typing' }],
    ['trace', { type: 'trace', name: 'x', value: { a: 1 } }],
    ['ContinueConversation', { type: 'event', name: 'ContinueConversation' }],
    ['conversationUpdate', { type: 'conversationUpdate' }],
    ['an empty message', { type: 'message', text: '  ' }],
  ])('should drop %s', (_name, activity) => {
    expect(toTranscriptEntry(activity, 'in')).toBeUndefined();
  });

  it('should keep a card submit and drop values JSON cannot carry', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(toTranscriptEntry({ type: 'message', value: { Name: 'Ada' } }, 'in')).toEqual({ direction: 'in', type: 'message', value: { Name: 'Ada' } });
    expect(toTranscriptEntry({ type: 'message', text: 'hi', value: cyclic }, 'in')).toEqual({ direction: 'in', type: 'message', text: 'hi' });
  });
});

describe('transcriptFromActivities()', () => {
  it('should mark the bot side as outgoing', () => {
    const entries = transcriptFromActivities([
      { type: 'message', text: 'hi', from: { id: 'u', name: 'User', role: 'user' } },
      { type: 'typing', from: { id: 'b', name: 'Bot', role: 'bot' } },
      { type: 'message', text: 'hello', from: { id: 'b', name: 'Bot', role: 'bot' } },
    ]);
    expect(entries.map((e) => [e.direction, e.text])).toEqual([['in', 'hi'], ['out', 'hello']]);
  });
});

describe('appendBounded()', () => {
  it('should drop the oldest and count them when the entry limit is reached', () => {
    let t: TranscriptEntry[] = [];
    for (let i = 0; i < 10; i++) t = appendBounded(t, msg(i), { maxEntries: 4 });
    expect(t.map((e) => e.text)).toEqual(['message 6', 'message 7', 'message 8', 'message 9']);
    expect(t[0]!.omittedBefore).toBe(6);
  });

  it('should not mutate its input', () => {
    const before = [msg(1), msg(2)];
    const copy = JSON.parse(JSON.stringify(before));
    appendBounded(before, msg(3), { maxEntries: 2 });
    expect(before).toEqual(copy);
  });

  it('should shorten an over-large entry by dropping inline data first, then text', () => {
    const dataUri = `data:image/png;base64,${Buffer.alloc(40_000).toString('base64')}`;
    const big: TranscriptEntry = { direction: 'in', type: 'message', text: 'see photo', attachments: [{ contentType: 'image/png', contentUrl: dataUri, name: 'p.png' }] };
    const [kept] = appendBounded([], big, { maxBytes: 64 * 1024, maxEntryBytes: 8 * 1024 });
    expect(kept).toEqual({ direction: 'in', type: 'message', text: 'see photo', truncated: true, attachments: [{ contentType: 'image/png', name: 'p.png', dropped: true, size: 40_000 }] });
    const longText: TranscriptEntry = { direction: 'in', type: 'message', text: 'é'.repeat(20_000) };
    const [clipped] = appendBounded([], longText, { maxBytes: 64 * 1024, maxEntryBytes: 4096 });
    expect(bytes(clipped)).toBeLessThanOrEqual(4096);
    expect(clipped!.text!.endsWith('é…')).toBe(true);
  });

  it('should stay within count and bytes and keep the newest entry for any sequence', () => {
    const entry = fc.record({
      direction: fc.constantFrom<'in' | 'out'>('in', 'out'),
      type: fc.constant('message'),
      text: fc.string({ maxLength: 3000, unit: 'grapheme' }),
    });
    fc.assert(fc.property(fc.array(entry, { maxLength: 60 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 4096, max: 40_000 }), (list, maxEntries, maxBytes) => {
      let t: TranscriptEntry[] = [];
      for (const e of list) {
        t = appendBounded(t, e, { maxEntries, maxBytes });
        expect(t.length).toBeLessThanOrEqual(maxEntries);
        expect(bytes(t)).toBeLessThanOrEqual(maxBytes);
        const last = t[t.length - 1]!;
        // the newest entry is kept whole, or clipped to a prefix of what was sent
        if (last.truncated) expect(e.text.startsWith(last.text!.replace(/…$/, ''))).toBe(true);
        else expect(last.text).toBe(e.text);
      }
      // every entry seen is either kept or counted as omitted
      if (t.length > 0) expect(t.length + (t[0]!.omittedBefore ?? 0)).toBe(list.length);
    }), { numRuns: 60 });
  });

  it('should reject bounds that cannot work', () => {
    expect(() => appendBounded([], msg(1), { maxEntries: 0 })).toThrow(/transcript\.maxEntries/);
    expect(() => appendBounded([], msg(1), { maxBytes: 10 })).toThrow(/transcript\.maxBytes/);
  });
});

describe('appendSized()', () => {
  it('should keep the same entries as appendBounded and an exact sum of entry sizes, without re-sizing old entries', () => {
    const entry = fc.record({ direction: fc.constantFrom<'in' | 'out'>('in', 'out'), type: fc.constant('message'), text: fc.string({ maxLength: 3000, unit: 'grapheme' }) });
    fc.assert(fc.property(fc.array(entry, { maxLength: 60 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 4096, max: 40_000 }), (list, maxEntries, maxBytes) => {
      let plain: TranscriptEntry[] = [];
      let sized: { entries: TranscriptEntry[]; bytes?: number } = { entries: [] };
      for (const e of list) {
        plain = appendBounded(plain, e, { maxEntries, maxBytes });
        sized = appendSized(sized, e, { maxEntries, maxBytes });
        expect(sized.entries).toEqual(plain);
        expect(sized.bytes).toBe(sized.entries.reduce((sum, x) => sum + bytes(x), 0));
      }
    }), { numRuns: 60 });
  });

  it('should size entries of an older record that kept no byte count', () => {
    const { bytes: total } = appendSized({ entries: [msg(1), msg(2)] }, msg(3));
    expect(total).toBe(bytes(msg(1)) + bytes(msg(2)) + bytes(msg(3)));
  });
});
