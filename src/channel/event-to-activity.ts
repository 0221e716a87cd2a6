/**
 * What an 8x8 webhook event of an 8x8-native conversation means for the bot: a customer activity
 * (text, files, a card submit, a quick-reply choice), the conversation starting, or nothing. Pure.
 */
import type { Activity } from 'botbuilder';
import { gatewayMessageToActivity } from '../transcript';
import type { ActivityEvent, ConversationEvent, MessageEvent } from '../webhook/events';

/** The customer as far as the event says. */
export interface CustomerSeen {
  id?: string;
  name?: string;
  language?: string;
}

/** A customer activity before it gets its conversation reference. `dedupeKey` names the message when 8x8 does. */
export type CustomerInput =
  | { kind: 'start'; customer: CustomerSeen }
  | { kind: 'activity'; activity: Partial<Activity>; customer: CustomerSeen; dedupeKey?: string }
  | { kind: 'ignore'; why: string };

/** Authors whose messages are not the customer's: 8x8 shows them to the customer itself. */
const NOT_CUSTOMER = new Set(['agent', 'bot', 'system']);

/** Sorts one event. */
export function eventToCustomerInput(event: ConversationEvent): CustomerInput {
  switch (event.eventType) {
    case 'CONVERSATION_UPDATE': {
      const user = event.data.user;
      const customer = { id: user?.userId, name: user?.name, language: user?.language };
      return event.data.state === 'active' ? { kind: 'start', customer } : { kind: 'ignore', why: `conversation ${event.data.state ?? 'updated'}` };
    }
    case 'MESSAGE':
      return messageInput(event);
    case 'ACTIVITY':
      return actionInput(event);
    default:
      return { kind: 'ignore', why: event.eventType };
  }
}

function messageInput(event: MessageEvent): CustomerInput {
  const { data } = event;
  // Echoes are the bot's own replies (and anything else written through the API).
  if (data.isEcho) return { kind: 'ignore', why: 'echo' };
  if (data.sender?.type && NOT_CUSTOMER.has(data.sender.type)) return { kind: 'ignore', why: `message from ${data.sender.type}` };
  const activity = gatewayMessageToActivity(data);
  // Quick replies are the bot's to offer, never the customer's.
  delete activity.suggestedActions;
  const messageId = data.messageId ?? data.id;
  return { kind: 'activity', activity, customer: { id: data.sender?.id, name: data.sender?.name }, dedupeKey: messageId ? `message:${messageId}` : undefined };
}

/** Card submits and quick-reply choices arrive as `ACTIVITY` events (REFERENCE.md section 4). */
function actionInput(event: ActivityEvent): CustomerInput {
  const { name, value } = event.data;
  const v = (value ?? {}) as { type?: string; data?: unknown; button_reply?: { id?: string; title?: string }; list_reply?: { id?: string; title?: string } };
  if (name === 'adaptiveCard/action') {
    // What Bot Framework channels send for Action.Submit: a message whose `value` is the card's data.
    return { kind: 'activity', activity: { type: 'message', value: v.data ?? {}, channelData: { eightByEight: { action: v.type ?? 'Action.Submit' } } }, customer: {} };
  }
  if (name === 'quickReply/action') {
    const data = (v.data ?? {}) as { title?: unknown; payload?: unknown };
    // Like an imBack: the text is the option's postback, or its title when there is none.
    const text = stringOf(data.payload) ?? stringOf(data.title);
    return text === undefined ? { kind: 'ignore', why: 'quick reply without payload or title' } : { kind: 'activity', activity: { type: 'message', text }, customer: {} };
  }
  const reply = v.button_reply ?? v.list_reply;
  if (reply) {
    const text = stringOf(reply.title) ?? stringOf(reply.id);
    if (text !== undefined) return { kind: 'activity', activity: { type: 'message', text, value: reply }, customer: {} };
  }
  return { kind: 'ignore', why: `activity ${name}` };
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
