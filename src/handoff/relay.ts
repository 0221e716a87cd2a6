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
import { every, type ScheduledTask } from '../time';
import type { ConversationEvent } from '../webhook/events';
import type { CoreEffect } from './effects';
import { classifyGatewayEvent } from './gateway-events';
import type { HandoffInput, LeaseView } from './inputs';
import type { HandoffCore } from './interpreter';
import type { KeyedQueue } from './keyed-queue';
import type { ResolvedHandoffOptions } from './options';
import type { ConversationPacer } from './channel-pacing';
import { deliverItem, reportStatus } from './relay-delivery';
import { LeaseSightings, type SendOutcome } from './relay-lease';
import { classifySendFailure, RelayDroppedError, SEND_TRIES, throttledRetryDelayMs, type SendFailure } from './send-failure';
import type { HandoffStore } from './store';
import type { HandoffRecord, OutboxItem } from './types';

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

/** Records webhook events and relays the outbox through proactive turns. */
export class AgentRelay {
  /** One pending re-drain per conversation, with when it fires (this instance's clock). */
  private readonly retries = new Map<string, { task: ScheduledTask; at: number }>();
  /**
   * Links already read, so an agent message costs no link read. A link's bot conversation never
   * changes once set; when its handoff ends the link becomes a tombstone, and an event that still
   * reaches the record through this cache is ignored there (its 8x8 conversation is not the
   * record's current one), just as the tombstone would have ignored it.
   */
  private readonly links = new Map<string, string>();
  /** The record as the running drain of each conversation last wrote it (reference and locale for sends). */
  private readonly draining = new Map<string, HandoffRecord>();

  private readonly pacer?: ConversationPacer;
  private readonly random: () => number;
  /** Other instances' leases as first seen, so their expiry never compares two instances' clocks. */
  private readonly sightings: LeaseSightings;

  constructor(
    private readonly store: HandoffStore,
    private readonly core: HandoffCore,
    private readonly options: ResolvedHandoffOptions,
    private readonly queue: KeyedQueue,
    deps: RelayDeps = {},
  ) {
    this.pacer = deps.pacer;
    this.random = deps.random ?? Math.random;
    this.sightings = new LeaseSightings(options.relayLeaseMs);
  }

