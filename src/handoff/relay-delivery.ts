/**
 * Delivering one outbox item in a proactive turn: a notice or an agent activity to the user, a
 * `handoff.status` event to the bot (and the `onStatus` hook), or a held user message back to the
 * bot to answer. Throws when the send fails; the relay keeps the item and retries.
 */
import { TurnContext, type Activity } from 'botbuilder-core';
import { renderNotice } from './notices';
import type { ResolvedHandoffOptions } from './options';
import { handoffStatusActivity, withActivity } from './status-activity';
import type { HandoffRecord, OutboxItem } from './types';

/** The options delivery needs. */
export type DeliveryOptions = Pick<ResolvedHandoffOptions, 'adapter' | 'botAppId' | 'messages' | 'bot' | 'onStatus'>;

/** Sends one item to the conversation of `record`. */
export async function deliverItem(options: DeliveryOptions, record: HandoffRecord, item: OutboxItem): Promise<void> {
  const { adapter, botAppId, messages } = options;
  const reference = record.reference;
  if (!reference) throw new Error('no conversation reference stored for this conversation');
  if (item.kind === 'status') return deliverStatus(options, record, item);
  if (item.kind === 'held') return deliverHeld(options, record, item);
  const activity: Partial<Activity> =
    item.kind === 'notice' ? { type: 'message', text: renderNotice(messages, item.key, record.locale, item.params) } : item.activity;
  // An empty notice text means "say nothing" (see HandoffMessages).
  if (item.kind === 'notice' && !activity.text) return;
  await adapter.continueConversationAsync(botAppId, reference, async (context) => {
    await detachReplies(context).sendActivity(activity);
  });
}

async function deliverStatus(options: DeliveryOptions, record: HandoffRecord, item: Extract<OutboxItem, { kind: 'status' }>): Promise<void> {
  const { adapter, botAppId, bot, onStatus } = options;
  const reference = record.reference!;
  if (bot) {
    await adapter.continueConversationAsync(botAppId, reference, async (context) => {
      await bot.run(withActivity(detachReplies(context), handoffStatusActivity(reference, item.state, item.message)));
    });
  }
  await onStatus?.({ state: item.state, message: item.message, reference, gatewayConversationId: record.gatewayConversationId });
}

/**
 * Runs a message the user typed during a failed create call through the bot, as if it had just
 * arrived, so the bot answers it. Without a `bot` there is no one to give it to (the escalation
 * reported that when it failed).
 */
async function deliverHeld(options: DeliveryOptions, record: HandoffRecord, item: Extract<OutboxItem, { kind: 'held' }>): Promise<void> {
  const { adapter, botAppId, bot } = options;
  const reference = record.reference!;
  if (!bot) return;
  const incoming = TurnContext.applyConversationReference({ ...item.activity, type: item.activity.type ?? 'message', id: item.id }, reference, true);
  await adapter.continueConversationAsync(botAppId, reference, async (context) => {
    await bot.run(withActivity(detachReplies(context), incoming));
  });
}

/**
 * Proactive sends would otherwise carry `replyToId` = the id of botbuilder's synthetic
 * ContinueConversation event, which the channel never saw: Web Chat then holds each agent
 * message for seconds waiting for that activity. Agent messages answer nothing, so drop it.
 */
export function detachReplies(context: TurnContext): TurnContext {
  context.onSendActivities(async (_context, activities, next) => {
    for (const activity of activities) delete activity.replyToId;
    return next();
  });
  return context;
}
