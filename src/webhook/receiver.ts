/**
 * {@link WebhookReceiver}: the framework-free core of the 8x8 webhook endpoint. It takes the raw
 * request (`headers`, exact body bytes) and answers `{ status, body }`; adapters only move bytes.
 */
import { parseGatewayEvent, type ConversationEvent } from './events';
import { readSignatureHeader, readWebhookMeta, type WebhookHeaders, type WebhookMeta } from './headers';
import { resolveReceiverOptions, type ResolvedReceiverOptions, type WebhookReceiverOptions } from './receiver-options';
import { isIdentityEncoding, isJsonContentType, isUnsignedVerifyPing } from './request-checks';
import { verifyWebhookSignature } from './verify';

/** One delivery as received: headers and the exact body bytes (never a re-serialised body). */
export interface WebhookRequest {
  headers: WebhookHeaders;
  rawBody: Uint8Array | string;
}

/** What to answer. `body` is small JSON: `{ ok: true, result }` or `{ ok: false, error }`. */
export interface WebhookResponse {
  status: number;
  body: { ok: boolean; result?: string; error?: string };
}

const ok = (result: 'processed' | 'duplicate' | 'unknown_event' | 'verified'): WebhookResponse => ({ status: 200, body: { ok: true, result } });
const refuse = (status: number, error: string): WebhookResponse => ({ status, body: { ok: false, error } });
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Verifies, parses, de-duplicates and dispatches 8x8 webhook deliveries. Status codes:
 * - 200: processed, duplicate, unknown `eventType` (reported to `onUnknownEvent`), `WEB_HOOK_VERIFY`;
 * - 401: missing or bad signature, checked before the body is parsed or the dedupe store is touched;
 * - 400: body not JSON, or not a valid event envelope; 413: body over `maxBodyBytes`;
 * - 415: a content type other than `application/json` / `application/*+json`, or a compressed body;
 * - 503: the key endpoint, the dedupe store or `onEvent` failed, so 8x8 should retry;
 * - 500: only for a bug in this class.
 *
 * Unsigned requests: a request with no `x-8x8-signature` whose body is exactly a
 * `WEB_HOOK_VERIFY` ping gets 200 with no side effect (8x8 does not say whether pings are
 * signed); every other unsigned request gets 401. A signed ping is verified like any event.
 *
 * `handle` never throws.
 */
export class WebhookReceiver {
  private readonly options: ResolvedReceiverOptions;
  // Same-process deliveries of one event wait for the first one instead of asking the store.
  private readonly inFlight = new Map<string, Promise<WebhookResponse>>();

  constructor(options: WebhookReceiverOptions) {
    this.options = resolveReceiverOptions(options);
    if (this.options.insecureSkipSignatureVerification) {
      this.options.logger.warn(
        { insecureSkipSignatureVerification: true },
        '8x8 webhook signatures are NOT verified: anyone can post events. Use this for local development only.',
      );
    }
  }

  /** The body limit adapters should enforce while reading. */
  get maxBodyBytes(): number {
    return this.options.maxBodyBytes;
  }

  /** Handles one delivery. Never throws. */
  async handle(request: WebhookRequest): Promise<WebhookResponse> {
    try {
      return await this.process(request);
    } catch (error) {
      this.report(error, undefined);
      return refuse(500, 'internal_error');
    }
  }

  private async process({ headers, rawBody }: WebhookRequest): Promise<WebhookResponse> {
    const bytes = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
    if (bytes.byteLength > this.options.maxBodyBytes) return refuse(413, 'payload_too_large');
    if (!isJsonContentType(headers) || !isIdentityEncoding(headers)) return refuse(415, 'unsupported_media_type');
    const auth = await this.authenticate(headers, bytes);
    if ('status' in auth) return auth;
    let json: unknown;
    try {
      json = JSON.parse(utf8.decode(bytes));
    } catch {
      return refuse(400, 'malformed_json');
    }
    const parsed = parseGatewayEvent(json);
    if (parsed.kind === 'invalid') {
      this.options.logger.warn({ eventId: auth.eventId, tenantId: auth.tenantId, reason: parsed.reason }, 'invalid 8x8 webhook event');
      return refuse(400, 'invalid_event');
    }
    if (parsed.kind === 'unknown') return this.reportUnknown(parsed.eventType, parsed.body, auth);
    if (parsed.event.eventType === 'WEB_HOOK_VERIFY') return ok('verified');
    return this.dispatchOnce(parsed.event, auth);
  }

