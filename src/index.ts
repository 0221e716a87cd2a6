/**
 * botbuilder-8x8-handoff: hand Bot Framework conversations to live agents in the 8x8 Contact
 * Center through the Chat Gateway API.
 *
 * This file is the one public entry. Every public name is listed explicitly (no `export *`), the
 * everyday ones first: the middleware and its options, escalation and status, triggers,
 * configuration, the webhook route, the Chat Gateway client, availability, storage for several
 * instances, observability, then extension points. The stored record format and the handoff
 * core (lifecycle, record store, deadlines, relay lease) are private, so they can change without
 * a breaking release; `test/api/public-api.test.ts` guards this list.
 * The emulator has its own entry, `botbuilder-8x8-handoff/emulator`.
 */

// ---- HandoffMiddleware and its options -----------------------------------------------------------
export { HandoffMiddleware, DEFAULT_MESSAGES } from './handoff';
export type {
  HandoffMiddlewareOptions, TranscriptLimits, WaitingRoomOptions, InactivityOptions, LeaveMessageOptions,
  HandoffMessages, LocalizedText, NoticeKey, FileLinksOptions, FilesHttpHandler, PacingOptions, PaceLimit, HandoffErrorInfo,
} from './handoff';
export type { HandoffErrorWhere } from './handoff/options';

// ---- Escalating, and the status the bot is told ---------------------------------------------------
export type { EscalateOptions, EscalationOutcome, HandoffStatus, HandoffStatusState, StatusBot } from './handoff';

// ---- Errors and logging -------------------------------------------------------------------------
export { HandoffError, ConfigurationError } from './errors';
export type { ErrorCode } from './errors';
export { createDefaultLogger, silentLogger } from './logger';
export type { Logger } from './logger';

// ---- Escalation triggers ------------------------------------------------------------------------
export { triggers, markFallback, isFallbackTurn } from './triggers';
export type {
  EscalationRequest, EscalationTrigger, TriggerOptions, AfterTurnInfo, KeywordLists, PatternList,
  IntentTriggerOptions, IntentRecognizer, HandoffInitiateOptions,
} from './triggers';

// ---- Declarative configuration --------------------------------------------------------------------
export { loadHandoffConfig, HandoffConfigError, handoffConfigSchema, routeEscalation } from './config';
export type { HandoffConfig, HandoffConfigInput, ConfigProblem, RoutingRule, RoutingCondition, RouteDecision } from './config';

// ---- The webhook route --------------------------------------------------------------------------
export { WebhookReceiver, expressWebhook } from './webhook';
export type {
  WebhookReceiverOptions, WebhookRequest, WebhookResponse, ExpressWebhookOptions, WebhookHttpRequest, WebhookHttpHandler, WebhookMeta,
  WebhookHeaders,
} from './webhook';

// ---- The Chat Gateway client --------------------------------------------------------------------
export { ChatGatewayClient, ChatGatewaySetupClient, DEFAULT_BASE_URL, CHAT_GATEWAY_VERSION, listAll } from './gateway';
export type {
  ChatGatewayPort, ChatGatewayClientOptions, ChatGatewayRetryOptions, ChatGatewayCircuitBreakerOptions, WebhookInput,
  ChannelInput, UploadAttachmentInput, DownloadedAttachment, BreakerState,
} from './gateway';
export { ChatGatewayApiError, ChatGatewayNetworkError, ChatGatewayThrottledError, ChatGatewayUnavailableError } from './gateway';
export type { GatewayErrorDetail, GatewayCallInfo, GatewayNetworkErrorKind } from './gateway';
// What the client's methods take and return (8x8's wire format).
export type {
  ExternalAuthorType, AuthorType, ConversationState, Language, AdditionalProperty, ConversationUser, Assignment, AssignmentRequest,
  CardContentType, QuickRepliesContent, Card, AttachmentRef, SendMessageRequest, CreateConversationRequest, CreateConversationResponse,
  Conversation, UpdateConversationRequest, PatchConversationRequest, Interaction, Participant, Message, Attachment, WebhookVersion,
  Webhook, VerifyWebhookRequest, ChannelType, Channel, ChannelRequest, PostAgentAssignmentRequest, TypingRequest, ThinkingRequest,
  ReadReceiptRequest, PublicJwk, ListQuery, PageInfo, HalList,
} from './gateway/types';

