/**
 * Webhook events 8x8 POSTs to the integration (REFERENCE.md section 4), as zod schemas and the
 * flat discriminated union inferred from them. Untrusted JSON is validated here, where it enters.
 *
 * Schemas are lenient about extra fields (8x8 adds fields without notice) and strict about the
 * fields this project acts on.
 */
import { z } from 'zod';

const additionalProperty = z.object({ key: z.string(), value: z.string(), id: z.string().optional() }).loose();

const eventUser = z
  .object({
    name: z.string().optional(),
    userId: z.string().optional(),
    email: z.string().optional(),
    phone: z.string().optional(),
    company: z.string().optional(),
    caseId: z.string().optional(),
    language: z.string().optional(),
    ipaddress: z.string().optional(),
    timezoneOffset: z.number().optional(),
    additionalProperties: z.array(additionalProperty).optional(),
  })
  .loose();

const envelope = { conversationId: z.string().min(1), timestamp: z.number().optional() };

/** `CONVERSATION_UPDATE`: state, assignment or user info changed. */
export const conversationUpdateEvent = z.object({
  eventType: z.literal('CONVERSATION_UPDATE'),
  ...envelope,
  data: z
    .object({
      state: z.string().optional(),
      assignment: z.object({ type: z.string(), id: z.string().optional(), resourceId: z.string().optional() }).loose().optional(),
      user: eventUser.optional(),
      msisdn: z.string().optional(),
      channel: z.string().optional(),
    })
    .loose(),
});

/** `QUEUED` (v1.0 form, details in `data`). */
export const queuedEvent = z.object({
  eventType: z.literal('QUEUED'),
  ...envelope,
  data: z.object({ queueId: z.string().optional(), queueName: z.string().optional() }).loose(),
});

/** `MEMBERS_CHANGED`: an agent or the user joined or left. */
export const membersChangedEvent = z.object({
  eventType: z.literal('MEMBERS_CHANGED'),
  ...envelope,
  data: z
    .object({
      memberType: z.string(),
      change: z.enum(['joined', 'left']),
      id: z.string().optional(),
      /** Not documented for v1.0; kept when present so the user can be told the agent's name. */
      name: z.string().optional(),
    })
    .loose(),
});

/** `TRANSFER`: the agent moved the chat to another queue; the following agent-left is not the end. */
export const transferEvent = z.object({ eventType: z.literal('TRANSFER'), ...envelope }).loose();

const messageAttachment = z
  .object({
    id: z.string(),
    type: z.string().optional(),
    preSignedUrl: z.string().optional(),
    fileName: z.string().optional(),
  })
  .loose();

const messageCard = z.object({ contentType: z.string(), content: z.unknown(), id: z.string().optional() }).loose();

/** `MESSAGE`: any participant added a message; `isEcho` marks the integration's own messages. */
export const messageEvent = z.object({
  eventType: z.literal('MESSAGE'),
  ...envelope,
  data: z
    .object({
      isEcho: z.boolean().optional(),
      sender: z.object({ id: z.string().optional(), type: z.string().optional(), name: z.string().optional() }).loose().optional(),
      text: z.string().optional(),
      attachments: z.array(messageAttachment).optional(),
      cards: z.array(messageCard).optional(),
      messageId: z.string().optional(),
      id: z.string().optional(),
    })
    .loose(),
});

/** `ACTIVITY`: a non-message action; `typing` carries the list of typing users (empty = stopped). */
export const activityEvent = z.object({
  eventType: z.literal('ACTIVITY'),
  ...envelope,
  data: z.object({ name: z.string(), value: z.unknown().optional() }).loose(),
});

/** `WEB_HOOK_VERIFY`: the verification ping. It has no conversationId, timestamp or data. */
export const webhookVerifyEvent = z
  .object({ eventType: z.literal('WEB_HOOK_VERIFY'), notificationVersion: z.string().optional() })
  .loose();

const legacyEnvelope = { ...envelope, messageType: z.string().optional() };

/** Legacy (Chat API v2) `AGENT_JOINED`, still shown on 8x8's gateway pages. */
export const legacyAgentJoinedEvent = z
  .object({ eventType: z.literal('AGENT_JOINED'), ...legacyEnvelope, agentId: z.string().optional(), agentName: z.string().optional() })
  .loose();

/** Legacy `AGENT_LEFT`: ends the handoff. */
export const legacyAgentLeftEvent = z
  .object({ eventType: z.literal('AGENT_LEFT'), ...legacyEnvelope, agentId: z.string().optional(), agentName: z.string().optional() })
  .loose();

