/**
 * Options of {@link WebhookReceiver}, and the one place their defaults are resolved and checked.
 */
import { ConfigurationError } from '../errors';
import { createDefaultLogger, type Logger } from '../logger';
import { MemoryDedupeStore, type DedupeStore } from './dedupe';
import type { ConversationEvent } from './events';
import type { WebhookMeta } from './headers';
import { HttpJwkSource } from './http-jwk-source';
import type { JwkSource } from './jwk-source';

/** Options of {@link WebhookReceiver}. */
export interface WebhookReceiverOptions {
  /**
   * Called once per event (after verification and de-duplication) and awaited before the
   * answer: record the event durably here and relay asynchronously. A rejection answers 503 so
   * 8x8 retries, and the retry is processed. Required.
   */
  onEvent: (event: ConversationEvent, meta: WebhookMeta) => Promise<void>;
  /** Called for a verified event whose `eventType` this package does not know; it still gets 200. */
  onUnknownEvent?: (eventType: string, body: Record<string, unknown>, meta: WebhookMeta) => void | Promise<void>;
  /** Where errors of `onEvent`, `onUnknownEvent` and the dedupe store are reported. Default: logger.error. */
  onError?: (error: unknown, meta: WebhookMeta | undefined) => void;
  /** Host of 8x8's key endpoint, used when no `keySource` is given. Default `https://api.8x8.com`. */
  baseUrl?: string;
  /** Where verification keys come from. Default `new HttpJwkSource({ baseUrl })`. */
  keySource?: JwkSource;
  /** Allowed clock distance of `x-8x8-transmission-time`. Default 300 000 (±5 min). */
  toleranceMs?: number;
  /** Largest accepted body; larger gets 413. Default 1 048 576 (1 MiB). */
  maxBodyBytes?: number;
  /** Seen-event store. Default `new MemoryDedupeStore({ ttlMs: dedupeTtlMs, clock })` (one instance only). */
  dedupe?: DedupeStore;
  /** How long a processed event id is remembered. Default 86 400 000 (24 h). */
  dedupeTtlMs?: number;
  /**
   * How long a delivery may hold an event's claim while `onEvent` runs; meanwhile a retry of the
   * same event is refused (503, so 8x8 retries again). Default 10 000. Recording an event takes a
   * few storage calls, so this only matters when the instance holding the claim died: its claim
   * must lapse within 8x8's retries (their count and pauses are undocumented, REFERENCE 11), or
   * the event would be lost. A handler that outlives it is harmless: the handoff record ignores
   * an event it already applied (its key is in the record).
   */
  dedupeLeaseMs?: number;
  /** Default: the package's pino logger. */
  logger?: Logger;
  /** Epoch-ms clock. Default `Date.now`. */
  clock?: () => number;
  /**
   * LOCAL DEVELOPMENT ONLY: accept deliveries without checking the signature (the other headers
   * are still required). Logs a warning at construction. Default false.
   */
  insecureSkipSignatureVerification?: boolean;
}

/** Options with every default applied. */
export type ResolvedReceiverOptions = Required<Omit<WebhookReceiverOptions, 'onUnknownEvent' | 'baseUrl'>> &
  Pick<WebhookReceiverOptions, 'onUnknownEvent'>;

function positive(name: string, value: number, integer = false): number {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new ConfigurationError(name, `must be a positive ${integer ? 'integer' : 'number'}, got ${String(value)}`, `Pass a valid ${name} or leave it out for the default.`);
  }
  return value;
}

function optionalFunction(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new ConfigurationError(name, `must be a function, got ${typeof value}`, `Pass a function or leave ${name} out.`);
  }
}

/** Applies defaults and rejects bad values with a {@link ConfigurationError}. */
export function resolveReceiverOptions(options: WebhookReceiverOptions): ResolvedReceiverOptions {
  if (typeof options?.onEvent !== 'function') {
    throw new ConfigurationError('onEvent', 'is required', 'Pass onEvent: async (event, meta) => { ... } that records the event.');
  }
  optionalFunction('onUnknownEvent', options.onUnknownEvent);
  optionalFunction('onError', options.onError);
  optionalFunction('clock', options.clock);
  const clock = options.clock ?? Date.now;
  const logger = options.logger ?? createDefaultLogger('botbuilder-8x8-handoff:webhook');
  const dedupeTtlMs = positive('dedupeTtlMs', options.dedupeTtlMs ?? 24 * 60 * 60 * 1000);
  return {
    onEvent: options.onEvent,
    onUnknownEvent: options.onUnknownEvent,
    onError: options.onError ?? ((error, meta) => logger.error({ err: error, eventId: meta?.eventId, tenantId: meta?.tenantId }, 'webhook event handling failed')),
    keySource: options.keySource ?? new HttpJwkSource({ baseUrl: options.baseUrl, clock }),
    toleranceMs: positive('toleranceMs', options.toleranceMs ?? 300_000),
    maxBodyBytes: positive('maxBodyBytes', options.maxBodyBytes ?? 1024 * 1024, true),
    dedupe: options.dedupe ?? new MemoryDedupeStore({ ttlMs: dedupeTtlMs, clock }),
    dedupeTtlMs,
    dedupeLeaseMs: positive('dedupeLeaseMs', options.dedupeLeaseMs ?? 10_000),
    logger,
    clock,
    insecureSkipSignatureVerification: options.insecureSkipSignatureVerification === true,
  };
}
