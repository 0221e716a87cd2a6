/**
 * The gateway module's public names. `src/index.ts` re-exports from here.
 */
export { ChatGatewayClient } from './client';
export type { ChatGatewayPort } from './client';
export { ChatGatewaySetupClient, CHAT_GATEWAY_VERSION, GATEWAY_PATH } from './setup-client';
export type { WebhookInput, ChannelInput } from './setup-client';
export { DEFAULT_BASE_URL, resolveGatewayOptions } from './options';
export type {
  ChatGatewayClientOptions, ChatGatewayRetryOptions, ChatGatewayCircuitBreakerOptions, ResolvedGatewayOptions,
} from './options';
export {
  ChatGatewayApiError, ChatGatewayNetworkError, ChatGatewayThrottledError, ChatGatewayUnavailableError,
  normaliseErrorDetails,
} from './errors';
export type { GatewayErrorDetail, GatewayCallInfo, GatewayNetworkErrorKind } from './errors';
export { toGatewayError } from './error-mapping';
export { fullJitterDelay, parseRetryAfter, isRetryable, decideRetry } from './retry';
export type { FailedAttempt, BackoffSettings, RetryDecision } from './retry';
export { CircuitBreaker, classifyOutcome, describeTransition } from './circuit-breaker';
export type {
  BreakerState, CircuitBreakerSettings, CallOutcome, BreakerPermit, BreakerAdmission, BreakerTransition, BreakerTransitionReason,
  BreakerTransitionLog,
} from './circuit-breaker';
export { listAll, withEmbedded } from './pagination';
export { parseContentDisposition } from './attachments';
export type { UploadAttachmentInput, DownloadedAttachment } from './attachments';
export { USER_AGENT } from './version';
