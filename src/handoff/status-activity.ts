/**
 * Synthetic incoming `handoff.status` events for the bot, in botbuilder's own vocabulary
 * (`EventFactory.createHandoffStatus`), addressed like a user's activity so the bot can reply.
 */
import { EventFactory, TurnContext, type Activity, type ConversationAccount, type ConversationReference } from 'botbuilder';
import type { HandoffStatusState, HandoffSummary, StatusReason } from './types';

/**
 * An incoming `event` named `handoff.status` with `value: { state, message }`, plus `reason` and
 * `summary` on `completed` and `failed` (extra fields botbuilder's own readers ignore).
 */
export function handoffStatusActivity(reference: Partial<ConversationReference>, state: HandoffStatusState, message?: string, extra: { reason?: StatusReason; summary?: HandoffSummary } = {}): Partial<Activity> {
  const conversation = (reference.conversation ?? { id: 'unknown' }) as ConversationAccount;
  const event = EventFactory.createHandoffStatus(conversation, state, message);
  if (extra.reason !== undefined || extra.summary !== undefined) event.value = { ...(event.value as object), ...(extra.reason ? { reason: extra.reason } : {}), ...(extra.summary ? { summary: extra.summary } : {}) };
  return TurnContext.applyConversationReference(event, reference, true);
}

/**
 * A view of `context` whose `activity` is `activity`: same adapter, turn state and send pipeline,
 * so replies the bot sends while handling the status go to the same conversation.
 */
export function withActivity(context: TurnContext, activity: Partial<Activity>): TurnContext {
  const view = Object.create(context) as TurnContext;
  Object.defineProperty(view, 'activity', { value: activity, enumerable: true });
  return view;
}
