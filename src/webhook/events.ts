/**
 * Webhook events 8x8 POSTs to the integration (REFERENCE.md section 4), as zod schemas and the
 * flat discriminated union inferred from them. Untrusted JSON is validated here, where it enters.
 *
 * Liberal in what we accept (README "What we accept from 8x8"): 8x8's pages show several forms of
 * the same event, and a 400 makes 8x8 retry and then give up, losing whatever the event meant. So
 * only the fields the middleware acts on are validated strictly (the envelope, `state`,
 * `assignment`, `memberType`/`change`/`id`, `isEcho`, `sender.type`, `text`, attachment ids, card
 * content types, `data.name`). Informational fields (user details, names, queue ids, file names,
 * ...) are kept when they have the documented type and dropped to `undefined` when they do not;
 * every unknown field is kept as is. A mistyped informational field therefore never changes what an
 * event does.
 */
import { z } from 'zod';

/** An informational string: kept when it is one, `undefined` otherwise (never a parse failure). */
const info = z.string().optional().catch(undefined);

/** The payload timestamp: epoch ms, also accepted as a numeric string; anything else is dropped. */
const timestamp = z
  .unknown()
  .transform((v): number | undefined => {
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
  })
  .optional();

const additionalProperty = z.object({ key: z.unknown(), value: z.unknown(), id: z.unknown().optional() }).loose();

/**
 * The user details of a CONVERSATION_UPDATE. Nothing here is acted on, so nothing can fail:
 * `timezoneOffset` is documented as a number but also seen as a string, property values need not
 * be strings. Non-object forms are dropped.
 */
const eventUser = z
  .object({
    name: info,
    userId: info,
    email: info,
    phone: info,
    company: info,
    caseId: info,
    language: info,
    ipaddress: info,
    timezoneOffset: z.union([z.number(), z.string()]).optional().catch(undefined),
    additionalProperties: z.array(additionalProperty).optional().catch(undefined),
  })
  .loose()
  .optional()
  .catch(undefined);

const envelope = { conversationId: z.string().min(1), timestamp };

/** `CONVERSATION_UPDATE`: state, assignment or user info changed. */
export const conversationUpdateEvent = z.object({
  eventType: z.literal('CONVERSATION_UPDATE'),
  ...envelope,
  data: z
    .object({
      state: z.string().optional(),
      // Acted on: `type` (agent) and `id` (who took the chat). `resourceId` is informational.
      assignment: z.object({ type: z.string(), id: z.string().optional(), resourceId: info }).loose().optional(),
      user: eventUser,
      msisdn: info,
      channel: info,
    })
    .loose(),
});

/** `QUEUED` (v1.0 form, details in `data`). */
export const queuedEvent = z.object({
  eventType: z.literal('QUEUED'),
  ...envelope,
  data: z.object({ queueId: info, queueName: info }).loose(),
});

/**
 * `MEMBERS_CHANGED`: an agent or the user joined or left. `change` is any string: a value other
 * than `joined`/`left` is acknowledged and ignored, not refused.
 */
export const membersChangedEvent = z.object({
  eventType: z.literal('MEMBERS_CHANGED'),
  ...envelope,
  data: z
    .object({
      memberType: z.string(),
      change: z.string(),
      id: z.string().optional(),
      /** Not documented for v1.0; kept when present so the user can be told the agent's name. */
      name: info,
    })
    .loose(),
});

/** `TRANSFER`: the agent moved the chat to another queue; the following agent-left is not the end. */
export const transferEvent = z.object({ eventType: z.literal('TRANSFER'), ...envelope }).loose();

/** A file in a MESSAGE: the id is acted on (download by id); the rest describes it. */
const messageAttachment = z
  .object({
    id: z.string(),
    type: info,
    preSignedUrl: info,
    fileName: info,
  })
  .loose();

const messageCard = z.object({ contentType: z.string(), content: z.unknown(), id: info }).loose();

/**
 * `MESSAGE`: any participant added a message; `isEcho` marks the integration's own messages. The
 * sender's type may be blank or missing (8x8's chat-workflow page shows `"type": ""`).
 */
export const messageEvent = z.object({
  eventType: z.literal('MESSAGE'),
  ...envelope,
  data: z
    .object({
      isEcho: z.boolean().optional(),
      sender: z.object({ id: info, type: z.string().optional(), name: info }).loose().optional(),
      text: z.string().optional(),
      attachments: z.array(messageAttachment).optional(),
      cards: z.array(messageCard).optional(),
      messageId: info,
      id: info,
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
  .object({ eventType: z.literal('WEB_HOOK_VERIFY'), notificationVersion: info })
  .loose();

const legacyEnvelope = { ...envelope, messageType: info };

/** Legacy (Chat API v2) `AGENT_JOINED`, still shown on 8x8's gateway pages. */
export const legacyAgentJoinedEvent = z
  .object({ eventType: z.literal('AGENT_JOINED'), ...legacyEnvelope, agentId: z.string().optional(), agentName: info })
  .loose();

/** Legacy `AGENT_LEFT`: ends the handoff. */
export const legacyAgentLeftEvent = z
  .object({ eventType: z.literal('AGENT_LEFT'), ...legacyEnvelope, agentId: z.string().optional(), agentName: info })
  .loose();

/** Legacy `TEXT`: an agent message. */
export const legacyTextEvent = z
  .object({
    eventType: z.literal('TEXT'),
    ...legacyEnvelope,
    agentId: z.string().optional(),
    agentName: info,
    message: z.string(),
  })
  .loose();

/** Legacy flat `QUEUED` (no `data`). */
export const legacyQueuedEvent = z
  .object({ eventType: z.literal('QUEUED'), ...legacyEnvelope, queueId: info, queueName: info })
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
  // Own keys only: an eventType such as "valueOf" or "__proto__" is an unknown event, not Object.prototype's.
  const schemas = Object.hasOwn(byType, eventType) ? byType[eventType] : undefined;
  if (!schemas) return { kind: 'unknown', eventType, body: body as Record<string, unknown> };
  let firstError = '';
  for (const schema of schemas) {
    const result = schema.safeParse(body);
    if (result.success) return { kind: 'event', event: result.data };
    firstError ||= result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  }
  return { kind: 'invalid', reason: `${eventType}: ${firstError}` };
}
