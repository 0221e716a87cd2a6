/**
 * The Chat Gateway error family. "8x8 answered with an error" ({@link ChatGatewayApiError}) is kept
 * apart from "8x8 could not be reached" ({@link ChatGatewayNetworkError}). None of these errors holds
 * the axios error, its config or request headers, so the API key cannot leak through them.
 */
import { HandoffError } from '../errors';

/** One normalised entry of an 8x8 error body's `errors`. */
export interface GatewayErrorDetail {
  code?: string;
  message: string;
}

/** Where a failed call went. */
export interface GatewayCallInfo {
  method: string;
  /** The request path, e.g. `/chat-gateway/v1/conversations/abc/messages` (no host, no query). */
  path: string;
}

/** The API answered with a non-2xx status. Code `E_8X8_API`. */
export class ChatGatewayApiError extends HandoffError {
  /** HTTP status. */
  readonly status: number;
  /** HTTP method of the call. */
  readonly method: string;
  /** Request path of the call. */
  readonly path: string;
  /** 8x8's `referenceId`, when the body carries one; quote it to 8x8 support. */
  readonly referenceId?: string;
  /** The body's `errors`, normalised from 8x8's three shapes (REFERENCE.md 3.1). */
  readonly errors: GatewayErrorDetail[];
  /** The raw response body as parsed (object, string or undefined). */
  readonly body: unknown;

  constructor(status: number, call: GatewayCallInfo, body: unknown, code: 'E_8X8_API' | 'E_8X8_THROTTLED' = 'E_8X8_API') {
    const summary = bodyMessage(body) ?? `HTTP ${status}`;
    super(code, `8x8 ${call.method} ${call.path} failed with ${status}: ${summary}`);
    this.status = status;
    this.method = call.method;
    this.path = call.path;
    this.body = body;
    this.errors = normaliseErrorDetails(body);
    const ref = isRecord(body) ? body.referenceId : undefined;
    if (typeof ref === 'string') this.referenceId = ref;
  }

  /** A log-safe plain view. */
  toJSON(): Record<string, unknown> {
    const { name, code, message, status, method, path, referenceId, errors } = this;
    return { name, code, message, status, method, path, referenceId, errors };
  }
}

/**
 * 8x8 throttled the call (429, or 503 with `Retry-After`) and retrying was not possible: the wait
 * exceeded `retry.maxRetryAfterMs`, the deadline, or the retry budget. Code `E_8X8_THROTTLED`.
 */
export class ChatGatewayThrottledError extends ChatGatewayApiError {
  /** The wait 8x8 asked for, in milliseconds, when it sent a readable `Retry-After`. */
  readonly retryAfterMs?: number;

  constructor(status: number, call: GatewayCallInfo, body: unknown, retryAfterMs: number | undefined) {
    super(status, call, body, 'E_8X8_THROTTLED');
    if (retryAfterMs !== undefined) this.retryAfterMs = retryAfterMs;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfterMs: this.retryAfterMs };
  }
}

/** Why 8x8 could not be reached. */
export type GatewayNetworkErrorKind = 'timeout' | 'refused' | 'reset' | 'dns' | 'deadline' | 'other';

/** No usable HTTP answer: timeout, refused, reset, DNS, total deadline, or other. Code `E_8X8_NETWORK`. */
export class ChatGatewayNetworkError extends HandoffError {
  /** The failure class. */
  readonly kind: GatewayNetworkErrorKind;
  /** HTTP method of the call. */
  readonly method: string;
  /** Request path of the call. */
  readonly path: string;
  /** The low-level error code, e.g. `ECONNRESET`, when there was one. */
  readonly errno?: string;

  constructor(kind: GatewayNetworkErrorKind, call: GatewayCallInfo, detail: string, errno?: string) {
    super('E_8X8_NETWORK', `8x8 ${call.method} ${call.path} failed (${kind}): ${detail}`);
    this.kind = kind;
    this.method = call.method;
    this.path = call.path;
    if (errno !== undefined) this.errno = errno;
  }

  /** A log-safe plain view. */
  toJSON(): Record<string, unknown> {
    const { name, code, message, kind, method, path, errno } = this;
    return { name, code, message, kind, method, path, errno };
  }
}

/**
 * The call was not sent: the circuit breaker is open after repeated failures or a rejected api key
 * (RELIABILITY.md O5), so it failed at once instead of waiting on 8x8. Code `E_8X8_UNAVAILABLE`.
 */
export class ChatGatewayUnavailableError extends HandoffError {
  /** Time until the breaker lets its next probe through, in ms (0 while a probe is in flight). */
  readonly retryAfterMs: number;
  /** HTTP method of the refused call. */
  readonly method: string;
  /** Request path of the refused call. */
  readonly path: string;

  constructor(call: GatewayCallInfo, retryAfterMs: number) {
    super('E_8X8_UNAVAILABLE', `8x8 ${call.method} ${call.path} not sent: the circuit breaker is open after repeated failures (next probe in ${retryAfterMs} ms)`);
    this.retryAfterMs = retryAfterMs;
    this.method = call.method;
    this.path = call.path;
  }

  /** A log-safe plain view. */
  toJSON(): Record<string, unknown> {
    const { name, code, message, method, path, retryAfterMs } = this;
    return { name, code, message, method, path, retryAfterMs };
  }
}

/**
 * Normalises 8x8's `errors` field: an array of objects, an array of strings, or a single object
 * (400 on send message). The legacy 401 shape `{ message, code }` without `errors` is folded in too.
 */
export function normaliseErrorDetails(body: unknown): GatewayErrorDetail[] {
  if (!isRecord(body)) return typeof body === 'string' && body !== '' ? [{ message: body }] : [];
  const raw = body.errors;
  if (Array.isArray(raw)) return raw.map(toDetail);
  if (raw !== undefined && raw !== null) return [toDetail(raw)];
  if (typeof body.code === 'string') return [{ code: body.code, message: bodyMessage(body) ?? body.code }];
  return [];
}

function toDetail(item: unknown): GatewayErrorDetail {
  if (typeof item === 'string') return { message: item };
  if (isRecord(item)) {
    const message = typeof item.message === 'string' ? item.message : JSON.stringify(item);
    return typeof item.code === 'string' ? { code: item.code, message } : { message };
  }
  return { message: String(item) };
}

function bodyMessage(body: unknown): string | undefined {
  if (isRecord(body) && typeof body.message === 'string' && body.message !== '') return body.message;
  if (typeof body === 'string' && body !== '') return body.slice(0, 200);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
