/** The 8x8 webhook receiver: verification, event schemas, de-duplication and the express adapter. */
export { WebhookReceiver } from './receiver';
export type { WebhookRequest, WebhookResponse } from './receiver';
export type { WebhookReceiverOptions } from './receiver-options';
export { expressWebhook } from './express';
export type { ExpressWebhookOptions, WebhookHttpRequest, WebhookHttpHandler } from './express';
export { verifyWebhookSignature, parseDetachedJws } from './verify';
export type { VerifyInput, VerifyDeps, VerifyResult, VerifyFailureReason } from './verify';
export { readWebhookMeta } from './headers';
export type { WebhookHeaders, WebhookMeta } from './headers';
export { StaticJwkSource, JwkUnavailableError, importRsaPublicJwk } from './jwk-source';
export type { JwkSource } from './jwk-source';
export { HttpJwkSource, fetchJwkWithFetch } from './http-jwk-source';
export type { HttpJwkSourceOptions, FetchJwk } from './http-jwk-source';
export { MemoryDedupeStore } from './dedupe';
export type { DedupeStore, ClaimResult, MemoryDedupeStoreOptions } from './dedupe';
export { isUnsignedVerifyPing, isJsonContentType } from './request-checks';
export { parseGatewayEvent } from './events';
export type {
  GatewayEvent,
  ConversationEvent,
  GatewayEventType,
  EventOf,
  ParsedEvent,
  ConversationUpdateEvent,
  QueuedEvent,
  MembersChangedEvent,
  TransferEvent,
  MessageEvent,
  ActivityEvent,
  WebhookVerifyEvent,
  LegacyAgentJoinedEvent,
  LegacyAgentLeftEvent,
  LegacyTextEvent,
  LegacyQueuedEvent,
} from './events';
export { signWebhook, signedPayload, webhookChecksum, WEBHOOK_HEADERS } from './signature';
export type { SignWebhookInput, SignedFields } from './signature';
