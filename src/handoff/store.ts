/**
 * Where handoff records live: a botbuilder `Storage` (MemoryStorage by default; Blobs or Cosmos
 * for several bot instances), under these keys:
 * - `<ns>/conversation/<channelId>/<conversationId>`: the {@link HandoffRecord} of a bot conversation;
 * - `<ns>/transcript/<channelId>/<conversationId>`: its bounded transcript, in pages under that key
 *   (see transcript-store.ts), apart from the record so that relaying an agent message (two record
 *   writes) never reads or copies it; only a user turn that records something (one small write of
 *   the transcript head) and an escalation touch it. Records written before v2 kept it inside
 *   (`transcript`): it is still read from there, and moved the next time a turn records something;
 * - `<ns>/8x8/<gatewayConversationId>`: a {@link GatewayLink} back to that bot conversation key.
 * Every write is an eTag compare-and-set (see {@link CasStorage}).
 *
 * When a handoff ends (the write that returns its record to `bot`), its link becomes a tombstone,
 * so late webhooks of that 8x8 conversation are acknowledged and ignored instead of parked for
 * ever; the record remembers it (`endedLink`), and the tombstone is deleted when the conversation's
 * next handoff ends. So each bot conversation keeps at most one tombstone, however many handoffs
 * it had. Records themselves live as long as the Storage keeps them (use one with expiry).
 */
import type { ConversationReference, Storage } from 'botbuilder';
import type { ConversationEvent } from '../webhook/events';
import { type SizedTranscript, type TranscriptBounds, type TranscriptEntry } from '../transcript';
import { CasStorage, type CasSnapshot, type CasStorageOptions } from './cas-storage';
import type { Reduction } from './effects';
import type { HandoffInput } from './inputs';
import { migrateRecord } from './record-version';
import { defaultCoreConfig, reduce, type CoreConfig } from './reduce';
import { TranscriptStore, type TranscriptHead } from './transcript-store';
import { emptyRecord, type HandoffRecord } from './types';

/** A webhook event recorded before its 8x8 conversation was linked to a bot conversation. */
export interface PendingGatewayEvent {
  event: ConversationEvent;
  eventId?: string;
}

/**
 * The 8x8 conversation -> bot conversation link. Webhooks can arrive before the create call's
 * 202 does; until `botKey` is set they wait in `pending`, in arrival order.
 */
export interface GatewayLink {
  botKey?: string;
  pending: PendingGatewayEvent[];
  /** The handoff ended: a tombstone, so later events of this 8x8 conversation are ignored. */
  ended?: true;
}

/**
 * A bot conversation's transcript as stored under its own key before pages: the entries and their
 * total JSON size. Still read: as the open page of a paged head (transcript-store.ts).
 */
export type StoredTranscript = Required<SizedTranscript>;

/**
 * What a turn reads first, in one storage call: the record, and the head of the transcript the
 * turn may append to (see {@link HandoffStore.appendTranscript}).
 */
export interface TurnRead {
  record: HandoffRecord | undefined;
  transcript: CasSnapshot<TranscriptHead>;
}

/** Options of {@link HandoffStore}. */
export interface HandoffStoreOptions {
  /** Key prefix, so several bots can share one Storage. Default `8x8-handoff`. */
  namespace?: string;
  /** Compare-and-set tuning. */
  cas?: CasStorageOptions;
  /**
   * Receives a failed link clean-up after a handoff ended (the record write itself succeeded; the
   * link then stays and late events reach the record, which ignores them), or a failed deadline-index
   * write (`where: 'deadlines.index'`). Default: ignored.
   */
  onError?: (error: unknown, where?: 'deadlines.index') => void;
  /**
   * Called after each committed record write with the record before and after it (observability,
   * see src/observability/record-changes.ts). What it throws is ignored.
   */
  onWrite?: (botKey: string, before: HandoffRecord | undefined, after: HandoffRecord | undefined) => void;
  /** The rules of the reducer every record write runs (reduce.ts). Default {@link defaultCoreConfig}. */
  core?: CoreConfig;
  /** Bounds of a transcript as read (appends pass their own). Default 220 entries, 256 KiB. */
  transcript?: TranscriptBounds;
}

/** How many early webhook events one link holds before the oldest are dropped. */
const PENDING_LIMIT = 200;

/** Reads and compare-and-set updates of handoff records and gateway links. */
export class HandoffStore {
  private readonly cas: CasStorage;
  private readonly namespace: string;
  private readonly onError: (error: unknown, where?: 'deadlines.index') => void;
  private readonly onWrite?: HandoffStoreOptions['onWrite'];
  private readonly core: CoreConfig;
  private readonly transcripts: TranscriptStore;

  constructor(storage: Storage, options: HandoffStoreOptions = {}) {
    this.cas = new CasStorage(storage, options.cas);
    this.namespace = options.namespace ?? '8x8-handoff';
    this.onError = options.onError ?? (() => undefined);
    this.onWrite = options.onWrite;
    this.core = options.core ?? defaultCoreConfig();
    this.transcripts = new TranscriptStore(storage, this.cas, { bounds: options.transcript, onError: this.onError });
  }

  /** The record key of a bot conversation. */
  conversationKey(reference: Partial<ConversationReference>): string {
    const channel = reference.channelId ?? 'unknown';
    const id = reference.conversation?.id ?? 'unknown';
    return `${this.namespace}/conversation/${encodeURIComponent(channel)}/${encodeURIComponent(id)}`;
  }

  /** The current record, or undefined when the conversation never had one. */
  async read(botKey: string): Promise<HandoffRecord | undefined> {
    return migrateRecord(await this.cas.read<unknown>(botKey));
  }