  /**
   * Records one webhook event; resolves once it is durable (the caller then acknowledges it, and
   * the drain the reducer asks for runs after that answer). Returns the bot conversation key, or
   * undefined when the event only waits for its link.
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
   * Applies one event to a record through the reducer: a lifecycle event, or an agent message
   * (an outbox item). With `claim`, the same write takes the relay lease when no other instance
   * holds it, so the drain that follows sends without a lease write of its own (see relay-lease.ts).
   */
  async apply(botKey: string, event: ConversationEvent, eventId?: string, { claim = false } = {}): Promise<void> {
    const classified = classifyGatewayEvent(event, eventId);
    if (classified.kind === 'ignore') return;
    const now = this.options.clock();
    const lease = claim ? this.view(botKey) : undefined;
    const input: HandoffInput =
      classified.kind === 'lifecycle'
        ? { type: 'lifecycle', now, event: classified.event, lease }
        : { type: 'agentMessage', now, key: classified.key, gatewayConversationId: event.conversationId, activity: classified.activity, files: classified.files, lease };
    await this.core.apply(botKey, input, { drain: 'afterIo' });
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
   * Serialised in-process per conversation; across instances by the lease. The reducer decides
   * each step (`send` the head, `retryDrain` later, or stop); the interpreter performs it.
   */
  drain(botKey: string): Promise<void> {
    return this.queue.run(`relay:${botKey}`, async () => {
      const claimed = await this.core.write(botKey, { type: 'claimRelay', now: this.options.clock(), lease: this.view(botKey) });
      // Someone else is sending; if it dies, its lease lapses and the retry takes over.
      if (!claimed.effects.some((e) => e.type === 'retryDrain' && e.leaseWait)) this.sightings.forget(botKey);
      this.draining.set(botKey, claimed.record);
      try {
        await this.core.perform(botKey, claimed.effects);
      } finally {
        this.draining.delete(botKey);
      }
    });
  }

  /** How this instance judges another's lease on `botKey`: by its own first sighting of it. */
  private view(botKey: string): LeaseView {
    return { expiryOf: (lease) => this.sightings.expiryOf(botKey, lease, this.options.clock()) };
  }

  /**
   * The `send` effect: one delivery (renewing the lease while it is in flight), then the settle
   * write. Returns what the reducer decided next. Runs inside {@link drain}.
   */
  async send(botKey: string, item: OutboxItem): Promise<CoreEffect[]> {
    const record = this.draining.get(botKey)!;
    const attempt = await this.attempt(botKey, record, item);
    const settled = await this.core.write(botKey, { type: 'settle', now: this.options.clock(), item, outcome: attempt.outcome, lease: this.view(botKey) });
    this.draining.set(botKey, settled.record);
    if (attempt.failure) {
      const dropped = settled.effects.find((e) => e.type === 'dropped');
      const { error } = attempt.failure;
      this.options.onError(dropped ? new RelayDroppedError(attempt.failure, dropped.attempts, error) : error, { where: 'relay', conversation: botKey });
    }
    return settled.effects;
  }

  /** The `dropped` effect: a status the bot never got still reaches `onStatus` (the error was reported by {@link send}). */
  async dropped(botKey: string, item: OutboxItem): Promise<void> {
    const record = this.draining.get(botKey);
    if (item.kind === 'status' && record) await reportStatus(this.options, record, item, botKey);
  }

  /** One delivery, renewing the lease while it is in flight (pacer waits included). */
  private async attempt(botKey: string, record: HandoffRecord, item: OutboxItem): Promise<Attempt> {
    let renewing: Promise<unknown> = Promise.resolve();
    const renew = every(this.options.scheduler, Math.max(1, Math.floor(this.options.relayLeaseMs / 3)), () => {
      renewing = this.core
        .write(botKey, { type: 'renewRelay', now: this.options.clock(), lease: this.view(botKey) })
        .catch((error: unknown) => this.options.onError(error, { where: 'relay.lease', conversation: botKey }));
    });
    try {
      await deliverItem(this.options, record, item, { botKey, pace: () => this.pacer?.acquire(botKey, record.reference?.channelId) ?? Promise.resolve() });
      return { outcome: { sent: true } };
    } catch (error) {
      const failure = classifySendFailure(error);
      // Only a throttled send is ours to retry on a timer; botbuilder already retried the rest (O7, O8).
      const retryDelayMs = failure.kind === 'throttled' ? (tries: number) => throttledRetryDelayMs(tries, this.random) : undefined;
      return { outcome: { sent: false, tries: SEND_TRIES[failure.kind], retryDelayMs }, failure: { ...failure, error } };
    } finally {
      renew.cancel();
      await renewing;
    }
  }

  /** The `retryDrain` effect: re-drains after `delayMs`, unless a re-drain is already due sooner (a lease wait must not delay a retry). */
  retryLater(botKey: string, delayMs: number): void {
    const at = this.options.clock() + delayMs;
    const pending = this.retries.get(botKey);
    if (pending && pending.at <= at) return;
    pending?.task.cancel();
    // A background task: a pending retry must not keep the process alive; after a restart the next event or turn drains.
    const task = this.options.scheduler.after(
      delayMs,
      () => {
        this.retries.delete(botKey);
        this.drain(botKey).catch((error: unknown) => this.options.onError(error, { where: 'relay', conversation: botKey }));
      },
      { background: true },
    );
    this.retries.set(botKey, { task, at });
  }

  /** Cancels scheduled relay retries (the records keep the items; a later drain sends them). */
  dispose(): void {
    for (const { task } of this.retries.values()) task.cancel();
    this.retries.clear();
  }
}
