/**
 * Attachment helpers: the multipart body of an upload and the parts of a download response.
 */
import type { Readable } from 'node:stream';
import type { ExternalAuthorType } from './types';

/** A file to upload to a conversation. */
export interface UploadAttachmentInput {
  /** The file's bytes. */
  data: Buffer | Uint8Array;
  /** The name the agent sees. */
  filename: string;
  /** MIME type; default `application/octet-stream`. */
  contentType?: string;
  /** Who uploads it. */
  authorType: ExternalAuthorType;
}

/** A downloaded attachment: the body as a stream plus what the headers said. */
export interface DownloadedAttachment {
  stream: Readable;
  contentType: string;
  filename?: string;
  contentLength?: number;
}

/** Builds the `multipart/form-data` body 8x8 expects: parts `attachment` (the file) and `authorType`. */
export function uploadForm(input: UploadAttachmentInput): FormData {
  const form = new FormData();
  // Copy into a fresh ArrayBuffer-backed view: Blob needs one, and the caller's buffer stays untouched.
  const bytes = new Uint8Array(input.data.byteLength);
  bytes.set(input.data);
  form.append('attachment', new Blob([bytes], { type: input.contentType ?? 'application/octet-stream' }), input.filename);
  form.append('authorType', input.authorType);
  return form;
}

/**
 * Reads the file name from a `Content-Disposition` header (RFC 6266): `filename*` (RFC 5987,
 * percent-encoded with a charset) wins over `filename`. Returns undefined when neither is present.
 */
export function parseContentDisposition(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[2]!.trim().replace(/^"|"$/g, ''));
    } catch {
      // A malformed percent-encoding: fall back to the plain parameter.
    }
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
  if (quoted) return quoted[1]!.replace(/\\(.)/g, '$1');
  const plain = /filename\s*=\s*([^;\s]+)/i.exec(header);
  return plain ? plain[1] : undefined;
}
