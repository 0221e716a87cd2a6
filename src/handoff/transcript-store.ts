/**
 * A bot conversation's bounded transcript, kept in pages (issue 12): a user turn appends its
 * entries to a small head in one compare-and-set write, instead of reading and rewriting the
 * whole transcript every turn.
 *
 * - The head (`<ns>/transcript/<channelId>/<conversationId>`, a {@link TranscriptHead}) holds the
 *   open page (the newest entries) and the list of sealed pages, oldest first.
 * - When the open page reaches {@link PAGE_ENTRIES} entries or {@link PAGE_BYTES} bytes, the turn
 *   seals it: it is written once under `<head key>/<id>` (a fresh random id, so two instances
 *   sealing at once never overwrite each other's page), before the head that lists it.
 * - The oldest sealed page is deleted once the pages after it hold the bounded transcript on their
 *   own, so storage keeps at most one page more than the bounds.
 * - Reading applies the bounds exactly, as appending entry by entry did: the same newest entries,
 *   the first one's `omittedBefore` counting every entry dropped.
 *
 * A head written before pages (one `{ entries, bytes }` item with the whole transcript) is read as
 * an open page, and sealed whole on the next append.
 */
import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { arrayBytes, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_TRANSCRIPT_BYTES, fitEntry, type TranscriptBounds, type TranscriptEntry } from '../transcript';
import type { CasSnapshot, CasStorage } from './cas-storage';

/** A sealed page as listed in the head. */
export interface TranscriptPageRef {
  /** The page's key suffix (random hex). */
  id: string;
  /** Entries in the page. */
  count: number;
  /** Sum of the entries' JSON byte sizes. */
  bytes: number;
}

/** The head of a stored transcript. */
export interface TranscriptHead {
  /** The open page: the newest entries, oldest first. */
  entries: TranscriptEntry[];
  /** Sum of the open page's JSON byte sizes (computed when absent). */
  bytes?: number;
  /** Sealed pages, oldest first. Absent in heads written before pages. */
  pages?: TranscriptPageRef[];
  /** Entries dropped with deleted pages (for the first kept entry's `omittedBefore`). */
  omitted?: number;
}

/** A sealed page as stored. */
interface TranscriptPage {
  entries: TranscriptEntry[];
}

/** Entries after which the open page is sealed (or `maxEntries`, when smaller). */
export const PAGE_ENTRIES = 16;
/** JSON bytes after which the open page is sealed (or the byte budget, when smaller). */
export const PAGE_BYTES = 16 * 1024;
/** Room left for the `omittedBefore` counter the first entry may gain (as in `appendSized`). */
const OMITTED_RESERVE = 32;

const sizeOf = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));
const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** Resolved bounds: the middleware's defaults, and a quarter of `maxBytes` per entry. */
interface Bounds {
  maxEntries: number;
  maxBytes: number;
  maxEntryBytes: number;
}

function resolve(bounds: TranscriptBounds | undefined): Bounds {
  const maxEntries = bounds?.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const maxBytes = bounds?.maxBytes ?? DEFAULT_MAX_TRANSCRIPT_BYTES;
  return { maxEntries, maxBytes, maxEntryBytes: bounds?.maxEntryBytes ?? Math.floor(maxBytes / 4) };
}

/** What one append does: the new head, the page it seals (if any) and the pages it drops. */
interface AppendPlan {
  head: TranscriptHead;
  seal?: { id: string; entries: TranscriptEntry[] };
  dropped: string[];
}

/**
 * Plans appending `entries` (already fitted, with their sizes) to `current`. Pure but for `newId`.
 * Exported for tests.
 */
export function planAppend(current: TranscriptHead, entries: readonly TranscriptEntry[], sizes: readonly number[], bounds: Bounds, newId: () => string): AppendPlan {
  let open = [...current.entries, ...entries];
  let openBytes = (current.bytes ?? sum(current.entries.map(sizeOf))) + sum(sizes);
  let pages = current.pages ?? [];
  let omitted = current.omitted ?? 0;
  // A head written before pages may start with an entry that counts what its bounds dropped.
  const first = open[0];
  if (first?.omittedBefore) {
    const { omittedBefore, ...rest } = first;
    omitted += omittedBefore;
    openBytes += sizeOf(rest) - sizeOf(first);
    open = [rest, ...open.slice(1)];
  }
  const budget = bounds.maxBytes - OMITTED_RESERVE;
  let seal: AppendPlan['seal'];
  if (open.length >= Math.min(PAGE_ENTRIES, bounds.maxEntries) || openBytes >= Math.min(PAGE_BYTES, budget)) {
    seal = { id: newId(), entries: open };
    pages = [...pages, { id: seal.id, count: open.length, bytes: openBytes }];
    open = [];
    openBytes = 0;
  }
  // Drop the oldest page while the rest still holds every entry the bounds keep.
  let count = sum(pages.map((p) => p.count)) + open.length;
  let bytes = sum(pages.map((p) => p.bytes)) + openBytes;
  const dropped: string[] = [];
  while (pages.length > 0 && (count - pages[0]!.count >= bounds.maxEntries || arrayBytes(bytes - pages[0]!.bytes, count - pages[0]!.count) >= budget)) {
    const [oldest, ...rest] = pages;
    count -= oldest!.count;
    bytes -= oldest!.bytes;
    omitted += oldest!.count;
    dropped.push(oldest!.id);
    pages = rest;
  }
  const head: TranscriptHead = { entries: open, bytes: openBytes, pages };
  if (omitted > 0) head.omitted = omitted;
  return { head, seal, dropped };
}

