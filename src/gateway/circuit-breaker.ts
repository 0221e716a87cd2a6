/**
 * The 8x8 circuit breaker (RELIABILITY.md O5) as a pure state machine with an injected clock:
 * closed → open → half-open → closed. No timers and no I/O: the state is derived from the clock
 * when asked, and the HTTP edge (./request) admits calls, records outcomes and logs transitions.
 */
import { ChatGatewayApiError } from './errors';

/** Where the breaker stands. `half-open` lets one probe call through at a time. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** The breaker's rule, every field resolved (see `ChatGatewayCircuitBreakerOptions` for defaults). */
export interface CircuitBreakerSettings {
  /** Length of the rolling window of outcomes, in ms. */
  windowMs: number;
  /** Calls the window must hold before the failure ratio is judged. */
  minimumCalls: number;
  /** Failures / calls at or above which the breaker opens, in `(0, 1]`. */
  failureRatio: number;
  /** How long the breaker stays open before it lets a probe through, in ms. */
  openMs: number;
}

/**
 * How one logical call ended. `success`: 8x8 answered as designed (2xx, or a 4xx the request
 * caused). `failure`: 8x8 is unhealthy. `config-error`: 8x8 refused our credentials (opens at once).
 */
export type CallOutcome = 'success' | 'failure' | 'config-error';

/** A ticket for one admitted call; hand it back to {@link CircuitBreaker.record} exactly once. */
export interface BreakerPermit {
  /** Which open period the call belongs to: outcomes of calls admitted before the last opening are stale. */
  readonly generation: number;
  /** This call is the half-open probe. */
  readonly probe: boolean;
}

/** The answer of {@link CircuitBreaker.admit}. */
export type BreakerAdmission =
  | { admitted: true; permit: BreakerPermit }
  /** `retryAfterMs`: time until the next probe may go out; 0 while a probe is in flight. */
  | { admitted: false; retryAfterMs: number };

/** Why the state changed. */
export type BreakerTransitionReason = 'failure-ratio' | 'config-error' | 'probe-failed' | 'probe-succeeded';

/** A state change caused by a recorded outcome; `calls`/`failures` describe the window just before it. */
export interface BreakerTransition {
  from: BreakerState;
  to: 'open' | 'closed';
  reason: BreakerTransitionReason;
  calls: number;
  failures: number;
}

/** Closed → open when the window's failure ratio is reached; open → half-open after `openMs`; one probe decides. */
export class CircuitBreaker {
  private opened = false;
  private openedAt = 0;
  private generation = 0;
  private probeInFlight = false;
  /** Outcomes in arrival order; entries before `head` have left the window. */
  private entries: { at: number; failed: boolean }[] = [];
  private head = 0;
  private failures = 0;

  /** `settings` is the rule; `now` a clock in ms on any monotonic scale (e.g. `performance.now`). */
  constructor(readonly settings: Readonly<CircuitBreakerSettings>, private readonly now: () => number) {}

  /** The current state; `open` turns into `half-open` by itself once `openMs` has passed. */
  get state(): BreakerState {
    if (!this.opened) return 'closed';
    return this.now() >= this.openedAt + this.settings.openMs ? 'half-open' : 'open';
  }

  /** Lets a call through (closed, or the single half-open probe) or refuses it with the wait until the next probe. */
  admit(): BreakerAdmission {
    const state = this.state;
    if (state === 'closed') return { admitted: true, permit: { generation: this.generation, probe: false } };
    if (state === 'half-open' && !this.probeInFlight) {
      this.probeInFlight = true;
      return { admitted: true, permit: { generation: this.generation, probe: true } };
    }
    return { admitted: false, retryAfterMs: Math.max(0, this.openedAt + this.settings.openMs - this.now()) };
  }

