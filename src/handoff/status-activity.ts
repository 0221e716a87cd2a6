/**
 * Synthetic incoming `handoff.status` events for the bot, in botbuilder's own vocabulary
 * (`EventFactory.createHandoffStatus`), addressed like a user's activity so the bot can reply.
 */
import { EventFactory, TurnContext, type Activity, type ConversationAccount, type ConversationReference } from 'botbuilder';
import type { HandoffStatusState } from './types';

/** An incoming `event` named `handoff.status` with `value: { state, message }`. */
export function handoffStatusActivity(reference: Partial<ConversationReference>, state: HandoffStatusState, message?: string): Partial<Activity> {
  const conversation = (reference.conversation ?? { id: 'unknown' }) as ConversationAccount;
  const event = EventFactory.createHandoffStatus(conversation, state, message);
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
