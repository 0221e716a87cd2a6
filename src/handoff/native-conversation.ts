/**
 * Handover in place, for conversations that started on one of 8x8's own channels (web widget,
 * WhatsApp, ...) and reach the bot through `ChatGatewayAdapter`. Such a conversation already
 * exists at 8x8 and already holds everything said, so an escalation does not create one: it
 * re-routes the same conversation to the queue (`PATCH` with `assignment: {type: "queue"}` and the
 * user's details for the screen pop). From then on 8x8 carries both sides, so the middleware
 * relays nothing; it only follows the lifecycle, and gives the conversation back to the bot when
 * the agent leaves.
 */
import type { TurnContext } from 'botbuilder';
import type { ChatGatewayClient } from '../gateway';
import type { ConversationUser, PostAgentAssignmentRequest } from '../gateway/types';
import type { ConversationEvent } from '../webhook/events';
import { toAdditionalProperties } from './conversation-user';
import type { ProactiveSender } from './ports';
import type { NoticeKey, OutboxItem } from './types';

/** The `turnState` key under which `ChatGatewayAdapter` marks its turns (see {@link NativeConversation}). */
export const NATIVE_CONVERSATION_KEY = Symbol.for('botbuilder-8x8-handoff.nativeConversation');

/** What a turn of an 8x8-native conversation tells the middleware. */
export interface NativeConversation {
  /** The 8x8 conversation the turn belongs to. */
  gatewayConversationId: string;
  /** Sent after the re-route so 8x8 gives the conversation back to the bot's webhook when the agent leaves. */
  postAgentAssignment?: PostAgentAssignmentRequest;
}

/**
 * What `HandoffMiddleware.shareWebhookWith` takes: `ChatGatewayAdapter` implements it. One webhook
 * route then serves the middleware's own conversations and the 8x8-native ones.
 */
export interface NativeConversationHost extends ProactiveSender {
  /** The Bot Framework `channelId` of the host's activities (e.g. `8x8`). */
  readonly channelId: string;
  /**
   * True when the 8x8 conversation is not one the middleware created (on `handoffChannelId`).
   * `createdByHandoff`, when given, answers from the middleware's own storage (its link of the
   * conversation), so any instance, after any restart, knows its own conversations without asking 8x8.
   */
  ownsConversation(gatewayConversationId: string, handoffChannelId: string, createdByHandoff?: () => Promise<boolean>): Promise<boolean>;
  /** Runs the bot for one verified event of such a conversation. */
  processEvent(event: ConversationEvent, meta?: { eventId?: string }): Promise<void>;
}

/** The gateway calls a re-route makes. */
export type RerouteGateway = Partial<Pick<ChatGatewayClient, 'patchConversation' | 'postAgentAssignment' | 'getConversation'>>;

/** The native conversation of a turn, when `ChatGatewayAdapter` runs it. */
export function nativeConversationOf(context: TurnContext): NativeConversation | undefined {
  return context.turnState.get(NATIVE_CONVERSATION_KEY) as NativeConversation | undefined;
}

/**
 * The user 8x8 gets: what 8x8 already knows (the widget's pre-chat form, the WhatsApp number)
 * is kept, the escalation's fields (the bot's `userResolver`, the routed language) update it, and
 * its properties are added to 8x8's (the escalation's value wins per key).
 */
export function mergeUser(existing: ConversationUser | undefined, escalation: ConversationUser): ConversationUser {
  const merged: ConversationUser = { ...stripEmpty(existing ?? {}), ...stripEmpty(escalation) };
  const properties = toAdditionalProperties(existing?.additionalProperties?.map(({ key, value }) => ({ key, value })), escalation.additionalProperties);
  if (properties) merged.additionalProperties = properties;
  else delete merged.additionalProperties;
  return merged;
}

/**
 * Re-routes the conversation to `queueId` with `PATCH` (a partial update: only assignment and
 * user change, unlike `PUT`), then asks for the post-agent assignment when configured. A failed
 * post-agent assignment does not undo the handover: it is returned for the caller to report.
 */
export async function rerouteInPlace(
  gateway: RerouteGateway,
  native: NativeConversation,
  queueId: string,
  user: ConversationUser,
): Promise<{ postAgentAssignmentError?: unknown }> {
  if (typeof gateway.patchConversation !== 'function') {
    throw new TypeError('The gateway has no patchConversation: pass a ChatGatewayClient to HandoffMiddleware to hand 8x8-native conversations over.');
  }
  const id = native.gatewayConversationId;
  const existing = gateway.getConversation ? (await gateway.getConversation(id)).user : undefined;
  await gateway.patchConversation(id, { assignment: { type: 'queue', id: queueId }, user: mergeUser(existing, user) });
  if (!native.postAgentAssignment || typeof gateway.postAgentAssignment !== 'function') return {};
  try {
    await gateway.postAgentAssignment(id, native.postAgentAssignment);
    return {};
  } catch (error) {
    return { postAgentAssignmentError: error };
  }
}

/** Notices that would only repeat, as a bot message, what 8x8 already shows beside the agent. */
const SHOWN_BY_8X8: ReadonlySet<NoticeKey> = new Set(['agentJoined', 'agentJoinedNamed', 'transferring']);

/**
 * The outbox items an in-place handoff keeps: no agent activity (the customer sees the agent on
 * 8x8 directly) and no notice 8x8 shows itself; the bot's status reports and the rest stay.
 */
export function inPlaceItems(items: OutboxItem[]): OutboxItem[] {
  // No customer-leave either: the customer stays in the 8x8 conversation, which the bot may take back.
  return items.filter((item) => item.kind !== 'activity' && item.kind !== 'leave' && !(item.kind === 'notice' && SHOWN_BY_8X8.has(item.key)));
}

function stripEmpty<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([k, v]) => k !== 'additionalProperties' && v !== undefined && v !== '')) as Partial<T>;
}
