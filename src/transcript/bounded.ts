/**
 * Keeping a transcript bounded by count and bytes, so a long conversation never grows the
 * handoff record without limit. Pure: returns a new array and never mutates its inputs.
 */
import { ConfigurationError } from '../errors';
import { dataUriSize } from './data-uri';
import type { TranscriptEntry } from './entry';

/** Bounds of {@link appendBounded}. */
export interface TranscriptBounds {
  /** Most entries kept; the oldest go first. Default 220 (room for 200 history messages after noise). */
  maxEntries?: number;
  /** Most bytes of JSON kept for the whole transcript. Default 256 KiB. */
  maxBytes?: number;
  /** Most bytes of JSON for a single entry; larger ones are shortened. Default a quarter of `maxBytes`. */
  maxEntryBytes?: number;
}

/** Default of {@link TranscriptBounds.maxEntries}. */
export const DEFAULT_MAX_ENTRIES = 220;
/** Default of {@link TranscriptBounds.maxBytes}. */
export const DEFAULT_MAX_TRANSCRIPT_BYTES = 256 * 1024;

const sizeOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/**
 * JSON bytes of an array of `count` entries whose own sizes add up to `sum`: the brackets and the
 * commas between entries count too, so `maxBytes` bounds the transcript as serialised.
 */
export function arrayBytes(sum: number, count: number): number {
  return count === 0 ? 2 : sum + count + 1;
}

function resolveBounds(bounds: TranscriptBounds | undefined): Required<TranscriptBounds> {
  const maxEntries = bounds?.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const maxBytes = bounds?.maxBytes ?? DEFAULT_MAX_TRANSCRIPT_BYTES;
  const maxEntryBytes = bounds?.maxEntryBytes ?? Math.floor(maxBytes / 4);
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new ConfigurationError('transcript.maxEntries', `must be a whole number >= 1, got ${String(maxEntries)}`, 'Use e.g. 220');
  if (!Number.isInteger(maxBytes) || maxBytes < 1024) throw new ConfigurationError('transcript.maxBytes', `must be a whole number >= 1024, got ${String(maxBytes)}`, 'Use e.g. 262144 (256 KiB)');
  if (!Number.isInteger(maxEntryBytes) || maxEntryBytes < 256 || maxEntryBytes > maxBytes) {
    throw new ConfigurationError('transcript.maxEntryBytes', `must be a whole number from 256 to maxBytes, got ${String(maxEntryBytes)}`, 'Leave it out to use a quarter of maxBytes');
  }
  return { maxEntries, maxBytes, maxEntryBytes };
}

/** Shortens text to at most `bytes` UTF-8 bytes without splitting a character. */
function clip(text: string, bytes: number): string {
  if (Buffer.byteLength(text) <= bytes) return text;
  const buf = Buffer.from(text);
  let end = Math.max(0, bytes - 3);
  // Back off to the start of a character: UTF-8 continuation bytes look like 10xxxxxx. Cutting by
  // bytes rather than stripping U+FFFD keeps a replacement character the user really sent.
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return `${buf.subarray(0, end).toString('utf8')}…`;
}

/** Lossy steps, mildest first, applied until the entry fits. */
const SHRINK_STEPS: Array<(e: TranscriptEntry, budget: number) => void> = [
  (e) => e.attachments?.forEach((a) => {
    if (a.contentUrl?.startsWith('data:')) {
      a.size = dataUriSize(a.contentUrl);
      delete a.contentUrl;
      a.dropped = true;
    }
  }),
  (e) => e.attachments?.forEach((a) => {
    if (a.content !== undefined) {
      delete a.content;
      a.dropped = true;
    }
  }),
  (e) => {
    if (e.value !== undefined && sizeOf(e.value) > 512) e.value = clip(JSON.stringify(e.value), 512);
  },
  (e) => { delete e.suggestedActions; },
  (e, budget) => { if (e.text !== undefined) e.text = clip(e.text, Math.max(64, budget - 1024)); },
];

/** An entry within `budget` bytes: the same entry when it fits, else a shortened copy marked `truncated`. */
export function fitEntry(entry: TranscriptEntry, budget: number): TranscriptEntry {
  if (sizeOf(entry) <= budget) return entry;
  const copy = JSON.parse(JSON.stringify(entry)) as TranscriptEntry;
  copy.truncated = true;
  for (const step of SHRINK_STEPS) {
    step(copy, budget);
    if (sizeOf(copy) <= budget) return copy;
  }
  // Still too big (huge names or URLs): keep only what identifies the message.
  const minimal: TranscriptEntry = { direction: copy.direction, type: copy.type, truncated: true, text: clip(copy.text ?? '[message too large to keep]', Math.floor(budget / 2)) };
  if (copy.timestamp) minimal.timestamp = copy.timestamp;
  return minimal;
}

/**
 * A transcript with the sum of its entries' JSON sizes, so appending needs the size of the new
 * entry (and of the ones dropped) only, not of every entry again.
 */
export interface SizedTranscript {
  entries: TranscriptEntry[];
  /** Sum of the entries' JSON byte sizes; computed when absent (e.g. entries from an older record). */
  bytes?: number;
}

/**
 * Appends an entry and drops the oldest until the transcript fits `maxEntries` and `maxBytes`.
 * The first kept entry's `omittedBefore` counts every entry dropped so far.
 */
export function appendBounded(entries: readonly TranscriptEntry[], entry: TranscriptEntry, bounds?: TranscriptBounds): TranscriptEntry[] {
  return appendSized({ entries: entries as TranscriptEntry[] }, entry, bounds).entries;
}

/** {@link appendBounded} on a {@link SizedTranscript}: the same entries, with their size kept up to date. */
export function appendSized(transcript: SizedTranscript, entry: TranscriptEntry, bounds?: TranscriptBounds): Required<SizedTranscript> {
  const { maxEntries, maxBytes, maxEntryBytes } = resolveBounds(bounds);
  const fitted = fitEntry(entry, maxEntryBytes);
  const all = [...transcript.entries, fitted];
  let total = (transcript.bytes ?? transcript.entries.reduce((sum, e) => sum + sizeOf(e), 0)) + sizeOf(fitted);
  let drop = 0;
  let omitted = 0;
  // Room for the `omittedBefore` counter the first entry may gain, so the result never exceeds maxBytes.
  const budget = maxBytes - 32;
  while (all.length - drop > 1 && (all.length - drop > maxEntries || arrayBytes(total, all.length - drop) > budget)) {
    omitted += 1 + (all[drop]!.omittedBefore ?? 0);
    total -= sizeOf(all[drop]);
    drop++;
  }
  if (drop === 0) return { entries: all, bytes: total };
  const kept = all.slice(drop);
  const first = { ...kept[0]! };
  first.omittedBefore = omitted + (first.omittedBefore ?? 0);
  total += sizeOf(first) - sizeOf(kept[0]);
  kept[0] = first;
  return { entries: kept, bytes: total };
}
