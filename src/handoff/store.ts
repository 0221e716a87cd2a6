/**
 * Where handoff records live: a botbuilder `Storage` (MemoryStorage by default; Blobs or Cosmos
 * for several bot instances), under two keys per handoff:
 * - `<ns>/conversation/<channelId>/<conversationId>`: the {@link HandoffRecord} of a bot conversation;
 * - `<ns>/8x8/<gatewayConversationId>`: a {@link GatewayLink} back to that bot conversation key.
 * Every write is an eTag compare-and-set (see {@link CasStorage}).
 */
import type { ConversationReference, Storage } from 'botbuilder-core';
import type { ConversationEvent } from '../webhook/events';
import { CasStorage, type CasChange, type CasStorageOptions } from './cas-storage';
import { transition } from './state';
import { emptyRecord, type HandoffRecord, type LifecycleEvent, type TransitionResult } from './types';

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
}

/** Options of {@link HandoffStore}. */
export interface HandoffStoreOptions {
  /** Key prefix, so several bots can share one Storage. Default `8x8-handoff`. */
  namespace?: string;
  /** Compare-and-set tuning. */
  cas?: CasStorageOptions;
}

/** How many early webhook events one link holds before the oldest are dropped. */
const PENDING_LIMIT = 200;

/** Reads and compare-and-set updates of handoff records and gateway links. */
export class HandoffStore {
  private readonly cas: CasStorage;
  private readonly namespace: string;

  constructor(storage: Storage, options: HandoffStoreOptions = {}) {
    this.cas = new CasStorage(storage, options.cas);
    this.namespace = options.namespace ?? '8x8-handoff';
  }

  /** The record key of a bot conversation. */
  conversationKey(reference: Partial<ConversationReference>): string {
    const channel = reference.channelId ?? 'unknown';
    const id = reference.conversation?.id ?? 'unknown';
    return `${this.namespace}/conversation/${encodeURIComponent(channel)}/${encodeURIComponent(id)}`;
  }

  /** The current record, or undefined when the conversation never had one. */
  read(botKey: string): Promise<HandoffRecord | undefined> {
    return this.cas.read<HandoffRecord>(botKey);
  }

  /** Compare-and-set update of a record; an absent record starts as {@link emptyRecord}. */
  async update<R>(botKey: string, change: (record: HandoffRecord) => CasChange<HandoffRecord, R>): Promise<CasChange<HandoffRecord, R>> {
    return this.cas.update<HandoffRecord, R>(botKey, (current) => {
      const base = current ?? emptyRecord();
      const next = change(base);
      // An untouched fresh record is not worth a write.
      return next.value === base && !current ? { value: undefined, result: next.result } : next;
    });
  }

  /**
   * Applies a lifecycle event and stores the result in one compare-and-set write. `decorate` may
   * add to the new record (e.g. outbox items for the effects) inside the same write.
   */
  async apply(
    botKey: string,
    event: LifecycleEvent,
    decorate: (result: TransitionResult) => HandoffRecord = (result) => result.record,
  ): Promise<TransitionResult> {
    const done = await this.update<TransitionResult>(botKey, (record) => {
      const result = transition(record, event);
      const next = decorate(result);
      return { value: next, result: { record: next, effects: result.effects } };
    });
    return done.result;
  }

  /** The link of an 8x8 conversation, or undefined. */
  readLink(gatewayConversationId: string): Promise<GatewayLink | undefined> {
    return this.cas.read<GatewayLink>(this.linkKey(gatewayConversationId));
  }

  /** Sets the bot conversation of an 8x8 conversation and takes the events that waited for it. */
  async link(gatewayConversationId: string, botKey: string): Promise<PendingGatewayEvent[]> {
    const done = await this.cas.update<GatewayLink, PendingGatewayEvent[]>(this.linkKey(gatewayConversationId), (link) => ({
      value: { botKey, pending: [] },
      result: link?.pending ?? [],
    }));
    return done.result;
  }

  /**
   * Records an event for a not-yet-linked 8x8 conversation. Returns the bot key instead when the
   * link appeared meanwhile (the caller then applies the event itself).
   */
  async park(gatewayConversationId: string, pending: PendingGatewayEvent): Promise<string | undefined> {
    const done = await this.cas.update<GatewayLink, string | undefined>(this.linkKey(gatewayConversationId), (link) => {
      if (link?.botKey) return { value: link, result: link.botKey };
      return { value: { pending: [...(link?.pending ?? []), pending].slice(-PENDING_LIMIT) }, result: undefined };
    });
    return done.result;
  }

  private linkKey(gatewayConversationId: string): string {
    return `${this.namespace}/8x8/${encodeURIComponent(gatewayConversationId)}`;
  }
}
