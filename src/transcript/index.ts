/**
 * Transcript recording and the conversions between Bot Framework activities and 8x8 messages.
 */
export { toTranscriptEntry, transcriptFromActivities } from './entry';
export { appendBounded, appendSized, arrayBytes, fitEntry, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_TRANSCRIPT_BYTES } from './bounded';
export { buildHistory, omittedNote, MAX_HISTORY_MESSAGES, DEFAULT_MAX_ATTACHMENT_BYTES } from './build-history';
export { activityToGatewayMessage } from './activity-to-gateway-message';
export { gatewayMessageToActivity, gatewayFiles, legacyTextToActivity } from './gateway-to-activity';
export { createAttachmentFetcher } from './attachment-fetcher';
export { AttachmentFetchError, AttachmentTooLargeError } from './attachment-errors';
export { ADAPTIVE_CARD_CONTENT_TYPE, MAX_ADAPTIVE_CARD_VERSION, DEFAULT_ADAPTIVE_CARD_VERSION, DEFAULT_TARGET_CARD_VERSION, checkAdaptiveCard, adaptiveCardText } from './adaptive-card';
export { ADAPTIVE_CARD_VERSIONS, downlevelAdaptiveCard, parseCardVersion } from './card-downlevel';
export type { CardVersion, DownlevelResult } from './card-downlevel';
export { HERO_CARD_CONTENT_TYPE, THUMBNAIL_CARD_CONTENT_TYPE, heroToAdaptiveCard } from './hero-card';
export { QUICK_REPLIES_CONTENT_TYPE, suggestedActionsToQuickReplies, quickRepliesToSuggestedActions } from './quick-replies';
export { cardText, redactCard } from './card-text';
export { submitText } from './submit-text';
export { guessContentType, formatBytes } from './content-type';
export type { TranscriptEntry, TranscriptAttachment, TranscriptAction } from './entry';
export type { TranscriptBounds, SizedTranscript } from './bounded';
export type { BuildHistoryOptions, HistoryResult } from './build-history';
export type { LiveMessageOptions } from './activity-to-gateway-message';
export type { GatewayToActivityOptions, GatewayFile } from './gateway-to-activity';
export type { AttachmentFetcher, AttachmentFetcherOptions, FetchableAttachment, FetchedAttachment } from './attachment-fetcher';
export type { PendingFile } from './resolve-draft';
export type { ConversionOptions } from './draft-message';
export type { AdaptiveCardCheck } from './adaptive-card';
