/**
 * Errors of attachment downloads. Both are expected outcomes (the user sees a text line instead
 * of the file), kept apart so callers can say "too big" rather than "failed".
 */
import { HandoffError } from '../errors';

/** The file is larger than the configured limit. */
export class AttachmentTooLargeError extends HandoffError {
  /** The limit in bytes. */
  readonly limit: number;
  /** The size in bytes when known (from a data URI or `content-length`); otherwise only "more than limit". */
  readonly size?: number;

  constructor(limit: number, size?: number) {
    super('E_ATTACHMENT_TOO_LARGE', size === undefined ? `attachment is larger than ${limit} bytes` : `attachment is ${size} bytes, over the ${limit}-byte limit`);
    this.limit = limit;
    if (size !== undefined) this.size = size;
  }
}

/** The file could not be read: bad URL, unsupported scheme, HTTP error, timeout or network failure. */
export class AttachmentFetchError extends HandoffError {
  /** The HTTP status when the server answered with an error. */
  readonly status?: number;

  constructor(message: string, options?: { status?: number; cause?: unknown }) {
    super('E_ATTACHMENT_FETCH', message, { cause: options?.cause });
    if (options?.status !== undefined) this.status = options.status;
  }
}
