/**
 * The 8x8 -> user direction. "Record, then ack, then relay" (RELIABILITY D9): a webhook event is
 * first written into the conversation's record (a lifecycle change and/or an outbox item, one
 * compare-and-set write), the webhook is acknowledged, and the outbox is drained afterwards in
 * order, each item removed only after its send succeeded. A restart mid-relay re-sends at most
 * the item in flight; events of one conversation are recorded and relayed in arrival order (D4).
 * With several bot instances on one Storage, any of them records, but only the holder of the
 * conversation's relay lease delivers (M1, see relay-lease.ts), so no item goes out twice or early.
 * Each proactive send waits for its conversation's pacer slot (O6). A failed send is classified
 * (send-failure.ts): a throttled one is retried on a timer of ours, a permanent one dropped at
 * once, any other left for the next drain, as botbuilder already retried it (O7, O8).
 */
import type { ConversationEvent } from '../webhook/events';
import { classifyGatewayEvent } from './gateway-events';
import type { KeyedQueue } from './keyed-queue';
import { inPlaceItems } from './native-conversation';
import type { ResolvedHandoffOptions } from './options';
import type { ConversationPacer } from './channel-pacing';
import { deliverItem, reportStatus } from './relay-delivery';
import { claimRelay, LeaseSightings, renewRelay, settleItem, takeRelayWithItem, type LeaseTerms, type RelayClaim, type SendOutcome, type SettleNext } from './relay-lease';
import { classifySendFailure, RelayDroppedError, SEND_TRIES, throttledRetryDelayMs, type SendFailure } from './send-failure';
import { SEEN_LIMIT, transition } from './state';
import type { HandoffStore } from './store';
import type { HandoffEffect, HandoffRecord, HandoffSummary, OutboxItem, SummaryDraft } from './types';

/** Slack after another instance's lease expiry before this one checks whether to take over. */
const LEASE_GRACE_MS = 100;

/** 8x8 conversation -> bot conversation links remembered in memory (the most recent ones). */
const LINK_CACHE_SIZE = 10_000;

/** What an {@link AgentRelay} is given besides the options; tests pass fakes. */
export interface RelayDeps {
  /**
   * Paces proactive sends per bot conversation (RELIABILITY O6), by the conversation's channel
   * (a `ChannelPacer`; a plain `SendPacer` paces every channel alike). None: no pacing.
   */
  pacer?: ConversationPacer;
  /** Randomness of the throttled-retry jitter. Default `Math.random`. */
  random?: () => number;
}

/** One delivery attempt: how it went and, when it failed, why. */
interface Attempt {
  outcome: SendOutcome;
  failure?: SendFailure & { error: unknown };
}

/**
 * Turns effects the user, the bot or 8x8 must see into outbox items (customer-leave included, so
 * it is retried like any delivery). `now` finishes a status summary's durations.
 */
export function effectsToOutbox(effects: HandoffEffect[], newId: () => string, now?: number): OutboxItem[] {
  const items: OutboxItem[] = [];
  for (const effect of effects) {
    if (effect.type === 'notify') items.push({ id: newId(), kind: 'notice', key: effect.key, params: effect.params, ...(effect.actions ? { actions: effect.actions } : {}) });
    if (effect.type === 'removeUser') items.push({ id: newId(), kind: 'leave', gatewayConversationId: effect.gatewayConversationId });
    if (effect.type === 'status') {
      const item: OutboxItem = { id: newId(), kind: 'status', state: effect.state, message: effect.message };
      if (effect.reason) item.reason = effect.reason;
      if (effect.summary) item.summary = finishSummary(effect.summary, now);
      items.push(item);
    }
    if (effect.type === 'returnHeld') for (const activity of effect.activities) items.push({ id: newId(), kind: 'held', activity });
  }
  return items;
}

/** A summary's instants as seconds at `now` (durations left out when an instant is unknown). */
export function finishSummary(draft: SummaryDraft, now: number | undefined): HandoffSummary {
  const { escalatedAt, firstJoinedAt, connectedAt, ...summary } = draft;
  const seconds = (from?: number, to?: number) => (from !== undefined && to !== undefined ? Math.max(0, Math.round((to - from) / 1000)) : undefined);
  const out: HandoffSummary = { ...summary };
  const waited = seconds(escalatedAt, firstJoinedAt ?? now);
  const connected = connectedAt !== undefined ? seconds(connectedAt, now) : undefined;
  if (waited !== undefined) out.waitedSeconds = waited;
  if (connected !== undefined) out.connectedSeconds = connected;
  return JSON.parse(JSON.stringify(out)) as HandoffSummary; // drops undefined fields: the record is JSON
}