  private async authenticate(headers: WebhookHeaders, rawBody: Uint8Array): Promise<WebhookMeta | WebhookResponse> {
    if (readSignatureHeader(headers) === undefined && isUnsignedVerifyPing(rawBody)) return ok('verified');
    if (this.options.insecureSkipSignatureVerification) {
      const read = readWebhookMeta(headers);
      return read.ok ? read.meta : refuse(401, read.reason);
    }
    const { keySource, clock, toleranceMs, logger } = this.options;
    const result = await verifyWebhookSignature({ headers, rawBody }, { keySource, clock, toleranceMs });
    if (result.ok) return result.meta;
    const eventId = readWebhookMeta(headers);
    const context = { reason: result.reason, detail: result.detail, eventId: eventId.ok ? eventId.meta.eventId : undefined };
    if (result.reason === 'key_unavailable') {
      logger.warn(context, '8x8 webhook key unavailable; answering 503 so 8x8 retries');
      return refuse(503, result.reason);
    }
    logger.warn(context, '8x8 webhook rejected: signature check failed');
    return refuse(401, result.reason);
  }

  private async reportUnknown(eventType: string, body: Record<string, unknown>, meta: WebhookMeta): Promise<WebhookResponse> {
    this.options.logger.info({ eventType, eventId: meta.eventId, tenantId: meta.tenantId }, 'unknown 8x8 webhook event type');
    try {
      await this.options.onUnknownEvent?.(eventType, body, meta);
    } catch (error) {
      this.report(error, meta);
    }
    return ok('unknown_event');
  }

  private async dispatchOnce(event: ConversationEvent, meta: WebhookMeta): Promise<WebhookResponse> {
    const key = `${meta.tenantId}:${meta.eventId}`;
    const running = this.inFlight.get(key);
    if (running) {
      const first = await running;
      return first.status === 200 ? ok('duplicate') : first;
    }
    const attempt = this.dispatch(key, event, meta).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, attempt);
    return attempt;
  }

  private async dispatch(key: string, event: ConversationEvent, meta: WebhookMeta): Promise<WebhookResponse> {
    const { dedupe, dedupeLeaseMs, dedupeTtlMs, onEvent, logger } = this.options;
    let claim: Awaited<ReturnType<typeof dedupe.claim>>;
    try {
      claim = await dedupe.claim(key, dedupeLeaseMs);
    } catch (error) {
      this.report(error, meta);
      return refuse(503, 'dedupe_unavailable');
    }
    if (claim === 'duplicate') return ok('duplicate');
    if (claim === 'busy') return refuse(503, 'in_progress');
    try {
      await onEvent(event, meta);
    } catch (error) {
      this.report(error, meta);
      await dedupe.release(key).catch((releaseError: unknown) => this.report(releaseError, meta));
      return refuse(503, 'event_handler_failed');
    }
    // The event is recorded; a failed `complete` only risks a duplicate later, so still 200.
    await dedupe.complete(key, dedupeTtlMs).catch((error: unknown) => this.report(error, meta));
    logger.debug({ eventType: event.eventType, eventId: meta.eventId, tenantId: meta.tenantId, retry: meta.retry }, '8x8 webhook event dispatched');
    return ok('processed');
  }

  private report(error: unknown, meta: WebhookMeta | undefined): void {
    try {
      this.options.onError(error, meta);
    } catch {
      // A failing error hook must not turn a handled error into a crash of the HTTP edge.
    }
  }
}
