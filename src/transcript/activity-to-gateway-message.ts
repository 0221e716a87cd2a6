/**
 * The live relay, user to agent: one Bot Framework activity as one 8x8 message.
 */
import type { Activity } from 'botbuilder';
import type { ExternalAuthorType, SendMessageRequest } from '../gateway/types';
import type { AttachmentFetcher } from './attachment-fetcher';
import { DEFAULT_MAX_ATTACHMENT_BYTES } from './build-history';
import { draftMessage, type ConversionOptions } from './draft-message';
import { toTranscriptEntry } from './entry';
import { resolveDraft, type PendingFile } from './resolve-draft';

/** Options of {@link activityToGatewayMessage}. */
export interface LiveMessageOptions extends ConversionOptions {
  /** Reads attachment bytes. Required. */
  fetchAttachment: AttachmentFetcher;
  /** Largest file to forward, in bytes. Default 10 MiB. */
  maxAttachmentBytes?: number;
  /** Who the message is from. Default `user`. */
  authorType?: ExternalAuthorType;
}

/**
 * Converts a message activity: text, card submits as text, cards, and files returned for upload
 * (the caller adds the uploaded ids to `message.attachments`). Returns undefined for anything
 * that is not a message with content.
 */
export async function activityToGatewayMessage(
  activity: Partial<Activity>,
  options: LiveMessageOptions,
): Promise<{ message: SendMessageRequest; files: PendingFile[] } | undefined> {
  // Going through the transcript form keeps one set of rules for live and recorded messages.
  const entry = toTranscriptEntry(activity, 'in');
  if (!entry) return undefined;
  const draft = draftMessage(entry, options.authorType ?? 'user', options);
  if (!draft) return undefined;
  return resolveDraft(draft, { ...options, maxAttachmentBytes: options.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES }, 0);
}