/** Records webhook events and relays the outbox through proactive turns. */
export class AgentRelay {
  /** One pending re-drain per conversation, with when it fires (real time). */
  private readonly retryTimers = new Map<string, { timer: NodeJS.Timeout; at: number }>();
  /**
   * Links already read, so an agent message costs no link read. A link's bot conversation never
   * changes once set; when its handoff ends the link becomes a tombstone, and an event that still
   * reaches the record through this cache is ignored there (its 8x8 conversation is not the
   * record's current one), just as the tombstone would have ignored it.
   */
  private readonly links = new Map<string, string>();

  private readonly pacer?: ConversationPacer;
  private readonly random: () => number;
  /** Other instances' leases as first seen, so their expiry never compares two instances' clocks. */
  private readonly sightings: LeaseSightings;

  constructor(
    private readonly store: HandoffStore,
    private readonly options: ResolvedHandoffOptions,
    private readonly queue: KeyedQueue,
    deps: RelayDeps = {},
  ) {
    this.pacer = deps.pacer;
    this.random = deps.random ?? Math.random;
    this.sightings = new LeaseSightings(options.relayLeaseMs);
  }

  /**
   * Records one webhook event; resolves once it is durable (the caller then acknowledges it).
   * Returns the bot conversation key to drain, or undefined when the event only waits for its link.
   */
  record(event: ConversationEvent, eventId?: string): Promise<string | undefined> {
    return this.queue.run(`8x8:${event.conversationId}`, async () => {
      let botKey = this.links.get(event.conversationId);
      if (!botKey) {
        const link = await this.store.readLink(event.conversationId);
        // A late event of an ended handoff: acknowledged and ignored (its link is a tombstone, see store.ts).
        if (link?.ended) return undefined;
        botKey = link?.botKey;
        if (botKey) this.remember(event.conversationId, botKey);
      }
      botKey ??= await this.store.park(event.conversationId, { event, eventId });
      if (botKey) await this.apply(botKey, event, eventId, { claim: true });
      return botKey;
    });
  }

  /**
   * Applies one event to a record: the transition plus outbox items, in one write. With `claim`,
   * the same write takes the relay lease when no other instance holds it, so the drain the caller
   * starts next sends without a lease write of its own (see relay-lease.ts).
   */
  async apply(botKey: string, event: ConversationEvent, eventId?: string, { claim = false } = {}): Promise<void> {
    const classified = classifyGatewayEvent(event, eventId);
    if (classified.kind === 'ignore') return;
    const { newId } = this.options;
    const withLease = (record: HandoffRecord): HandoffRecord => (claim ? takeRelayWithItem(record, this.terms(botKey)) : record);
    await this.store.update(botKey, (record) => {
      if (classified.kind === 'lifecycle') {
        // The bot's clock at arrival, for the summary (8x8's own event times order joins only).
        const event = classified.event.type === 'agentJoined' || classified.event.type === 'assigned' ? { ...classified.event, receivedAt: this.options.clock() } : classified.event;
        const result = transition(record, event);
        const all = effectsToOutbox(result.effects, newId, this.options.clock());
        const items = record.inPlace ? inPlaceItems(all) : all;
        return { value: items.length ? withLease({ ...result.record, outbox: [...result.record.outbox, ...items] }) : result.record, result: undefined };
      }
      // In place, 8x8 shows the agent's messages to the customer itself.
      if (record.inPlace || !isRelayable(record, event.conversationId) || record.seen.includes(classified.key)) return { value: record, result: undefined };
      const item: OutboxItem = { id: newId(), kind: 'activity', activity: classified.activity };
      if (classified.files) Object.assign(item, { files: classified.files, gatewayConversationId: event.conversationId });
      const counted = { ...record, messagesFromAgent: (record.messagesFromAgent ?? 0) + 1 };
      return { value: withLease({ ...counted, seen: [...record.seen, classified.key].slice(-SEEN_LIMIT), outbox: [...record.outbox, item] }), result: undefined };
    });
  }

  /** Forgets a cached link (its conversation is being reopened: its events must wait for the new link). */
  forget(gatewayConversationId: string): void {
    this.links.delete(gatewayConversationId);
  }

  /** Remembers a link, forgetting the oldest beyond {@link LINK_CACHE_SIZE}. */
  private remember(gatewayConversationId: string, botKey: string): void {
    this.links.set(gatewayConversationId, botKey);
    if (this.links.size > LINK_CACHE_SIZE) this.links.delete(this.links.keys().next().value!);
  }

