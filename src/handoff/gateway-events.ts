/**
 * Sorts an 8x8 webhook event into a lifecycle event (for the pure transition function), an
 * activity to relay to the user, or nothing.
 */
import type { Activity } from 'botbuilder';
import { gatewayFiles, gatewayMessageToActivity, legacyTextToActivity, type GatewayFile } from '../transcript';
import type { ConversationEvent, MessageEvent } from '../webhook/events';
import type { LifecycleEvent } from './types';

/** What an 8x8 event means for a handoff. `key` identifies it for duplicate detection. */
export type ClassifiedEvent =
  | { kind: 'lifecycle'; event: LifecycleEvent }
  /** `files`: the message's files, resolved when delivered (by id through 8x8, see agent-files.ts). */
  | { kind: 'relay'; key: string; activity: Partial<Activity>; files?: GatewayFile[] }
  | { kind: 'ignore'; why: string };

/** The dedupe key: 8x8's event id when known (the same on every retry), else the content. */
export function eventKey(event: ConversationEvent, eventId?: string): string {
  return eventId ?? `${event.eventType}|${event.timestamp ?? ''}|${JSON.stringify(event)}`;
}

/** Classifies one event. Pure. */
export function classifyGatewayEvent(event: ConversationEvent, eventId?: string): ClassifiedEvent {
  const gatewayConversationId = event.conversationId;
  const key = eventKey(event, eventId);
  switch (event.eventType) {
    case 'QUEUED': {
      // v1.0 puts the queue in `data`; the legacy flat form at the top level.
      const flat = event as { queueName?: string; data?: { queueName?: string } };
      const queueName = flat.data?.queueName ?? flat.queueName;
      return lifecycle({ type: 'queued', gatewayConversationId, key, queueName });
    }
    case 'MEMBERS_CHANGED':
      return membersChanged(event, key);
    case 'TRANSFER':
      return lifecycle({ type: 'transfer', gatewayConversationId, key });
    case 'CONVERSATION_UPDATE':
      return conversationUpdate(event, key);
    case 'AGENT_JOINED':
      return lifecycle({ type: 'agentJoined', gatewayConversationId, key, agentId: event.agentId ?? 'agent', agentName: event.agentName, at: event.timestamp });
    case 'AGENT_LEFT':
      return lifecycle({ type: 'agentLeft', gatewayConversationId, key, agentId: event.agentId });
    case 'MESSAGE':
      return classifyMessage(event, key);
    case 'ACTIVITY':
      return typingActivity(event, key);
    case 'TEXT':
      return { kind: 'relay', key, activity: legacyTextToActivity(event) };
  }
}

const lifecycle = (e: LifecycleEvent): ClassifiedEvent => ({ kind: 'lifecycle', event: e });

function membersChanged(event: Extract<ConversationEvent, { eventType: 'MEMBERS_CHANGED' }>, key: string): ClassifiedEvent {
  const gatewayConversationId = event.conversationId;
  const { id, name } = event.data;
  // Compared case-insensitively: prose and some examples write these in capitals.
  const memberType = event.data.memberType.toLowerCase();
  const change = event.data.change.toLowerCase();
  if (change !== 'joined' && change !== 'left') return { kind: 'ignore', why: `${memberType} ${change}` };
  if (memberType === 'user') {
    // The customer removed on 8x8's side ends the chat; a (re)join needs nothing from us.
    return change === 'left' ? lifecycle({ type: 'userRemoved', gatewayConversationId, key }) : { kind: 'ignore', why: 'user joined' };
  }
  if (memberType !== 'agent') return { kind: 'ignore', why: `${memberType} ${change}` };
  if (change === 'joined') return lifecycle({ type: 'agentJoined', gatewayConversationId, key, agentId: id ?? 'agent', agentName: name, at: event.timestamp });
  return lifecycle({ type: 'agentLeft', gatewayConversationId, key, agentId: id });
}

function conversationUpdate(event: Extract<ConversationEvent, { eventType: 'CONVERSATION_UPDATE' }>, key: string): ClassifiedEvent {
  const gatewayConversationId = event.conversationId;
  const { assignment } = event.data;
  // JSON uses lower case, 8x8's prose upper case: accept both.
  const state = event.data.state?.toLowerCase();
  if (state === 'idle') return lifecycle({ type: 'idle', gatewayConversationId, key });
  if (assignment?.type.toLowerCase() === 'agent' && assignment.id) return lifecycle({ type: 'assigned', gatewayConversationId, key, agentId: assignment.id, at: event.timestamp });
  return { kind: 'ignore', why: `conversation ${state ?? 'updated'}` };
}

function typingActivity(event: Extract<ConversationEvent, { eventType: 'ACTIVITY' }>, key: string): ClassifiedEvent {
  if (event.data.name !== 'typing') return { kind: 'ignore', why: `activity ${event.data.name}` };
  const users = (event.data.value as { users?: unknown } | undefined)?.users;
  // Only the other side's typing is shown; an empty list means typing stopped (Bot Framework has no "stop").
  if (!Array.isArray(users) || !users.some((u) => !isCustomer((u as { type?: unknown } | null)?.type))) return { kind: 'ignore', why: 'typing of no agent' };
  return { kind: 'relay', key, activity: { type: 'typing' } };
}

/**
 * True only for the customer. 8x8 documents sender types as examples (`agent`, `user`) and shows a
 * blank one, so everything that is not explicitly the customer (agent, system, blank, missing,
 * unknown) counts as the other side and reaches the user.
 */
export function isCustomer(senderType: unknown): boolean {
  return typeof senderType === 'string' && ['user', 'customer'].includes(senderType.trim().toLowerCase());
}

function classifyMessage(event: MessageEvent, key: string): ClassifiedEvent {
  // Echoes are the integration's own messages (the user's and the bot's): never show them again.
  if (event.data.isEcho) return { kind: 'ignore', why: 'echo' };
  if (isCustomer(event.data.sender?.type)) return { kind: 'ignore', why: 'message from the customer' };
  // Files are resolved when delivered: a link or bytes fetched now could be stale by then.
  const activity = gatewayMessageToActivity(event.data, { omitFiles: true });
  const files = gatewayFiles(event.data);
  // A system message with nothing to show (no text, file or card) would be an empty bubble.
  if (!activity.text && !activity.attachments?.length && !activity.suggestedActions && files.length === 0) return { kind: 'ignore', why: 'empty message' };
  return files.length ? { kind: 'relay', key, activity, files } : { kind: 'relay', key, activity };
}
