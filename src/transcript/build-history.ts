/**
 * A recorded transcript as 8x8 `history.messages` for `POST /chat-gateway/v1/conversations`.
 *
 * History messages cannot reference uploads (the conversation does not exist yet; REFERENCE.md
 * section 6 pitfall 16), so files come back separately for the caller to upload right after the
 * 202 and post in a bot-authored message, while each history message describes its files in text.
 */
import { ConfigurationError } from '../errors';
import type { SendMessageRequest } from '../gateway/types';
import type { AttachmentFetcher } from './attachment-fetcher';
import { draftMessage, type ConversionOptions } from './draft-message';
import type { TranscriptEntry } from './entry';
import { resolveDraft, type PendingFile } from './resolve-draft';

/** 8x8's limit on `history.messages`. */
export const MAX_HISTORY_MESSAGES = 200;
/** Default of {@link BuildHistoryOptions.maxAttachmentBytes}: 10 MiB. */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** Options of {@link buildHistory}. */
export interface BuildHistoryOptions extends ConversionOptions {
  /** Most messages, the note about left-out messages included; 1..200. Default 200. */
  maxMessages?: number;
  /** Largest file to forward, in bytes. Default 10 MiB. */
  maxAttachmentBytes?: number;
  /** Reads attachment bytes; see `createAttachmentFetcher`. Required. */
  fetchAttachment: AttachmentFetcher;
}

/** Result of {@link buildHistory}. */
export interface HistoryResult {
  messages: SendMessageRequest[];
  /** Files to upload after the conversation exists, in order. */
  files: PendingFile[];
  /** How many earlier messages were left out (also said in the first message). */
  omitted: number;
}

/** Resolves and checks the options once. */
export function resolveHistoryOptions(options: BuildHistoryOptions): Required<Omit<BuildHistoryOptions, 'redact' | 'maxCardBytes' | 'cardVersion'>> & BuildHistoryOptions {
  const maxMessages = options.maxMessages ?? MAX_HISTORY_MESSAGES;
  const maxAttachmentBytes = options.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  if (!Number.isInteger(maxMessages) || maxMessages < 1 || maxMessages > MAX_HISTORY_MESSAGES) {
    throw new ConfigurationError('history.maxMessages', `must be a whole number from 1 to ${MAX_HISTORY_MESSAGES}, got ${String(maxMessages)}`, '8x8 accepts at most 200 history messages; use e.g. 200');
  }
  if (!Number.isInteger(maxAttachmentBytes) || maxAttachmentBytes < 1) {
    throw new ConfigurationError('history.maxAttachmentBytes', `must be a positive whole number of bytes, got ${String(maxAttachmentBytes)}`, 'Use e.g. 10 * 1024 * 1024');
  }
  if (typeof options.fetchAttachment !== 'function') {
    throw new ConfigurationError('history.fetchAttachment', 'is missing', 'Pass createAttachmentFetcher({ maxBytes }) or your own fetcher');
  }
  return { ...options, maxMessages, maxAttachmentBytes };
}

/** The note that opens a shortened history. */
export function omittedNote(count: number): SendMessageRequest {
  return { authorType: 'bot', text: `[${count} earlier message${count === 1 ? ' was' : 's were'} left out of this history]` };
}

/**
 * Converts a transcript into at most `maxMessages` history messages. Keeps the latest; when any
 * were left out (here or earlier by the transcript bounds), the first message says how many.
 */
export async function buildHistory(entries: readonly TranscriptEntry[], options: BuildHistoryOptions): Promise<HistoryResult> {
  const opts = resolveHistoryOptions(options);
  const drafts = entries
    .map((e) => draftMessage(e, e.direction === 'in' ? 'user' : 'bot', opts))
    .filter((d): d is NonNullable<typeof d> => d !== undefined);
  const earlier = entries[0]?.omittedBefore ?? 0;
  // With room for one message only, the newest message matters more than the note.
  const withNote = (earlier > 0 || drafts.length > opts.maxMessages) && opts.maxMessages > 1;
  const keepCount = Math.min(drafts.length, withNote ? opts.maxMessages - 1 : opts.maxMessages);
  const omitted = earlier + drafts.length - keepCount;
  const messages: SendMessageRequest[] = withNote ? [omittedNote(omitted)] : [];
  const files: PendingFile[] = [];
  for (const draft of drafts.slice(drafts.length - keepCount)) {
    const resolved = await resolveDraft(draft, opts, messages.length);
    messages.push(resolved.message);
    files.push(...resolved.files);
  }
  return { messages, files, omitted };
}
