/**
 * Sends one Chat Gateway call through axios with the whole reliability envelope: circuit breaker,
 * headers, per-attempt timeout, total deadline, response cap, and axios-retry driven by the pure
 * policy in ./retry.
 */
import axios, { isAxiosError, type AxiosError, type AxiosInstance, type AxiosResponse, type Method } from 'axios';
import axiosRetry from 'axios-retry';
import { Readable } from 'node:stream';
import { createTrackingAgents, type TrackingAgents } from './agent';
import { CircuitBreaker, classifyOutcome, describeTransition, type BreakerPermit, type BreakerState, type CallOutcome } from './circuit-breaker';
import { headerString, toGatewayError } from './error-mapping';
import { ChatGatewayApiError, ChatGatewayNetworkError, ChatGatewayUnavailableError } from './errors';
import type { ResolvedGatewayOptions } from './options';
import { decideRetry } from './retry';
import { USER_AGENT } from './version';

/** One call, as the client methods describe it. */
export interface GatewayCall {
  method: Extract<Method, 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'>;
  /** Path below the base URL, ids already encoded. */
  path: string;
  /** Safe to send twice (GET/PUT/DELETE, PATCH): decides which failures are retried. */
  idempotent: boolean;
  /** A JSON body, or a FormData for uploads. */
  body?: unknown;
  query?: object;
  /** Send the api key. Default true; false for the public JWK. */
  auth?: boolean;
  /** `stream` for downloads; the body is then not capped by `maxResponseBytes`. */
  responseType?: 'json' | 'stream';
}

/**
 * The calls the breaker guards: the conversation API, which the handoff calls per user. Setup calls
 * (webhooks, channels) run once from a setup script, where 8x8's real answer (a 401 with its
 * referenceId) helps more than "unavailable"; the public JWK is unauthenticated and the webhook needs
 * it to verify events whatever state the conversation API is in.
 */
const GUARDED_PATH = /^\/chat-gateway\/v1\/conversations(?:\/|$)/;

/** State of one call across its attempts. */
interface CallState {
  startedAt: number;
  retries: number;
  deadlineHit: boolean;
}

/** The HTTP edge of {@link ChatGatewayClient}. */
export class GatewayHttp {
  private readonly axios: AxiosInstance;
  private readonly agents: TrackingAgents;
  private readonly breaker: CircuitBreaker | undefined;

  constructor(private readonly options: ResolvedGatewayOptions) {
    this.agents = createTrackingAgents(options.keepAlive);
    if (options.circuitBreaker !== false) this.breaker = new CircuitBreaker(options.circuitBreaker, options.now);
    this.axios = options.axiosInstance ?? axios.create();
    // Retries stay off unless a call passes its own policy (see `retryConfig`).
    axiosRetry(this.axios, { retries: 0 });
  }

  /** The circuit breaker's state, or `disabled` when `circuitBreaker: false`. */
  get breakerState(): BreakerState | 'disabled' {
    return this.breaker?.state ?? 'disabled';
  }

  /**
   * Sends the call; resolves with the 2xx response or rejects with a Chat Gateway error. A guarded
   * call is refused at once with {@link ChatGatewayUnavailableError} while the breaker is open; its
   * outcome is recorded once per logical call, after every retry.
   */
  async send<T>(call: GatewayCall): Promise<AxiosResponse<T>> {
    const { observer } = this.options;
    if (!observer?.gatewayCallFailed) return this.guarded<T>(call);
    // [observability] failed calls by status, after their retries.
    try {
      return await this.guarded<T>(call);
    } catch (error) {
      try {
        observer.gatewayCallFailed({ method: call.method, status: failureStatus(error) });
      } catch {
        // Watching must never change a call's outcome.
      }
      throw error;
    }
  }

  private async guarded<T>(call: GatewayCall): Promise<AxiosResponse<T>> {
    const breaker = call.auth !== false && GUARDED_PATH.test(call.path) ? this.breaker : undefined;
    if (!breaker) return this.exchange<T>(call);
    const admission = breaker.admit();
    if (!admission.admitted) throw new ChatGatewayUnavailableError(call, admission.retryAfterMs);
    try {
      const response = await this.exchange<T>(call);
      this.record(breaker, admission.permit, 'success');
      return response;
    } catch (error) {
      this.record(breaker, admission.permit, classifyOutcome(error), error);
      throw error;
    }
  }

  /** Closes pooled keep-alive sockets. */
  close(): void {
    this.agents.destroy();
  }

  /** Records a guarded call's outcome and logs the state change it caused (an alert line for 401/403). */
  private record(breaker: CircuitBreaker, permit: BreakerPermit, outcome: CallOutcome, error?: unknown): void {
    const transition = breaker.record(permit, outcome);
    if (!transition) return;
    const log = describeTransition(transition, breaker.settings, error);
    this.options.logger[log.level](log.context, log.message);
  }

