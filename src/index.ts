/**
 * botbuilder-8x8-handoff: hand Bot Framework conversations to live agents in the 8x8 Contact
 * Center through the Chat Gateway API.
 *
 * This file is the one public entry. Every public name is listed explicitly, grouped by audience.
 * The emulator has its own entry, `botbuilder-8x8-handoff/emulator`.
 */

// ---- Errors and logging -------------------------------------------------------------------------
export { HandoffError, ConfigurationError } from './errors';
export { createDefaultLogger, silentLogger } from './logger';
export type { Logger } from './logger';

// ---- Chat Gateway wire types ---------------------------------------------------------------------
export type * from './gateway/types';

// ---- Webhook events and signatures ---------------------------------------------------------------
export { parseGatewayEvent } from './webhook/events';
export type {
  GatewayEvent, GatewayEventType, ConversationEvent, EventOf, ParsedEvent,
  ConversationUpdateEvent, QueuedEvent, MembersChangedEvent, TransferEvent, MessageEvent, ActivityEvent,
  WebhookVerifyEvent, LegacyAgentJoinedEvent, LegacyAgentLeftEvent, LegacyTextEvent, LegacyQueuedEvent,
} from './webhook/events';
export { WEBHOOK_HEADERS, webhookChecksum, signedPayload, signWebhook } from './webhook/signature';
export type { SignedFields, SignWebhookInput } from './webhook/signature';

// ---- ChatGatewayClient (gateway helper adds here) ------------------------------------------------

// ---- Webhook receiver (webhook helper adds here) -------------------------------------------------

// ---- Handoff middleware (middleware helper adds here) --------------------------------------------
