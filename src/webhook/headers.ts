/**
 * Reading the 8x8 delivery headers. Untrusted strings become typed fields here, once, so the
 * verifier and the receiver never parse a header twice or disagree about what it said.
 */
import { WEBHOOK_HEADERS } from './signature';

/** Incoming HTTP headers as Node and most frameworks expose them (names in any case). */
export type WebhookHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** What the five unsigned-but-signed-over headers say about one delivery attempt. */
export interface WebhookMeta {
  /** `x-8x8-tenant-id`. */
  tenantId: string;
  /** `x-8x8-customer-id`. */
  customerId: string;
  /** `x-8x8-event-id`: the same on every retry of one event; the dedupe key with the tenant. */
  eventId: string;
  /** `x-8x8-retry`: 0 on the first attempt. */
  retry: number;
  /** `x-8x8-transmission-time`: epoch ms of this attempt (changes on every retry). */
  transmissionTime: number;
}

/** Result of {@link readWebhookMeta}. */
export type ReadMetaResult =
  | { ok: true; meta: WebhookMeta }
  | { ok: false; reason: 'missing_header' | 'malformed_header'; header: string };

// Digits only, no sign, no leading zeros: anything else cannot be the integer 8x8 signed.
const INTEGER = /^(0|[1-9][0-9]{0,15})$/;

/**
 * Looks up one header by its lower-case name, tolerating frameworks that keep the sender's
 * casing. A header sent twice (an array) is treated as malformed, never silently picked.
 */
export function headerValue(headers: WebhookHeaders, name: string): string | string[] | undefined {
  const direct = headers[name];
  if (direct !== undefined) return typeof direct === 'string' ? direct : [...direct];
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === name) {
      const value = headers[key];
      return typeof value === 'string' || value === undefined ? value : [...value];
    }
  }
  return undefined;
}

function single(headers: WebhookHeaders, name: string): string | undefined | null {
  const value = headerValue(headers, name);
  if (Array.isArray(value)) return value.length === 1 ? value[0]! : null;
  return value;
}

/** Parses the five `x-8x8-*` headers other than the signature; `retry` and `tt` must be integers. */
export function readWebhookMeta(headers: WebhookHeaders): ReadMetaResult {
  const strings: Partial<Record<keyof typeof WEBHOOK_HEADERS, string>> = {};
  for (const field of ['tenantId', 'customerId', 'eventId', 'retry', 'transmissionTime'] as const) {
    const name = WEBHOOK_HEADERS[field];
    const value = single(headers, name);
    if (value === null) return { ok: false, reason: 'malformed_header', header: name };
    if (value === undefined || value.length === 0) return { ok: false, reason: 'missing_header', header: name };
    strings[field] = value;
  }
  const retry = strings.retry!.trim();
  const tt = strings.transmissionTime!.trim();
  if (!INTEGER.test(retry) || !Number.isSafeInteger(Number(retry))) {
    return { ok: false, reason: 'malformed_header', header: WEBHOOK_HEADERS.retry };
  }
  if (!INTEGER.test(tt) || !Number.isSafeInteger(Number(tt))) {
    return { ok: false, reason: 'malformed_header', header: WEBHOOK_HEADERS.transmissionTime };
  }
  return {
    ok: true,
    meta: {
      tenantId: strings.tenantId!,
      customerId: strings.customerId!,
      eventId: strings.eventId!,
      retry: Number(retry),
      transmissionTime: Number(tt),
    },
  };
}

/** The signature header's single value, `null` when sent twice, `undefined` when absent or empty. */
export function readSignatureHeader(headers: WebhookHeaders): string | undefined | null {
  const value = single(headers, WEBHOOK_HEADERS.signature);
  return value === '' ? undefined : value;
}
