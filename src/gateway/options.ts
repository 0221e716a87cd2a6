/**
 * Options of {@link ChatGatewayClient}: the one options object, its defaults (resolved here and
 * nowhere else) and its validation, which throws {@link ConfigurationError} at construction.
 */
import type { AxiosInstance } from 'axios';
import { ConfigurationError } from '../errors';
import { createDefaultLogger, type Logger } from '../logger';
import type { CircuitBreakerSettings } from './circuit-breaker';
import type { HandoffObserver } from '../observability/observer';
import { realScheduler, sleep as sleepOn, type Clock, type Scheduler } from '../time';

/** Retry and backoff settings (RELIABILITY.md O2-O4). */
export interface ChatGatewayRetryOptions {
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** Full-jitter base delay in ms: retry n waits up to `baseDelayMs * 2^n`. Default 500. */
  baseDelayMs?: number;
  /** Upper bound of a backoff delay in ms. Default 8_000. */
  maxDelayMs?: number;
  /** Longest `Retry-After` honoured, in ms; a longer one fails fast as throttled. Default 60_000. */
  maxRetryAfterMs?: number;
}

/**
 * Circuit breaker settings (RELIABILITY.md O5). It opens when at least `failureRatio` of at least
 * `minimumCalls` conversation calls in the last `windowMs` failed (or at once on 401/403), refuses
 * calls for `openMs`, then lets one probe through.
 */
export interface ChatGatewayCircuitBreakerOptions {
  /** Rolling window of outcomes, in ms. Default 10_000. */
  windowMs?: number;
  /** Calls the window must hold before it can open. Default 20. */
  minimumCalls?: number;
  /** Failure ratio that opens it, in `(0, 1]`. Default 0.5. */
  failureRatio?: number;
  /** Time open before a half-open probe, in ms. Default 30_000. */
  openMs?: number;
}

/** Options of {@link ChatGatewayClient}. */
export interface ChatGatewayClientOptions {
  /** The 8x8 API key with the "Chat Gateway" product; sent as `x-api-key`. Required. */
  apiKey: string;
  /** Absolute http(s) base URL. Default `https://api.8x8.com`; a trailing slash is tolerated. */
  baseUrl?: string;
  /** Sent as `X-8x8-Tenant`; required by 8x8 when the organisation has several CC tenants. */
  tenantId?: string;
  /** Timeout of each attempt in ms. Default 10_000. */
  timeoutMs?: number;
  /** Total time of a call including every retry and wait, in ms. Default 30_000. */
  deadlineMs?: number;
  /** Retry and backoff settings. */
  retry?: ChatGatewayRetryOptions;
  /** Largest JSON response accepted, in bytes (axios `maxContentLength`). Default 10 MiB. */
  maxResponseBytes?: number;
  /** Reuse connections through a keep-alive agent. Default true. */
  keepAlive?: boolean;
  /**
   * An axios instance to send through instead of a new one. The client installs axios-retry's
   * interceptors on it (with no retries unless a call asks for them); pass one without axios-retry.
   */
  axiosInstance?: AxiosInstance;
  /** Where retries and failures are logged. Default: the package's pino logger (secrets redacted). */
  logger?: Logger;
  /** Source of randomness for backoff jitter, in `[0, 1)`. Default `Math.random`; inject in tests. */
  random?: () => number;
  /**
   * Epoch-ms clock: when a call started (its total deadline) and what `Retry-After` HTTP-dates are
   * measured against. Also the breaker's clock when `now` is not given. Default `Date.now`; tests
   * pass a fake one (with `scheduler`) so retries and deadlines run without real waits.
   */
  clock?: Clock;
  /**
   * Runs the waits between retries (unless `sleep` is given) and the per-call total deadline.
   * Default `realScheduler` (`setTimeout`). The per-attempt `timeoutMs` stays axios's own timer on
   * the socket: it measures real I/O.
   */
  scheduler?: Scheduler;
  /**
   * Waits between retries. Default a pause on `scheduler`. Kept for callers that only want to
   * record or shorten the waits; prefer `scheduler`.
   */
  sleep?: (ms: number) => Promise<void>;
  /**
   * The circuit breaker in front of the conversation calls, or `false` to turn it off. Default on,
   * with the defaults of {@link ChatGatewayCircuitBreakerOptions}.
   */
  circuitBreaker?: false | ChatGatewayCircuitBreakerOptions;
  /**
   * Clock in ms for the circuit breaker, on any monotonic scale. Default `clock` when that is given
   * (one fake clock drives everything in tests), else `performance.now` (immune to wall-clock jumps).
   */
  now?: () => number;
  /** Told about every failed call, after its retries (e.g. `createHandoffMetrics().observer`). Default none. */
  observer?: Pick<HandoffObserver, 'gatewayCallFailed'>;
}

/** Every option with its default applied. */
export interface ResolvedGatewayOptions {
  apiKey: string;
  baseUrl: string;
  tenantId: string | undefined;
  timeoutMs: number;
  deadlineMs: number;
  retry: Required<ChatGatewayRetryOptions>;
  maxResponseBytes: number;
  keepAlive: boolean;
  axiosInstance: AxiosInstance | undefined;
  logger: Logger;
  random: () => number;
  clock: Clock;
  scheduler: Scheduler;
  sleep: (ms: number) => Promise<void>;
  circuitBreaker: CircuitBreakerSettings | false;
  observer?: Pick<HandoffObserver, 'gatewayCallFailed'>;
  now: () => number;
}