/**
 * The newest entries within the bounds, as appending them one by one with `appendSized` keeps
 * them: the first kept entry's `omittedBefore` counts every dropped entry (and `omitted` before them).
 */
export function applyBounds(entries: readonly TranscriptEntry[], omitted: number, bounds: TranscriptBounds | undefined): TranscriptEntry[] {
  const { maxEntries, maxBytes } = resolve(bounds);
  const sizes = entries.map(sizeOf);
  let total = sum(sizes);
  let drop = 0;
  let dropped = omitted;
  while (entries.length - drop > 1 && (entries.length - drop > maxEntries || arrayBytes(total, entries.length - drop) > maxBytes - OMITTED_RESERVE)) {
    dropped += 1 + (entries[drop]!.omittedBefore ?? 0);
    total -= sizes[drop]!;
    drop++;
  }
  const kept = entries.slice(drop);
  if (dropped > 0 && kept.length > 0) kept[0] = { ...kept[0]!, omittedBefore: dropped + (kept[0]!.omittedBefore ?? 0) };
  return kept;
}

/** Options of {@link TranscriptStore}. */
export interface TranscriptStoreOptions {
  /** Bounds applied when reading (appends pass their own). Default 220 entries, 256 KiB. */
  bounds?: TranscriptBounds;
  /** Receives a failed clean-up of pages no head lists any more. Default: ignored. */
  onError?: (error: unknown) => void;
  /** Makes page ids; tests pass a deterministic one. Default 12 random hex digits. */
  newId?: () => string;
}

/** Appends to and reads paged transcripts over a botbuilder `Storage`. */
export class TranscriptStore {
  private readonly bounds?: TranscriptBounds;
  private readonly onError: (error: unknown) => void;
  private readonly newId: () => string;

  constructor(
    private readonly storage: Storage,
    private readonly cas: CasStorage,
    options: TranscriptStoreOptions = {},
  ) {
    this.bounds = options.bounds;
    this.onError = options.onError ?? (() => undefined);
    // 12 random hex digits of a UUID: randomUUID draws from a cached entropy pool, randomBytes asks the OS each time.
    this.newId = options.newId ?? (() => randomUUID().replace('-', '').slice(0, 12));
  }

  /** The bounded transcript under `headKey`, or undefined when there is none. */
  async read(headKey: string): Promise<TranscriptEntry[] | undefined> {
    const head = await this.cas.read<TranscriptHead>(headKey);
    if (!head) return undefined;
    const pages = head.pages ?? [];
    const items: StoreItems = pages.length ? await this.storage.read(pages.map((p) => pageKey(headKey, p.id))) : {};
    const entries: TranscriptEntry[] = [];
    let omitted = head.omitted ?? 0;
    for (const ref of pages) {
      const page = items[pageKey(headKey, ref.id)] as TranscriptPage | undefined;
      // A page deleted under a reader (or lost by the storage): its entries count as omitted.
      if (page && Array.isArray(page.entries)) entries.push(...page.entries);
      else if (!entries.length) omitted += ref.count;
    }
    entries.push(...head.entries);
    return applyBounds(entries, omitted, this.bounds);
  }

  /**
   * Appends entries in one compare-and-set write of the head (plus, every few turns, one write of
   * the page it seals and one delete of the page the bounds drop). `legacy` starts a transcript
   * that has no head yet (one a record written before v2 kept inside); `snapshot` is the head as
   * read earlier in the turn, which saves reading it again.
   */
  async append(headKey: string, entries: readonly TranscriptEntry[], bounds?: TranscriptBounds, legacy?: TranscriptEntry[], snapshot?: CasSnapshot<TranscriptHead>): Promise<void> {
    if (!entries.length) return;
    const resolved = resolve(bounds);
    // Each entry is serialised once to size it; only one too large for its budget is shortened and sized again.
    const fitted: TranscriptEntry[] = [];
    const sizes: number[] = [];
    for (const entry of entries) {
      const size = sizeOf(entry);
      const fit = size <= resolved.maxEntryBytes ? entry : fitEntry(entry, resolved.maxEntryBytes);
      fitted.push(fit);
      sizes.push(fit === entry ? size : sizeOf(fit));
    }
    const sealed: string[] = [];
    const done = await this.cas.update<TranscriptHead, AppendPlan>(
      headKey,
      (current) => {
        const plan = planAppend(current ?? { entries: legacy ?? [], bytes: sum((legacy ?? []).map(sizeOf)) }, fitted, sizes, resolved, this.newId);
        return { value: plan.head, result: plan };
      },
      {
        snapshot,
        // The sealed page is written before the head that lists it, so no reader finds it missing.
        beforeWrite: async (_head, plan) => {
          if (!plan.seal) return;
          const key = pageKey(headKey, plan.seal.id);
          sealed.push(key);
          await this.storage.write({ [key]: { entries: plan.seal.entries } });
        },
      },
    );
    const committed = done.result.seal && pageKey(headKey, done.result.seal.id);
    // Pages the bounds dropped, and pages sealed by attempts that lost a race.
    const garbage = [...done.result.dropped.map((id) => pageKey(headKey, id)), ...sealed.filter((key) => key !== committed)];
    if (garbage.length) await this.storage.delete(garbage).catch((error: unknown) => this.onError(error));
  }
}

function pageKey(headKey: string, id: string): string {
  return `${headKey}/${id}`;
}
