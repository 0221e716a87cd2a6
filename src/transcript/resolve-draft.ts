/**
 * The second, effectful half of the conversion: fetch each file of a draft, keep the bytes for
 * upload and describe every file in the text (name, type, size), or say why it was left out.
 */
import type { SendMessageRequest } from '../gateway/types';
import { AttachmentTooLargeError } from './attachment-errors';
import type { AttachmentFetcher } from './attachment-fetcher';
import { formatBytes, guessContentType, isMimeType } from './content-type';
import type { ConversionOptions, MessageDraft } from './draft-message';
import type { TranscriptAttachment } from './entry';

/** A file to upload to the 8x8 conversation and post after the message at `historyIndex`. */
export interface PendingFile {
  filename: string;
  contentType: string;
  data: Buffer;
  /** Index of the message (in `history.messages`, or 0 for a live message) that describes the file. */
  historyIndex: number;
}

/** What {@link resolveDraft} needs beyond the conversion options. */
export interface ResolveOptions extends ConversionOptions {
  fetchAttachment: AttachmentFetcher;
  maxAttachmentBytes: number;
}

function describe(a: TranscriptAttachment, size?: number): string {
  const type = isMimeType(a.contentType) ? a.contentType : guessContentType(a.name);
  return [a.name ?? 'unnamed', type, size !== undefined ? formatBytes(size) : undefined].filter(Boolean).join(', ');
}

async function resolveFile(a: TranscriptAttachment, options: ResolveOptions, historyIndex: number): Promise<{ line: string; file?: PendingFile }> {
  if (a.dropped && a.contentUrl === undefined) return { line: `[Attachment not kept in the transcript: ${describe(a, a.size)}]` };
  try {
    const fetched = await options.fetchAttachment(a);
    if (fetched.data.length > options.maxAttachmentBytes) throw new AttachmentTooLargeError(options.maxAttachmentBytes, fetched.data.length);
    const file: PendingFile = { filename: fetched.filename, contentType: fetched.contentType, data: fetched.data, historyIndex };
    return { line: `[Attachment: ${describe({ name: fetched.filename, contentType: fetched.contentType }, fetched.data.length)}]`, file };
  } catch (err) {
    if (err instanceof AttachmentTooLargeError) {
      const size = err.size !== undefined ? formatBytes(err.size) : `over ${formatBytes(err.limit)}`;
      return { line: `[Attachment not forwarded: ${describe(a)}, ${size} (the limit is ${formatBytes(options.maxAttachmentBytes)})]` };
    }
    return { line: `[Attachment not forwarded: ${describe(a)} (could not be downloaded)]` };
  }
}

/** Fetches a draft's files in order and builds the final message (text always set, redacted). */
export async function resolveDraft(draft: MessageDraft, options: ResolveOptions, historyIndex: number): Promise<{ message: SendMessageRequest; files: PendingFile[] }> {
  const lines = [...draft.lines];
  const files: PendingFile[] = [];
  for (const a of draft.files) {
    const { line, file } = await resolveFile(a, options, historyIndex);
    lines.push(line);
    if (file) files.push(file);
  }
  const redact = options.redact ?? ((s: string) => s);
  // 8x8 requires text on every message; a draft always has at least one line by now.
  const text = redact(lines.join('\n')) || ' ';
  const message: SendMessageRequest = { authorType: draft.authorType, text };
  if (draft.cards.length > 0) message.cards = draft.cards;
  return { message, files };
}
