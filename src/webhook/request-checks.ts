/**
 * Cheap checks on a delivery that need no key and no storage: content type, encoding, and the
 * one unsigned request the receiver accepts (see {@link isUnsignedVerifyPing}).
 */
import { headerValue, type WebhookHeaders } from './headers';

/**
 * True for `application/json` and `application/*+json` (any parameters, e.g. charset).
 * A missing content type is accepted: the body is parsed as JSON either way and the signature,
 * not the label, is what protects it.
 */
export function isJsonContentType(headers: WebhookHeaders): boolean {
  const value = headerValue(headers, 'content-type');
  if (value === undefined) return true;
  if (Array.isArray(value)) return false;
  const mediaType = (value as string).split(';', 1)[0]!.trim().toLowerCase();
  return mediaType === 'application/json' || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(mediaType);
}

/** True unless the body is declared compressed: 8x8 signs the bytes it sends, uncompressed. */
export function isIdentityEncoding(headers: WebhookHeaders): boolean {
  const value = headerValue(headers, 'content-encoding');
  return value === undefined || (typeof value === 'string' && ['', 'identity'].includes(value.trim().toLowerCase()));
}

/** Largest body {@link isUnsignedVerifyPing} will parse; the real ping is about 70 bytes. */
export const MAX_UNSIGNED_PING_BYTES = 256;

/**
 * Whether an UNSIGNED body is exactly a `WEB_HOOK_VERIFY` ping:
 * `{"eventType":"WEB_HOOK_VERIFY"}` plus at most a string `notificationVersion`, nothing else.
 *
 * 8x8 does not say whether its verification pings are signed (REFERENCE.md 7.12), and the ping
 * must get a 2xx or the webhook cannot be registered. Answering such a body with 200 reveals
 * nothing and has no side effect, so it is safe; any other unsigned body is refused with 401.
 * The size cap keeps this one pre-signature JSON.parse cheap.
 */
export function isUnsignedVerifyPing(rawBody: Uint8Array): boolean {
  if (rawBody.byteLength > MAX_UNSIGNED_PING_BYTES) return false;
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(rawBody).toString('utf8'));
  } catch {
    return false;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const record = body as Record<string, unknown>;
  const keys = Object.keys(record);
  return (
    record.eventType === 'WEB_HOOK_VERIFY' &&
    keys.every((key) => key === 'eventType' || (key === 'notificationVersion' && typeof record[key] === 'string'))
  );
}