/** Default base URL of the Chat Gateway. */
export const DEFAULT_BASE_URL = 'https://api.8x8.com';

/** Applies defaults and validates; throws {@link ConfigurationError} naming the bad option. */
export function resolveGatewayOptions(options: ChatGatewayClientOptions): ResolvedGatewayOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigurationError('options', 'is missing', 'Pass `{ apiKey: process.env.EIGHTX8_API_KEY }` at least');
  }
  const retry = options.retry ?? {};
  const clock = fn('clock', options.clock ?? Date.now);
  const scheduler = schedulerOption(options.scheduler ?? realScheduler);
  return {
    apiKey: headerValue('apiKey', options.apiKey, true)!,
    baseUrl: baseUrl(options.baseUrl ?? DEFAULT_BASE_URL),
    tenantId: headerValue('tenantId', options.tenantId, false),
    timeoutMs: count('timeoutMs', options.timeoutMs ?? 10_000, 1),
    deadlineMs: count('deadlineMs', options.deadlineMs ?? 30_000, 1),
    retry: {
      retries: count('retry.retries', retry.retries ?? 3, 0, 20),
      baseDelayMs: count('retry.baseDelayMs', retry.baseDelayMs ?? 500, 0),
      maxDelayMs: count('retry.maxDelayMs', retry.maxDelayMs ?? 8_000, 0),
      maxRetryAfterMs: count('retry.maxRetryAfterMs', retry.maxRetryAfterMs ?? 60_000, 0),
    },
    maxResponseBytes: count('maxResponseBytes', options.maxResponseBytes ?? 10 * 1024 * 1024, 1),
    keepAlive: flag('keepAlive', options.keepAlive ?? true),
    axiosInstance: options.axiosInstance,
    logger: options.logger ?? createDefaultLogger('botbuilder-8x8-handoff:gateway'),
    random: fn('random', options.random ?? Math.random),
    clock,
    scheduler,
    sleep: fn('sleep', options.sleep ?? ((ms: number) => sleepOn(scheduler, ms))),
    circuitBreaker: circuitBreaker(options.circuitBreaker ?? {}),
    now: fn('now', options.now ?? (options.clock ? clock : () => performance.now())),
    observer: options.observer,
  };
}

function schedulerOption(value: unknown): Scheduler {
  if (typeof value !== 'object' || value === null || typeof (value as Scheduler).after !== 'function') {
    throw new ConfigurationError('scheduler', 'must be an object with an `after(delayMs, task)` method', 'Pass a Scheduler (e.g. a fake one in tests) or leave it out for real timers');
  }
  return value as Scheduler;
}

function circuitBreaker(value: unknown): CircuitBreakerSettings | false {
  if (value === false) return false;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigurationError('circuitBreaker', 'must be false or an object', 'Pass `false` to turn the breaker off, or `{ windowMs, minimumCalls, failureRatio, openMs }`');
  }
  const cb = value as ChatGatewayCircuitBreakerOptions;
  const failureRatio = cb.failureRatio ?? 0.5;
  if (typeof failureRatio !== 'number' || !(failureRatio > 0 && failureRatio <= 1)) {
    throw new ConfigurationError('circuitBreaker.failureRatio', `must be a number above 0 and at most 1 (got ${String(failureRatio)})`, 'Set it to e.g. 0.5 (half the calls) or leave it out');
  }
  return {
    windowMs: count('circuitBreaker.windowMs', cb.windowMs ?? 10_000, 1),
    minimumCalls: count('circuitBreaker.minimumCalls', cb.minimumCalls ?? 20, 1),
    failureRatio,
    openMs: count('circuitBreaker.openMs', cb.openMs ?? 30_000, 1),
  };
}

function headerValue(option: string, value: unknown, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigurationError(option, 'must be a non-empty string', `Set \`${option}\` from your 8x8 Admin Console (e.g. an environment variable)`);
  }
  // Header values travel verbatim; control characters would corrupt or split the request.
  if (!/^[\x20-\x7e]+$/.test(value) || value !== value.trim()) {
    throw new ConfigurationError(option, 'contains whitespace at the ends or non-printable characters', `Copy \`${option}\` again without spaces or line breaks`);
  }
  return value;
}

function baseUrl(value: unknown): string {
  const fix = 'Use an absolute URL such as `https://api.8x8.com` (or the emulator\'s `http://127.0.0.1:3979`)';
  if (typeof value !== 'string') throw new ConfigurationError('baseUrl', 'must be a string', fix);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError('baseUrl', `is not an absolute URL (${JSON.stringify(value)})`, fix);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError('baseUrl', `has protocol ${url.protocol}; only http and https are supported`, fix);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigurationError('baseUrl', 'must not carry a query, fragment or credentials', fix);
  }
  return url.toString().replace(/\/+$/, '');
}

function count(option: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
    throw new ConfigurationError(option, `must be ${range} (got ${String(value)})`, `Set \`${option}\` to ${range} or leave it out for the default`);
  }
  return value;
}

function flag(option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ConfigurationError(option, 'must be a boolean', `Set \`${option}\` to true or false`);
  return value;
}

function fn<T>(option: string, value: T): T {
  if (typeof value !== 'function') throw new ConfigurationError(option, 'must be a function', `Pass a function as \`${option}\` or leave it out`);
  return value;
}
