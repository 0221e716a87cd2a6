/**
 * `data:` URI decoding with a size limit checked before decoding. Pure.
 */
import { AttachmentFetchError, AttachmentTooLargeError } from './attachment-errors';

/** The decoded size of a data URI's payload in bytes, computed without decoding. */
export function dataUriSize(uri: string): number {
  const comma = uri.indexOf(',');
  const payload = uri.slice(comma + 1);
  const base64 = uri.slice(0, Math.max(comma, 0)).split(';').includes('base64');
  // Decoded base64 is 3/4 of its alphabet characters (padding excluded).
  return base64 ? Math.floor((payload.replace(/[^A-Za-z0-9+/_-]/g, '').length * 3) / 4) : payload.length;
}

/** Decodes `data:[<mediatype>][;base64],<data>`; throws when malformed or over `maxBytes`. */
export function decodeDataUri(uri: string, maxBytes: number): { data: Buffer; mediaType?: string } {
  const comma = uri.indexOf(',');
  if (!uri.startsWith('data:') || comma < 0) throw new AttachmentFetchError('malformed data URI');
  const meta = uri.slice(5, comma).split(';');
  const payload = uri.slice(comma + 1);
  const base64 = meta.includes('base64');
  const mediaType = meta[0] && meta[0].includes('/') ? meta[0].toLowerCase() : undefined;
  // Refuse before allocating.
  const estimate = dataUriSize(uri);
  if (estimate > maxBytes) throw new AttachmentTooLargeError(maxBytes, estimate);
  let data: Buffer;
  try {
    data = base64 ? Buffer.from(payload, 'base64') : Buffer.from(decodeURIComponent(payload), 'utf8');
  } catch (err) {
    throw new AttachmentFetchError('malformed data URI', { cause: err });
  }
  if (data.length > maxBytes) throw new AttachmentTooLargeError(maxBytes, data.length);
  return mediaType ? { data, mediaType } : { data };
}
