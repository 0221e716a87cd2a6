/**
 * What a failed proactive send means, and who retries it (RELIABILITY O7, O8 and the "Bot
 * Framework send" row of the retry table).
 *
 * botbuilder's connector client (`@azure/core-rest-pipeline` under `botframework-connector`)
 * already retries 408, 5xx and network errors (3 retries, exponential) and a 429 or 503 that
 * carries `Retry-After` (or `retry-after-ms`, `x-ms-retry-after-ms`). When it finally throws, it
 * throws a `RestError` with `statusCode` and `response.status`. So:
 * - `throttled`: a 429 without a retry header, which botbuilder does not retry: ours to retry,
 *   full jitter (base 1 s, cap 30 s), at most 5 tries;
 * - `permanent`: any other 4xx (400, 401/403 from a wrong app id, 404 when the bot was removed
 *   from the conversation): no retry can help, drop the item at once;
 * - `transient`: everything else (5xx, 408, network errors, a 429 botbuilder already waited
 *   out, errors with no status): botbuilder already retried, so no timer of ours; the item waits
 *   for the conversation's next drain (next event or turn), at most 3 tries.
 */
import { HandoffError } from '../errors';

/** How a failed send is handled; see the module comment. */
export type SendFailureKind = 'throttled' | 'permanent' | 'transient';

/** A classified send failure. */
export interface SendFailure {
  kind: SendFailureKind;
  /** The connector's HTTP status, when it answered. */
  status?: number;
}

/** Tries per outbox item, by the kind of its latest failure. */
export const SEND_TRIES: Readonly<Record<SendFailureKind, number>> = Object.freeze({ throttled: 5, permanent: 1, transient: 3 });

/** Full jitter for a throttled item: uniform in `[0, min(30 s, 1 s * 2^(tries - 1))]`. */
export function throttledRetryDelayMs(tries: number, random: () => number = Math.random): number {
  return random() * Math.min(30_000, 1_000 * 2 ** Math.max(0, tries - 1));
}

/** The HTTP status of a botbuilder connector error (`statusCode`, else `response.status`). */
export function sendFailureStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { statusCode, response } = error as { statusCode?: unknown; response?: { status?: unknown } };
  const status = typeof statusCode === 'number' ? statusCode : response?.status;
  return typeof status === 'number' && Number.isInteger(status) ? status : undefined;
}

/** Sorts a send error into the three kinds above. */
export function classifySendFailure(error: unknown): SendFailure {
  const status = sendFailureStatus(error);
  if (status === undefined) return { kind: 'transient' };
  if (status === 429) return { kind: hasRetryAfter(error) ? 'transient' : 'throttled', status };
  if (status >= 400 && status < 500 && status !== 408) return { kind: 'permanent', status };
  return { kind: 'transient', status };
}

/** The retry headers botbuilder's throttling policy honours. */
const RETRY_HEADERS = ['retry-after', 'retry-after-ms', 'x-ms-retry-after-ms'];

function hasRetryAfter(error: unknown): boolean {
  const headers = (error as { response?: { headers?: unknown } }).response?.headers;
  if (typeof headers !== 'object' || headers === null) return false;
  const get = (headers as { get?: unknown }).get;
  const read = (name: string): unknown =>
    typeof get === 'function' ? (get as (n: string) => unknown).call(headers, name) : (headers as Record<string, unknown>)[name];
  return RETRY_HEADERS.some((name) => {
    const value = read(name);
    return value !== undefined && value !== null && value !== '';
  });
}

/**
 * Reported to `onError` (`where: 'relay'`) when an outbox item is dropped: at once for a
 * permanent failure, else after its last try. `cause` is the last send error.
 */
export class RelayDroppedError extends HandoffError {
  /** The connector's HTTP status of the last failure, when it answered. */
  readonly status?: number;
  /** Why it was dropped: the kind of the last failure. */
  readonly failure: SendFailureKind;
  /** Tries made, the last included. */
  readonly tries: number;

  constructor(failure: SendFailure, tries: number, cause: unknown) {
    const said = failure.status === undefined ? 'failed' : `answered ${failure.status}`;
    const why = failure.kind === 'permanent' ? 'a failure no retry can fix' : `the last of ${tries} tries`;
    super('E_RELAY_DROPPED', `Dropped an outbox item of the conversation: the Bot Framework send ${said} (${why}).`, { cause });
    this.status = failure.status;
    this.failure = failure.kind;
    this.tries = tries;
  }
}