  /** One logical call: every attempt and wait, up to the deadline. */
  private async exchange<T>(call: GatewayCall): Promise<AxiosResponse<T>> {
    const { clock, scheduler } = this.options;
    const state: CallState = { startedAt: clock(), retries: 0, deadlineHit: false };
    const controller = new AbortController();
    const deadline = scheduler.after(this.options.deadlineMs, () => {
      state.deadlineHit = true;
      controller.abort();
    });
    try {
      return await this.axios.request<T>({
        method: call.method,
        baseURL: this.options.baseUrl,
        url: call.path,
        params: call.query,
        data: call.body,
        headers: this.headers(call),
        responseType: call.responseType ?? 'json',
        timeout: this.options.timeoutMs,
        maxContentLength: call.responseType === 'stream' ? -1 : this.options.maxResponseBytes,
        maxRedirects: 0, // 8x8 does not redirect; following one could carry the api key elsewhere.
        httpAgent: this.agents.httpAgent,
        httpsAgent: this.agents.httpsAgent,
        signal: controller.signal,
        'axios-retry': this.retryConfig(call, state),
      });
    } catch (error) {
      await bufferStreamedErrorBody(error);
      throw toGatewayError(error, {
        method: call.method, path: call.path, deadlineHit: state.deadlineHit, now: clock(),
        deadlineMs: this.options.deadlineMs, maxResponseBytes: this.options.maxResponseBytes,
      });
    } finally {
      deadline.cancel();
    }
  }

  private headers(call: GatewayCall): Record<string, string> {
    const headers: Record<string, string> = {
      accept: call.responseType === 'stream' ? '*/*' : 'application/hal+json, application/json',
      'user-agent': USER_AGENT,
    };
    if (call.auth !== false) headers['x-api-key'] = this.options.apiKey;
    if (this.options.tenantId !== undefined) headers['X-8x8-Tenant'] = this.options.tenantId;
    if (call.body !== undefined && !(call.body instanceof FormData)) headers['content-type'] = 'application/json';
    return headers;
  }

  /**
   * The per-call axios-retry settings. The policy decides in `retryCondition`; the wait happens in
   * `onRetry` through the injectable `sleep` (by default a pause on the injected scheduler;
   * axios-retry's own timer cannot be injected), so `retryDelay` returns 0.
   */
  private retryConfig(call: GatewayCall, state: CallState) {
    const { retry, random, sleep, logger, deadlineMs, clock } = this.options;
    let delayMs = 0;
    return {
      retries: retry.retries,
      shouldResetTimeout: true, // timeoutMs is per attempt; the deadline bounds the total.
      retryCondition: (error: AxiosError) => {
        if (state.deadlineHit) return false;
        const now = clock();
        const decision = decideRetry(
          {
            status: error.response?.status,
            retryAfter: headerString(error.response?.headers?.['retry-after']),
            code: error.code,
            reachedServer: error.response !== undefined || this.agents.connected(error.request),
          },
          { idempotent: call.idempotent, n: state.retries, remainingMs: deadlineMs - (now - state.startedAt), now, random },
          retry,
        );
        if (!decision.retry) return false;
        delayMs = decision.delayMs;
        state.retries += 1;
        discardStream(error.response?.data);
        return true;
      },
      retryDelay: () => 0,
      onRetry: async (count: number, error: AxiosError) => {
        logger.warn(
          { method: call.method, path: call.path, attempt: count + 1, delayMs, status: error.response?.status, errno: error.code },
          'retrying 8x8 call',
        );
        await sleep(delayMs);
      },
    };
  }
}

/** A streamed error response (downloads) is read (capped) so the error can carry 8x8's body. */
async function bufferStreamedErrorBody(error: unknown): Promise<void> {
  if (!isAxiosError(error) || !(error.response?.data instanceof Readable)) return;
  const stream = error.response.data;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > 64 * 1024) break;
      chunks.push(chunk as Buffer);
    }
  } catch {
    // An unreadable error body still leaves status and path to report.
  }
  stream.destroy();
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    error.response.data = JSON.parse(text);
  } catch {
    error.response.data = text;
  }
}

function discardStream(data: unknown): void {
  if (data instanceof Readable) data.destroy();
}

/** A bounded label for a failed call: the HTTP status, the network failure kind, or `breaker_open`. */
function failureStatus(error: unknown): string {
  if (error instanceof ChatGatewayApiError) return String(error.status);
  if (error instanceof ChatGatewayUnavailableError) return 'breaker_open';
  if (error instanceof ChatGatewayNetworkError) return error.kind;
  return 'other';
}