  /**
   * Delivers the outbox of a conversation, in order, one item at a time, when this instance holds
   * (or can take) the conversation's relay lease; otherwise the holder delivers (see relay-lease.ts).
   * Serialised in-process per conversation; across instances by the lease.
   */
  drain(botKey: string): Promise<void> {
    return this.queue.run(`relay:${botKey}`, async () => {
      const claimed = await this.store.update<{ claim: RelayClaim; record: HandoffRecord }>(botKey, (record) => {
        const { record: next, result } = claimRelay(record, this.terms(botKey));
        return { value: next, result: { claim: result, record: next } };
      });
      const { claim } = claimed.result;
      // Someone else is sending; if it dies, its lease lapses and this timer takes over.
      if (claim.claim === 'busy') this.retryLater(botKey, Math.max(0, claim.until - this.options.clock()) + LEASE_GRACE_MS);
      else this.sightings.forget(botKey);
      if (claim.claim !== 'taken') return;
      let record = claimed.result.record;
      for (;;) {
        const item = record.outbox[0]!;
        const attempt = await this.send(botKey, record, item);
        const settled = await this.settle(botKey, record, item, attempt);
        if (settled.next === 'retry') this.retryLater(botKey, settled.retryIn);
        if (settled.next !== 'continue') return;
        record = settled.record;
      }
    });
  }

  /** The lease terms now; another instance's lease on `botKey` expires by our own sighting of it. */
  private terms(botKey: string): LeaseTerms {
    const now = this.options.clock();
    return { owner: this.options.instanceId, now, ttlMs: this.options.relayLeaseMs, expiryOf: (lease) => this.sightings.expiryOf(botKey, lease, now) };
  }

  /** One delivery, renewing the lease while it is in flight (pacer waits included). */
  private async send(botKey: string, record: HandoffRecord, item: OutboxItem): Promise<Attempt> {
    let renewing: Promise<unknown> = Promise.resolve();
    const renew = setInterval(() => {
      renewing = this.store
        .update(botKey, (r) => ({ value: renewRelay(r, this.terms(botKey)), result: undefined }))
        .catch((error: unknown) => this.options.onError(error, { where: 'relay.lease', conversation: botKey }));
    }, Math.max(1, Math.floor(this.options.relayLeaseMs / 3)));
    renew.unref();
    try {
      await deliverItem(this.options, record, item, { botKey, pace: () => this.pacer?.acquire(botKey, record.reference?.channelId) ?? Promise.resolve() });
      return { outcome: { sent: true } };
    } catch (error) {
      const failure = classifySendFailure(error);
      // Only a throttled send is ours to retry on a timer; botbuilder already retried the rest (O7, O8).
      const retryDelayMs = failure.kind === 'throttled' ? (tries: number) => throttledRetryDelayMs(tries, this.random) : undefined;
      return { outcome: { sent: false, tries: SEND_TRIES[failure.kind], retryDelayMs }, failure: { ...failure, error } };
    } finally {
      clearInterval(renew);
      await renewing;
    }
  }

  /** Removes a delivered (or dropped) item and renews or releases the lease, in one write; then reports a failure. */
  private async settle(botKey: string, record: HandoffRecord, item: OutboxItem, attempt: Attempt): Promise<SettleNext & { record: HandoffRecord }> {
    // `change` may run again on a write conflict, so it only computes; reporting happens after.
    const terms = this.terms(botKey);
    const { result } = await this.store.update<SettleNext & { gaveUpAfter?: number; record: HandoffRecord }>(botKey, (current) => {
      const settled = settleItem(current, item, attempt.outcome, terms);
      return { value: settled.record, result: { ...settled.result, record: settled.record } };
    });
    if (attempt.failure) await this.reportFailure(botKey, record, item, attempt.failure, result.gaveUpAfter);
    return result;
  }

  /** A kept item's error as is; a dropped one as a {@link RelayDroppedError} (and its status still reaches `onStatus`). */
  private async reportFailure(botKey: string, record: HandoffRecord, item: OutboxItem, failure: NonNullable<Attempt['failure']>, gaveUpAfter?: number): Promise<void> {
    const { onError } = this.options;
    if (gaveUpAfter === undefined) return onError(failure.error, { where: 'relay', conversation: botKey });
    onError(new RelayDroppedError(failure, gaveUpAfter, failure.error), { where: 'relay', conversation: botKey });
    if (item.kind === 'status') await reportStatus(this.options, record, item, botKey);
  }

  /** Re-drains after `delayMs`, unless a re-drain is already due sooner (a lease wait must not delay a retry). */
  private retryLater(botKey: string, delayMs: number): void {
    const at = Date.now() + delayMs;
    const pending = this.retryTimers.get(botKey);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.retryTimers.delete(botKey);
      this.drain(botKey).catch((error: unknown) => this.options.onError(error, { where: 'relay', conversation: botKey }));
    }, delayMs);
    // A pending retry must not keep the process alive; after a restart the next event or turn drains.
    timer.unref();
    this.retryTimers.set(botKey, { timer, at });
  }

  /** Cancels scheduled relay retries (the records keep the items; a later drain sends them). */
  dispose(): void {
    for (const { timer } of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
  }
}

function isRelayable(record: HandoffRecord, gatewayConversationId: string): boolean {
  return record.state !== 'bot' && record.state !== 'escalating' && record.gatewayConversationId === gatewayConversationId;
}
