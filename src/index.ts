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

// ---- ChatGatewayClient: everyday use --------------------------------------------------------------
export { ChatGatewayClient, ChatGatewaySetupClient, DEFAULT_BASE_URL, CHAT_GATEWAY_VERSION } from './gateway';
export type {
  ChatGatewayPort, ChatGatewayClientOptions, ChatGatewayRetryOptions, ChatGatewayCircuitBreakerOptions, WebhookInput,
  ChannelInput, UploadAttachmentInput, DownloadedAttachment, BreakerState,
} from './gateway';
export { ChatGatewayApiError, ChatGatewayNetworkError, ChatGatewayThrottledError, ChatGatewayUnavailableError } from './gateway';
export type { GatewayErrorDetail, GatewayCallInfo, GatewayNetworkErrorKind } from './gateway';
export { listAll } from './gateway';

// ---- Availability before escalation ----------------------------------------------------------------
export { scheduleAvailability, tenantScheduleAvailability, queueStatsAvailability, combineAvailability, compileSchedule, isOpenAt, nextOpening, WEEKDAY_KEYS } from './availability';
export type {
  AvailabilityCheck, AvailabilityQuery, AvailabilityVerdict, AvailableVerdict, UnavailableVerdict, AvailabilityFallback, AvailabilityErrorReport,
  WeeklyScheduleInput, WeeklySchedule, WeekdayKey, TenantScheduleOptions, QueueStatsOptions,
} from './availability';

// ---- Webhook receiver: everyday use ---------------------------------------------------------------
export { WebhookReceiver, expressWebhook } from './webhook';
export type {
  WebhookReceiverOptions, WebhookRequest, WebhookResponse, ExpressWebhookOptions, WebhookHttpRequest, WebhookHttpHandler, WebhookMeta,
  WebhookHeaders,
} from './webhook';

// ---- Webhook receiver: extension points (key sources, dedupe stores, the verifier) ---------------
export { HttpJwkSource, StaticJwkSource, JwkUnavailableError, MemoryDedupeStore, verifyWebhookSignature } from './webhook';
export type {
  JwkSource, HttpJwkSourceOptions, FetchJwk, DedupeStore, ClaimResult, MemoryDedupeStoreOptions,
  VerifyInput, VerifyDeps, VerifyResult, VerifyFailureReason,
} from './webhook';

// ---- HandoffMiddleware: everyday use --------------------------------------------------------------
export { HandoffMiddleware, DEFAULT_MESSAGES } from './handoff';
export type {
  HandoffMiddlewareOptions, EscalateOptions, EscalationOutcome, HandoffErrorInfo, TranscriptLimits,
  HandoffStatus, HandoffMessages, LocalizedText, StatusBot, FileLinksOptions, FilesHttpHandler, WaitingRoomOptions, InactivityOptions,
} from './handoff';

// ---- What operators watch: metrics, correlated logs, BotTelemetryClient --------------------------
export { createHandoffMetrics, METRIC_NAMES, loggingObserver, telemetryObserver, combineObservers } from './observability';
export type { HandoffObserver, HandoffCorrelation, HandoffEnding, GatewayCallFailure, HandoffMetrics, HandoffMetricsOptions } from './observability';

// ---- Several bot instances: shared stores (Redis) -------------------------------------------------
export { RedisStorage, RedisDedupeStore, ETagConflictError, StoredItemError, canCreateIfAbsent, checkStorage, assertStorageCapabilities, withBlobsCreateIfAbsent } from './storage';
export type { RedisStorageOptions, RedisDedupeStoreOptions, RedisEvalClient, CreateIfAbsentStorage, StorageCapabilities, BlobContainerLike } from './storage';

// ---- Escalation triggers and declarative configuration ------------------------------------------
export { triggers, markFallback, isFallbackTurn } from './triggers';
export type {
  EscalationRequest, EscalationTrigger, TriggerOptions, AfterTurnInfo, KeywordLists, PatternList,
  IntentTriggerOptions, IntentRecognizer, HandoffInitiateOptions,
} from './triggers';
export { loadHandoffConfig, HandoffConfigError, handoffConfigSchema, routeEscalation } from './config';
export type { HandoffConfig, HandoffConfigInput, ConfigProblem, RoutingRule, RoutingCondition, RouteDecision } from './config';

// ---- Extension points: the pure lifecycle, the record store, ports, transcript conversions -------
export {
  transition, emptyRecord, isHandoffActive, HandoffStore, CasStorage, StorageConflictError, isConversationGone,
  SendPacer, BOT_FRAMEWORK_LIMITS, RelayDroppedError, classifySendFailure, ChannelPacer, CHANNEL_PACE_LIMITS, TEAMS_LIMITS,
  planDeadlines, fireDue, userActive, DeadlineIndex,
} from './handoff';
export type {
  HandoffState, HandoffStatusState, HandoffRecord, HandoffEffect, LifecycleEvent, TransitionResult, NoticeKey,
  OutboxItem, HeldActivity, RelayLease, HandoffGatewayPort, ProactiveSender, HandoffStoreOptions, GatewayLink,
  PendingGatewayEvent, CasStorageOptions, CasChange, PaceLimit, SendPacerOptions, SendFailure, SendFailureKind,
  PacingOptions, ConversationPacer, Deadline, DeadlineKind, DeadlinePolicy, WaitingFigures,
} from './handoff';
export {
  buildHistory, activityToGatewayMessage, gatewayMessageToActivity, createAttachmentFetcher,
  AttachmentFetchError, AttachmentTooLargeError,
} from './transcript';
export type {
  TranscriptEntry, BuildHistoryOptions, HistoryResult, AttachmentFetcher, AttachmentFetcherOptions, PendingFile,
} from './transcript';

// ---- The bot behind 8x8's own channels (web widget, WhatsApp): adapter and handover in place ----
export { ChatGatewayAdapter } from './channel';
export type { ChatGatewayAdapterOptions, ChatGatewayAdapterGateway, ChannelBot, AfterAgent } from './channel';
export { NATIVE_CONVERSATION_KEY, nativeConversationOf } from './handoff/native-conversation';
export type { NativeConversation, NativeConversationHost } from './handoff/native-conversation';
