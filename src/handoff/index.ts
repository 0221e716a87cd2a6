/**
 * The handoff module's names for the rest of the package and its tests. Not an entry of the package:
 * `src/index.ts` re-exports only the public ones, by name.
 */
export { HandoffMiddleware } from './middleware';
export type { EscalateOptions } from './middleware';
export type { EscalationOutcome } from './escalation';
export { resolveHandoffOptions } from './options';
export type { HandoffMiddlewareOptions, ResolvedHandoffOptions, HandoffErrorInfo, TranscriptLimits, WaitingRoomOptions, InactivityOptions, LeaveMessageOptions } from './options';
export { planDeadlines, fireDue, userActive, earliestDeadline, dueKinds, waitingNotice } from './deadlines';
export type { DeadlinePolicy, WaitingFigures } from './deadlines';
export { DeadlineIndex, DEADLINE_SHARDS } from './deadline-index';
export type { DueEntry } from './deadline-index';
export { offerAnswer } from './offer';
export type { OfferAnswer } from './offer';
export type { HandoffGatewayPort, ProactiveSender, StatusBot, HandoffStatus } from './ports';
export { FileLinkSigner } from './file-links';
export type { FileLinksOptions, FileLinkTarget, FileLinkCheck } from './file-links';
export type { FilesHttpHandler } from './files-route';
export { DEFAULT_MESSAGES, renderNotice } from './notices';
export type { HandoffMessages, LocalizedText } from './notices';
export { transition, SEEN_LIMIT } from './state';
export { emptyRecord, isHandoffActive } from './types';
export type {
  HandoffState, HandoffStatusState, HandoffRecord, HandoffEffect, LifecycleEvent, TransitionResult,
  NoticeKey, OutboxItem, HeldActivity, EscalationStart, HandoffRequestInfo, RelayLease, Deadline, DeadlineKind,
} from './types';
export { HandoffStore } from './store';
export type { HandoffStoreOptions, GatewayLink, PendingGatewayEvent } from './store';
export { CasStorage, StorageConflictError, isConflict } from './cas-storage';
export type { CasChange, CasStorageOptions } from './cas-storage';
export { classifyGatewayEvent } from './gateway-events';
export type { ClassifiedEvent } from './gateway-events';
export { handoffStatusActivity } from './status-activity';
export { isCancelPhrase } from './ending';
export { isConversationGone } from './forward-failure';
export { SendPacer, BOT_FRAMEWORK_LIMITS, nextSlot } from './pacer';
export { ChannelPacer, CHANNEL_PACE_LIMITS, TEAMS_LIMITS, limitsFor, resolvePacing } from './channel-pacing';
export type { PacingOptions, ResolvedPacing, ConversationPacer } from './channel-pacing';
export type { PaceLimit, SendPacerOptions } from './pacer';
export { RelayDroppedError, classifySendFailure } from './send-failure';
export type { SendFailure, SendFailureKind } from './send-failure';