// ---- Availability before escalation ----------------------------------------------------------------
export { scheduleAvailability, tenantScheduleAvailability, queueStatsAvailability, combineAvailability, compileSchedule, isOpenAt, nextOpening, WEEKDAY_KEYS } from './availability';
export type {
  AvailabilityCheck, AvailabilityQuery, AvailabilityVerdict, AvailableVerdict, UnavailableVerdict, AvailabilityFallback, AvailabilityErrorReport,
  WeeklyScheduleInput, WeeklySchedule, WeekdayKey, TenantScheduleOptions, QueueStatsOptions,
} from './availability';

// ---- Several bot instances: shared stores (Redis) and the Storage check ---------------------------
export { RedisStorage, RedisDedupeStore, canCreateIfAbsent, checkStorage, assertStorageCapabilities, withBlobsCreateIfAbsent } from './storage';
export type { RedisStorageOptions, RedisDedupeStoreOptions, RedisEvalClient, CreateIfAbsentStorage, StorageCapabilities, BlobContainerLike } from './storage';
export { ETagConflictError, StoredItemError } from './storage';
export { StorageConflictError } from './handoff';

// ---- What operators watch: metrics, correlated logs, BotTelemetryClient --------------------------
export { createHandoffMetrics, METRIC_NAMES, loggingObserver, telemetryObserver, combineObservers } from './observability';
export type { HandoffObserver, HandoffCorrelation, HandoffEnding, GatewayCallFailure, HandoffMetrics, HandoffMetricsOptions } from './observability';

// ---- The bot behind 8x8's own channels (web widget, WhatsApp): adapter and handover in place ----
export { ChatGatewayAdapter } from './channel';
export type { ChatGatewayAdapterOptions, ChatGatewayAdapterGateway, ChannelBot, AfterAgent } from './channel';

// ---- Extension points -----------------------------------------------------------------------------
// Ports: what the middleware needs of an 8x8 client and of a Bot Framework adapter.
export type { HandoffGatewayPort, ProactiveSender } from './handoff';
// Pacing of proactive sends: the built-in limits, and the error of a send the connector refused.
export { BOT_FRAMEWORK_LIMITS, CHANNEL_PACE_LIMITS, TEAMS_LIMITS, RelayDroppedError } from './handoff';
export type { SendFailureKind } from './handoff';
// Handover in place: what an adapter of 8x8's own channels marks on its turns (ChatGatewayAdapter does).
export { NATIVE_CONVERSATION_KEY, nativeConversationOf } from './handoff/native-conversation';
export type { NativeConversation, NativeConversationHost } from './handoff/native-conversation';
// Transcript conversions between Bot Framework activities and 8x8 messages.
export {
  buildHistory, activityToGatewayMessage, gatewayMessageToActivity, createAttachmentFetcher,
  AttachmentFetchError, AttachmentTooLargeError,
} from './transcript';
export type {
  TranscriptEntry, BuildHistoryOptions, HistoryResult, AttachmentFetcher, AttachmentFetcherOptions, PendingFile,
} from './transcript';
// Webhook signatures, events, key sources, dedupe stores and the verifier.
export { parseGatewayEvent } from './webhook/events';
export type {
  GatewayEvent, GatewayEventType, ConversationEvent, EventOf, ParsedEvent,
  ConversationUpdateEvent, QueuedEvent, MembersChangedEvent, TransferEvent, MessageEvent, ActivityEvent,
  WebhookVerifyEvent, LegacyAgentJoinedEvent, LegacyAgentLeftEvent, LegacyTextEvent, LegacyQueuedEvent,
} from './webhook/events';
export { WEBHOOK_HEADERS, webhookChecksum, signedPayload, signWebhook } from './webhook/signature';
export type { SignedFields, SignWebhookInput } from './webhook/signature';
export { HttpJwkSource, StaticJwkSource, JwkUnavailableError, MemoryDedupeStore, verifyWebhookSignature } from './webhook';
export type {
  JwkSource, HttpJwkSourceOptions, FetchJwk, DedupeStore, ClaimResult, MemoryDedupeStoreOptions,
  VerifyInput, VerifyDeps, VerifyResult, VerifyFailureReason,
} from './webhook';
