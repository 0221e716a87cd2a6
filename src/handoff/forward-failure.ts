/**
 * What happens when a user's message cannot reach 8x8 during a handoff.
 *
 * - 8x8 answers 404: it no longer knows the conversation (closed or purged on its side). Nobody
 *   can answer there, so the handoff ends: the bot takes over again, the user is told
 *   (`conversationLost`) and the bot gets `handoff.status` `failed` saying why.
 * - Anything else (5xx, timeouts, an open circuit): the handoff stays, the error goes to
 *   `onError`, and the user is told this one message did not arrive (`notDelivered`), since
 *   silently dropping it is worse. Typing indicators fail silently.
 */
import type { Activity, TurnContext } from 'botbuilder';
import { ChatGatewayApiError } from '../gateway/errors';
import { renderNotice, type HandoffMessages } from './notices';
import type { LifecycleEvent } from './types';

/** A forward that 8x8 refused or that did not get through. */
export interface ForwardFailure {
  gatewayConversationId: string;
  error: unknown;
}

/** True when 8x8 said the conversation does not exist (any Chat Gateway 404 on a conversation call). */
export function isConversationGone(error: unknown): boolean {
  return error instanceof ChatGatewayApiError && error.status === 404;
}

/** The lifecycle event that ends a handoff whose 8x8 conversation is gone. */
export function conversationLost(gatewayConversationId: string, error: unknown): LifecycleEvent {
  const detail = error instanceof Error ? `: ${error.message}` : '';
  return { type: 'gatewayLost', gatewayConversationId, reason: `8x8 no longer knows conversation ${gatewayConversationId} (404); the handoff ended${detail}` };
}

/** Tells the user, in their turn, that their message did not reach the agent (not for typing). */
export async function tellNotDelivered(context: TurnContext, activity: Partial<Activity>, messages: HandoffMessages, locale?: string): Promise<void> {
  if (activity.type !== 'message') return;
  const text = renderNotice(messages, 'notDelivered', activity.locale ?? locale);
  // An empty configured text turns the notice off.
  if (text) await context.sendActivity(text);
}
