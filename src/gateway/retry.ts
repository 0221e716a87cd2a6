/**
 * The retry policy for 8x8 calls, as pure functions (RELIABILITY.md O2, O3, O4). No I/O and no
 * clock of its own: callers pass `now`, `random` and the facts about the failed attempt, so every
 * rule here is testable without a network.
 */

/** What a failed attempt looked like, reduced to the facts the policy needs. */
export interface FailedAttempt {
  /** HTTP status when the server answered; undefined when no response arrived. */
  status?: number;
  /** The `Retry-After` header of the response, if any. */
  retryAfter?: string;
  /** Node/axios error code when no response arrived (e.g. `ECONNRESET`). */
  code?: string;
  /**
   * False only when the request provably never reached the server (the socket never connected).
   * A non-idempotent call may be retried only then.
   */
  reachedServer: boolean;
}

/** Backoff and throttling settings (all in milliseconds). */
export interface BackoffSettings {
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

/** The policy's answer for one failed attempt. */
export type RetryDecision =
  | { retry: true; delayMs: number }
  | { retry: false; reason: 'not-retryable' | 'throttled-too-long' | 'deadline' };

/** Error codes of transport failures that happened before any byte could reach 8x8. */
const CONNECT_PHASE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** Transport failures worth retrying on an idempotent call. Anything else (cancel, size cap) is final. */
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE',
  'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/**
 * Full-jitter backoff: a delay drawn uniformly from `[0, min(maxDelayMs, baseDelayMs * 2^n)]`,
 * `n` being the zero-based retry index. `random` returns a number in `[0, 1)`.
 */
export function fullJitterDelay(n: number, random: () => number, base: number, max: number): number {
  // Cap the exponent: 2^53 already exceeds any sane max, and base * Infinity would be NaN for base 0.
  const ceiling = Math.min(max, base * 2 ** Math.min(Math.max(n, 0), 53));
  return Math.floor(random() * ceiling);
}

/**
 * Parses `Retry-After` in both forms (RFC 9110): delay-seconds or an HTTP-date. Returns the wait in
 * milliseconds (never negative), or undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP-date always names the weekday or month; V8 would otherwise accept "-5" as a year.
  const at = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * Whether the failure may be retried at all, ignoring timing. Idempotent calls retry on network
 * errors, 408, 429 and 5xx. Non-idempotent POSTs retry only when the request never reached 8x8, or
 * on 429/503 (8x8 refused it before processing), so a message is never posted twice.
 */
export function isRetryable(attempt: FailedAttempt, idempotent: boolean): boolean {
  const { status } = attempt;
  if (status !== undefined) {
    if (status === 429 || status === 503) return true;
    return idempotent && (status === 408 || status >= 500);
  }
  const code = attempt.code ?? '';
  if (!RETRYABLE_NETWORK_CODES.has(code)) return false;
  if (idempotent) return true;
  return CONNECT_PHASE_CODES.has(code) || !attempt.reachedServer;
}

/**
 * Decides whether and when to retry. `n` is the zero-based index of the retry being considered;
 * `remainingMs` is what is left of the call's total deadline.
 */
export function decideRetry(
  attempt: FailedAttempt,
  ctx: { idempotent: boolean; n: number; remainingMs: number; now: number; random: () => number },
  settings: BackoffSettings,
): RetryDecision {
  if (!isRetryable(attempt, ctx.idempotent)) return { retry: false, reason: 'not-retryable' };
  const retryAfterMs = attempt.status !== undefined ? parseRetryAfter(attempt.retryAfter, ctx.now) : undefined;
  if (retryAfterMs !== undefined && retryAfterMs > settings.maxRetryAfterMs) {
    return { retry: false, reason: 'throttled-too-long' };
  }
  const delayMs = retryAfterMs ?? fullJitterDelay(ctx.n, ctx.random, settings.baseDelayMs, settings.maxDelayMs);
  // Waiting past the deadline only to be cut off is pointless: fail now with the real cause.
  if (delayMs >= ctx.remainingMs) return { retry: false, reason: 'deadline' };
  return { retry: true, delayMs };
}