/** Legacy `TEXT`: an agent message. */
export const legacyTextEvent = z
  .object({
    eventType: z.literal('TEXT'),
    ...legacyEnvelope,
    agentId: z.string().optional(),
    agentName: z.string().optional(),
    message: z.string(),
  })
  .loose();

/** Legacy flat `QUEUED` (no `data`). */
export const legacyQueuedEvent = z
  .object({ eventType: z.literal('QUEUED'), ...legacyEnvelope, queueId: z.string().optional(), queueName: z.string().optional() })
  .loose();

/** Every Chat Gateway v1.0 event. */
export type ConversationUpdateEvent = z.infer<typeof conversationUpdateEvent>;
/** See {@link queuedEvent}. */
export type QueuedEvent = z.infer<typeof queuedEvent>;
/** See {@link membersChangedEvent}. */
export type MembersChangedEvent = z.infer<typeof membersChangedEvent>;
/** See {@link transferEvent}. */
export type TransferEvent = z.infer<typeof transferEvent>;
/** See {@link messageEvent}. */
export type MessageEvent = z.infer<typeof messageEvent>;
/** See {@link activityEvent}. */
export type ActivityEvent = z.infer<typeof activityEvent>;
/** See {@link webhookVerifyEvent}. */
export type WebhookVerifyEvent = z.infer<typeof webhookVerifyEvent>;
/** See {@link legacyAgentJoinedEvent}. */
export type LegacyAgentJoinedEvent = z.infer<typeof legacyAgentJoinedEvent>;
/** See {@link legacyAgentLeftEvent}. */
export type LegacyAgentLeftEvent = z.infer<typeof legacyAgentLeftEvent>;
/** See {@link legacyTextEvent}. */
export type LegacyTextEvent = z.infer<typeof legacyTextEvent>;
/** See {@link legacyQueuedEvent}. */
export type LegacyQueuedEvent = z.infer<typeof legacyQueuedEvent>;

/** A conversation event: every known event type except `WEB_HOOK_VERIFY`. */
export type ConversationEvent =
  | ConversationUpdateEvent
  | QueuedEvent
  | MembersChangedEvent
  | TransferEvent
  | MessageEvent
  | ActivityEvent
  | LegacyAgentJoinedEvent
  | LegacyAgentLeftEvent
  | LegacyTextEvent
  | LegacyQueuedEvent;

/** Every event the receiver understands. */
export type GatewayEvent = ConversationEvent | WebhookVerifyEvent;

/** The `eventType` tags this project knows. */
export type GatewayEventType = GatewayEvent['eventType'];

/** Narrows {@link GatewayEvent} to one `eventType`. */
export type EventOf<T extends GatewayEventType> = Extract<GatewayEvent, { eventType: T }>;

const byType: Record<string, z.ZodType<GatewayEvent>[]> = {
  CONVERSATION_UPDATE: [conversationUpdateEvent],
  // The v1.0 form has `data`; the legacy flat form does not. Try v1.0 first.
  QUEUED: [queuedEvent, legacyQueuedEvent],
  MEMBERS_CHANGED: [membersChangedEvent],
  TRANSFER: [transferEvent],
  MESSAGE: [messageEvent],
  ACTIVITY: [activityEvent],
  WEB_HOOK_VERIFY: [webhookVerifyEvent],
  AGENT_JOINED: [legacyAgentJoinedEvent],
  AGENT_LEFT: [legacyAgentLeftEvent],
  TEXT: [legacyTextEvent],
};

/** Result of {@link parseGatewayEvent}. */
export type ParsedEvent =
  | { kind: 'event'; event: GatewayEvent }
  | { kind: 'unknown'; eventType: string; body: Record<string, unknown> }
  | { kind: 'invalid'; reason: string };

/**
 * Classifies an already JSON-parsed body: a known event, an unknown `eventType` (to be acknowledged
 * and reported, never a crash), or invalid (no envelope, or a known type with a broken shape).
 */
export function parseGatewayEvent(body: unknown): ParsedEvent {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { kind: 'invalid', reason: 'body is not a JSON object' };
  }
  const eventType = (body as { eventType?: unknown }).eventType;
  if (typeof eventType !== 'string' || eventType.length === 0) {
    return { kind: 'invalid', reason: 'eventType is missing' };
  }
  const schemas = byType[eventType];
  if (!schemas) return { kind: 'unknown', eventType, body: body as Record<string, unknown> };
  let firstError = '';
  for (const schema of schemas) {
    const result = schema.safeParse(body);
    if (result.success) return { kind: 'event', event: result.data };
    firstError ||= result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  }
  return { kind: 'invalid', reason: `${eventType}: ${firstError}` };
}
