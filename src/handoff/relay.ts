/**
 * The 8x8 -> user direction. "Record, then ack, then relay" (RELIABILITY D9): a webhook event is
 * first written into the conversation's record (a lifecycle change and/or an outbox item, one
 * compare-and-set write), the webhook is acknowledged, and the outbox is drained afterwards in
 * order, each item removed only after its send succeeded. A restart mid-relay re-sends at most
 * the item in flight; events of one conversation are recorded and relayed in arrival order (D4).
 */
import type { Activity, TurnContext } from 'botbuilder-core';
import type { ConversationEvent } from '../webhook/events';
import { classifyGatewayEvent } from './gateway-events';
import type { KeyedQueue } from './keyed-queue';
import { renderNotice } from './notices';
import type { ResolvedHandoffOptions } from './options';
import { SEEN_LIMIT, transition } from './state';
import { handoffStatusActivity, withActivity } from './status-activity';
import type { HandoffStore } from './store';
import type { HandoffEffect, HandoffRecord, OutboxItem } from './types';

/** Attempts per outbox item before it is dropped (and reported), so one bad item cannot block the rest. */
const MAX_ATTEMPTS = 6;

/**
 * Pause before re-draining after a failed send: 1 s, 4 s, 16 s, then 60 s, about 2.5 minutes in
 * all. botbuilder already retried 408/5xx/network errors inside the send; this covers longer
 * outages and a connector 429 without Retry-After, which botbuilder does not retry.
 */
export function relayRetryDelayMs(attempts: number): number {
  return Math.min(60_000, 1_000 * 4 ** Math.max(0, attempts - 1));
}

/** Turns effects the user or the bot must see into outbox items. */
export function effectsToOutbox(effects: HandoffEffect[], newId: () => string): OutboxItem[] {
  const items: OutboxItem[] = [];
  for (const effect of effects) {
    if (effect.type === 'notify') items.push({ id: newId(), kind: 'notice', key: effect.key, params: effect.params });
    if (effect.type === 'status') items.push({ id: newId(), kind: 'status', state: effect.state, message: effect.message });
  }
  return items;
}