  /** The record and the transcript head of a bot conversation, in one storage read (see {@link TurnRead}). */
  async readForTurn(botKey: string): Promise<TurnRead> {
    const [record, transcript] = await this.cas.readSnapshots<unknown>([botKey, this.transcriptKey(botKey)]);
    return { record: migrateRecord(record!.value), transcript: transcript as CasSnapshot<TranscriptHead> };
  }

  /**
   * The transcript of a bot conversation: its own key, else the one a record written before v2
   * kept inside (pass the record when already read), else empty.
   */
  async readTranscript(botKey: string, record?: HandoffRecord): Promise<TranscriptEntry[]> {
    const stored = await this.transcripts.read(this.transcriptKey(botKey));
    if (stored) return stored;
    return (record ?? (await this.read(botKey)))?.transcript ?? [];
  }

  /**
   * Appends entries to a conversation's transcript, bounded, in one compare-and-set write of its
   * head (see transcript-store.ts). `legacy` is the transcript a record written before v2 kept
   * inside: the start of a transcript that has no key of its own yet. `read`: the head as read at
   * the start of the turn ({@link readForTurn}), so it is not read again.
   */
  async appendTranscript(botKey: string, entries: readonly TranscriptEntry[], bounds: TranscriptBounds, legacy?: TranscriptEntry[], read?: TurnRead['transcript']): Promise<void> {
    await this.transcripts.append(this.transcriptKey(botKey), entries, bounds, legacy, read);
  }

  /**
   * Applies one input to a record in one compare-and-set write: the reducer (reduce.ts) decides,
   * this writes. An absent record starts as an empty one (and stays unwritten when the input
   * changes nothing). A conflict re-runs the reducer on the newer record; the effects returned are
   * those of the run that was written. The caller performs them (interpreter.ts).
   */
  async apply(botKey: string, input: HandoffInput): Promise<Reduction> {
    // [observability] the last run of the reducer is the one written: remember its before/after.
    let written: [HandoffRecord | undefined, HandoffRecord | undefined] = [undefined, undefined];
    const done = await this.cas.update<HandoffRecord, Reduction>(botKey, (stored) => {
      const current = migrateRecord(stored);
      const base = current ?? emptyRecord();
      const reduction = reduce(base, input, this.core);
      written = [current, reduction.record === base ? current : reduction.record];
      // An untouched fresh record is not worth a write.
      return { value: reduction.record === base && !current ? undefined : reduction.record, result: reduction };
    });
    // [observability] report the committed write (an unchanged record is not a write).
    if (this.onWrite && written[1] !== written[0]) {
      try {
        this.onWrite(botKey, written[0], written[1]);
      } catch {
        // Watching must never break a write.
      }
    }
    return done.result;
  }

  /**
   * Turns the link of an ended handoff's 8x8 conversation into a tombstone (dropping events parked
   * under it) and deletes the previous tombstone of the same bot conversation (the reducer's
   * `retireLink` effect). A failure is reported: the link then stays, and late events reach the
   * record, which ignores them.
   */
  async retireLink(ended: string, previous?: string): Promise<void> {
    try {
      await this.cas.update<GatewayLink, void>(this.linkKey(ended), () => ({ value: { pending: [], ended: true }, result: undefined }));
      if (previous && previous !== ended) await this.cas.delete(this.linkKey(previous));
    } catch (error) {
      this.onError(error);
    }
  }

  /** The link of an 8x8 conversation, or undefined. */
  readLink(gatewayConversationId: string): Promise<GatewayLink | undefined> {
    return this.cas.read<GatewayLink>(this.linkKey(gatewayConversationId));
  }

  /** Sets the bot conversation of an 8x8 conversation and takes the events that waited for it. */
  async link(gatewayConversationId: string, botKey: string): Promise<PendingGatewayEvent[]> {
    const done = await this.cas.update<GatewayLink, PendingGatewayEvent[]>(this.linkKey(gatewayConversationId), (link) =>
      // The handoff ended before it was linked: the tombstone stays.
      link?.ended ? { value: link, result: [] } : { value: { botKey, pending: [] }, result: link?.pending ?? [] },
    );
    return done.result;
  }

  /**
   * Turns the tombstone of an ended conversation back into a fresh, unlinked link, so that
   * conversation can be reopened (reopen.ts): its webhooks wait in it until {@link link}, as
   * after a create call.
   */
  async reopenLink(gatewayConversationId: string): Promise<void> {
    await this.cas.update<GatewayLink, void>(this.linkKey(gatewayConversationId), (link) => ({ value: link?.botKey && !link.ended ? link : { pending: [] }, result: undefined }));
  }

  /**
   * Records an event for a not-yet-linked 8x8 conversation. Returns the bot key instead when the
   * link appeared meanwhile (the caller then applies the event itself); parks nothing on a tombstone.
   */
  async park(gatewayConversationId: string, pending: PendingGatewayEvent): Promise<string | undefined> {
    const done = await this.cas.update<GatewayLink, string | undefined>(this.linkKey(gatewayConversationId), (link) => {
      if (link?.ended) return { value: link, result: undefined };
      if (link?.botKey) return { value: link, result: link.botKey };
      return { value: { pending: [...(link?.pending ?? []), pending].slice(-PENDING_LIMIT) }, result: undefined };
    });
    return done.result;
  }

  /** The transcript key of a bot conversation key (`<ns>/conversation/...` -> `<ns>/transcript/...`). */
  private transcriptKey(botKey: string): string {
    const prefix = `${this.namespace}/conversation/`;
    return botKey.startsWith(prefix) ? `${this.namespace}/transcript/${botKey.slice(prefix.length)}` : `${this.namespace}/transcript/${encodeURIComponent(botKey)}`;
  }

  private linkKey(gatewayConversationId: string): string {
    return `${this.namespace}/8x8/${encodeURIComponent(gatewayConversationId)}`;
  }
}