  /** Records how an admitted call ended; returns the transition it caused, if any. */
  record(permit: BreakerPermit, outcome: CallOutcome): BreakerTransition | undefined {
    if (permit.probe) this.probeInFlight = false;
    const from = this.state;
    // Rejected credentials stay wrong however old the call: always (re)open.
    if (outcome === 'config-error') return this.open(from, 'config-error');
    // A call admitted before the breaker last opened says nothing about 8x8 now.
    if (permit.generation !== this.generation) return undefined;
    if (permit.probe) return outcome === 'success' ? this.close(from) : this.open(from, 'probe-failed');
    this.prune();
    this.entries.push({ at: this.now(), failed: outcome === 'failure' });
    if (outcome === 'failure') this.failures += 1;
    const calls = this.entries.length - this.head;
    if (calls >= this.settings.minimumCalls && this.failures / calls >= this.settings.failureRatio) {
      return this.open(from, 'failure-ratio');
    }
    return undefined;
  }

  private open(from: BreakerState, reason: BreakerTransitionReason): BreakerTransition {
    const transition = this.transition(from, 'open', reason);
    this.opened = true;
    this.openedAt = this.now();
    this.generation += 1;
    return transition;
  }

  private close(from: BreakerState): BreakerTransition {
    const transition = this.transition(from, 'closed', 'probe-succeeded');
    this.opened = false;
    return transition;
  }

  /** Builds the transition from the window as it was, then starts a fresh window. */
  private transition(from: BreakerState, to: 'open' | 'closed', reason: BreakerTransitionReason): BreakerTransition {
    this.prune();
    const transition = { from, to, reason, calls: this.entries.length - this.head, failures: this.failures };
    this.entries = [];
    this.head = 0;
    this.failures = 0;
    return transition;
  }

  /** Drops outcomes older than `windowMs`; compacts now and then so memory follows the window. */
  private prune(): void {
    const oldest = this.now() - this.settings.windowMs;
    while (this.head < this.entries.length && this.entries[this.head].at <= oldest) {
      if (this.entries[this.head].failed) this.failures -= 1;
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}

/**
 * Classifies the error of one logical call (after the client's own retries). Network errors,
 * timeouts, the deadline, 408, 429 and 5xx are failures; 401/403 are a configuration error; any
 * other 4xx (400, 404, 409, 422...) was caused by the request, so 8x8 itself is healthy.
 */
export function classifyOutcome(error: unknown): CallOutcome {
  if (!(error instanceof ChatGatewayApiError)) return 'failure';
  const { status } = error;
  if (status === 401 || status === 403) return 'config-error';
  const requestCaused = status >= 400 && status < 500 && status !== 408 && status !== 429;
  return requestCaused ? 'success' : 'failure';
}

/** A log line for a transition: level, log-safe context and message (never the api key). */
export interface BreakerTransitionLog {
  level: 'error' | 'warn' | 'info';
  context: Record<string, unknown>;
  message: string;
}

const CONFIG_HINT: Record<number, string> = {
  401: 'the api key is wrong, revoked or lacks the "Chat Gateway" product: check `apiKey` in the 8x8 Admin Console',
  403: 'the api key may not act for this tenant: check `tenantId` (X-8x8-Tenant) and that the key has the "Chat Gateway" product',
};

/** Describes a transition for the logs; `error` is the call's error when there was one. */
export function describeTransition(t: BreakerTransition, settings: CircuitBreakerSettings, error?: unknown): BreakerTransitionLog {
  const api = error instanceof ChatGatewayApiError ? error : undefined;
  const context = { breaker: t.to, reason: t.reason, openMs: settings.openMs, status: api?.status, path: api?.path, referenceId: api?.referenceId };
  if (t.reason === 'config-error') {
    const hint = CONFIG_HINT[api?.status ?? 401] ?? CONFIG_HINT[401];
    return { level: 'error', context, message: `8x8 rejected the credentials (${api?.status ?? '401/403'}): ${hint}. Circuit breaker open for ${settings.openMs} ms` };
  }
  if (t.reason === 'failure-ratio') {
    const detail = `${t.failures} of ${t.calls} calls failed in the last ${settings.windowMs} ms`;
    return { level: 'warn', context: { ...context, calls: t.calls, failures: t.failures }, message: `8x8 circuit breaker opened: ${detail}; calls fail fast for ${settings.openMs} ms` };
  }
  if (t.reason === 'probe-failed') {
    return { level: 'warn', context, message: `8x8 circuit breaker probe failed; open for another ${settings.openMs} ms` };
  }
  return { level: 'info', context, message: '8x8 circuit breaker closed: the probe call succeeded' };
}