/** Records webhook events and relays the outbox through proactive turns. */
export class AgentRelay {
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly store: HandoffStore,
    private readonly options: ResolvedHandoffOptions,
    private readonly queue: KeyedQueue,
  ) {}

  /**
   * Records one webhook event; resolves once it is durable (the caller then acknowledges it).
   * Returns the bot conversation key to drain, or undefined when the event only waits for its link.
   */
  record(event: ConversationEvent, eventId?: string): Promise<string | undefined> {
    return this.queue.run(`8x8:${event.conversationId}`, async () => {
      let botKey = (await this.store.readLink(event.conversationId))?.botKey;
      botKey ??= await this.store.park(event.conversationId, { event, eventId });
      if (botKey) await this.apply(botKey, event, eventId);
      return botKey;
    });
  }

  /** Applies one event to a record: the transition plus outbox items, in one write. */
  async apply(botKey: string, event: ConversationEvent, eventId?: string): Promise<void> {
    const classified = classifyGatewayEvent(event, eventId);
    if (classified.kind === 'ignore') return;
    const { newId } = this.options;
    await this.store.update(botKey, (record) => {
      if (classified.kind === 'lifecycle') {
        const result = transition(record, classified.event);
        const items = effectsToOutbox(result.effects, newId);
        return { value: items.length ? { ...result.record, outbox: [...result.record.outbox, ...items] } : result.record, result: undefined };
      }
      if (!isRelayable(record, event.conversationId) || record.seen.includes(classified.key)) return { value: record, result: undefined };
      const item: OutboxItem = { id: newId(), kind: 'activity', activity: classified.activity };
      return { value: { ...record, seen: [...record.seen, classified.key].slice(-SEEN_LIMIT), outbox: [...record.outbox, item] }, result: undefined };
    });
  }

  /** Delivers the outbox of a conversation, in order, one item at a time. */
  drain(botKey: string): Promise<void> {
    return this.queue.run(`relay:${botKey}`, async () => {
      for (;;) {
        const record = await this.store.read(botKey);
        const item = record?.outbox[0];
        if (!record || !item) return;
        const delivered = await this.deliver(record, item).then(
          () => true,
          (error: unknown) => {
            this.options.onError(error, { where: 'relay', conversation: botKey });
            return false;
          },
        );
        const retryIn = await this.settle(botKey, item, delivered);
        // A failed send is retried after a pause (or sooner, on the next event or turn), never in a tight loop.
        if (!delivered && retryIn !== undefined) {
          this.retryLater(botKey, retryIn);
          return;
        }
      }
    });
  }

  /** Removes a delivered (or exhausted) item; returns the pause before the next try of a kept one. */
  private async settle(botKey: string, item: OutboxItem, delivered: boolean): Promise<number | undefined> {
    // `change` may run again on a write conflict, so it only computes; reporting happens after.
    const { result } = await this.store.update<{ retryIn?: number; gaveUpAfter?: number }>(botKey, (record) => {
      if (record.outbox[0]?.id !== item.id) return { value: record, result: {} };
      const attempts = (item.attempts ?? 0) + 1;
      const rest = record.outbox.slice(1);
      if (delivered) return { value: { ...record, outbox: rest }, result: {} };
      if (attempts >= MAX_ATTEMPTS) return { value: { ...record, outbox: rest }, result: { gaveUpAfter: attempts } };
      return { value: { ...record, outbox: [{ ...item, attempts }, ...rest] }, result: { retryIn: relayRetryDelayMs(attempts) } };
    });
    if (result.gaveUpAfter) {
      this.options.onError(new Error(`gave up relaying an agent event after ${result.gaveUpAfter} attempts`), { where: 'relay', conversation: botKey });
    }
    return result.retryIn;
  }

  private retryLater(botKey: string, delayMs: number): void {
    if (this.retryTimers.has(botKey)) return;
    const timer = setTimeout(() => {
      this.retryTimers.delete(botKey);
      this.drain(botKey).catch((error: unknown) => this.options.onError(error, { where: 'relay', conversation: botKey }));
    }, delayMs);
    // A pending retry must not keep the process alive; after a restart the next event or turn drains.
    timer.unref();
    this.retryTimers.set(botKey, timer);
  }

  /** Cancels scheduled relay retries (the records keep the items; a later drain sends them). */
  dispose(): void {
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
  }

  private async deliver(record: HandoffRecord, item: OutboxItem): Promise<void> {
    const { adapter, botAppId, messages } = this.options;
    const reference = record.reference;
    if (!reference) throw new Error('no conversation reference stored for this conversation');
    if (item.kind === 'status') return this.deliverStatus(record, item);
    const activity: Partial<Activity> =
      item.kind === 'notice' ? { type: 'message', text: renderNotice(messages, item.key, record.locale, item.params) } : item.activity;
    await adapter.continueConversationAsync(botAppId, reference, async (context) => {
      await detachReplies(context).sendActivity(activity);
    });
  }

  private async deliverStatus(record: HandoffRecord, item: Extract<OutboxItem, { kind: 'status' }>): Promise<void> {
    const { adapter, botAppId, bot, onStatus } = this.options;
    const reference = record.reference!;
    if (bot) {
      await adapter.continueConversationAsync(botAppId, reference, async (context) => {
        await bot.run(withActivity(detachReplies(context), handoffStatusActivity(reference, item.state, item.message)));
      });
    }
    await onStatus?.({ state: item.state, message: item.message, reference, gatewayConversationId: record.gatewayConversationId });
  }
}

/**
 * Proactive sends would otherwise carry `replyToId` = the id of botbuilder's synthetic
 * ContinueConversation event, which the channel never saw: Web Chat then holds each agent
 * message for seconds waiting for that activity. Agent messages answer nothing, so drop it.
 */
function detachReplies(context: TurnContext): TurnContext {
  context.onSendActivities(async (_context, activities, next) => {
    for (const activity of activities) delete activity.replyToId;
    return next();
  });
  return context;
}

function isRelayable(record: HandoffRecord, gatewayConversationId: string): boolean {
  return record.state !== 'bot' && record.state !== 'escalating' && record.gatewayConversationId === gatewayConversationId;
}
