/**
 * Prometheus metrics for the handoff (prom-client). `createHandoffMetrics()` returns an observer to
 * pass as the middleware's `observer` and a registry to serve on `/metrics`:
 *
 * ```ts
 * const metrics = createHandoffMetrics();
 * const gateway = new ChatGatewayClient({ apiKey, observer: metrics.observer });
 * metrics.watchBreaker(gateway);
 * const handoff = new HandoffMiddleware({ ..., observer: metrics.observer });
 * app.get('/metrics', metrics.handler());
 * ```
 */
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HandoffObserver } from './observer';

/** The metric names, for dashboards and alerts (all prefixed with `prefix`, default `handoff_`). */
export const METRIC_NAMES = {
  started: 'started_total',
  failed: 'failed_total',
  completed: 'completed_total',
  queueWait: 'queue_wait_seconds',
  timeToAgent: 'time_to_agent_seconds',
  webhook: 'webhook_responses_total',
  relayLatency: 'relay_latency_seconds',
  gatewayErrors: 'gateway_errors_total',
  breaker: 'gateway_breaker_state',
  outbox: 'outbox_depth',
} as const;

/** Options of {@link createHandoffMetrics}. */
export interface HandoffMetricsOptions {
  /** Where the metrics are registered. Default a new `Registry`. */
  registry?: Registry;
  /** Metric name prefix. Default `handoff_`. */
  prefix?: string;
  /** The Chat Gateway client whose circuit breaker `gateway_breaker_state` reports. */
  gateway?: { breakerState: string };
  /** Also collect prom-client's process metrics (CPU, memory, event loop lag). Default true. */
  processMetrics?: boolean;
}

/** The metrics, an observer that feeds them and an express handler that serves them. */
export interface HandoffMetrics {
  registry: Registry;
  observer: HandoffObserver;
  /** `app.get('/metrics', metrics.handler())`. */
  handler(): RequestHandler;
  /** Reports this client's circuit breaker in `gateway_breaker_state` (when it was created after the metrics). */
  watchBreaker(gateway: { breakerState: string }): void;
}

const BREAKER_STATES = ['closed', 'half-open', 'open', 'disabled'];

/** Creates the handoff metrics. */
export function createHandoffMetrics(options: HandoffMetricsOptions = {}): HandoffMetrics {
  const registry = options.registry ?? new Registry();
  const p = options.prefix ?? 'handoff_';
  const registers = [registry];
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: p });
  const started = new Counter({ name: p + METRIC_NAMES.started, help: 'Handoffs started (escalations recorded)', labelNames: ['trigger'], registers });
  const failed = new Counter({ name: p + METRIC_NAMES.failed, help: 'Handoffs that failed, by reason', labelNames: ['reason'], registers });
  const completed = new Counter({ name: p + METRIC_NAMES.completed, help: 'Handoffs that completed, by reason', labelNames: ['reason'], registers });
  const queueWait = new Histogram({
    name: p + METRIC_NAMES.queueWait, help: 'From 8x8 queueing the conversation to an agent joining', registers,
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600],
  });
  const timeToAgent = new Histogram({
    name: p + METRIC_NAMES.timeToAgent, help: 'From the escalation to the first agent joining', registers,
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600],
  });
  const webhook = new Counter({ name: p + METRIC_NAMES.webhook, help: '8x8 webhook responses, by HTTP status', labelNames: ['status'], registers });
  const relayLatency = new Histogram({
    name: p + METRIC_NAMES.relayLatency, help: 'From an agent message or notice being recorded to it leaving the outbox (sent or dropped)', registers,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  });
  const gatewayErrors = new Counter({ name: p + METRIC_NAMES.gatewayErrors, help: 'Failed 8x8 Chat Gateway calls (after retries), by status', labelNames: ['method', 'status'], registers });
  const depths = new Map<string, number>();
  let breakerSource = options.gateway;
  new Gauge({
    name: p + METRIC_NAMES.outbox, help: 'Items waiting in outboxes (conversations this instance last wrote)', registers,
    collect() {
      let total = 0;
      for (const depth of depths.values()) total += depth;
      this.set(total);
    },
  });
  new Gauge({
    name: p + METRIC_NAMES.breaker, help: '8x8 circuit breaker: 1 for the current state', labelNames: ['state'], registers,
    collect() {
      const current = breakerSource?.breakerState ?? 'disabled';
      for (const state of BREAKER_STATES) this.set({ state }, state === current ? 1 : 0);
    },
  });

  const observer: HandoffObserver = {
    handoffStarted: (e) => started.inc({ trigger: e.trigger ?? 'unknown' }),
    handoffFailed: (e) => failed.inc({ reason: e.reason }),
    handoffCompleted: (e) => completed.inc({ reason: e.reason }),
    agentJoined: (e) => {
      if (e.timeToAgentMs !== undefined) timeToAgent.observe(e.timeToAgentMs / 1000);
      if (e.queueWaitMs !== undefined) queueWait.observe(e.queueWaitMs / 1000);
    },
    relayed: (e) => relayLatency.observe(e.latencyMs / 1000),
    outboxDepth: (e) => {
      if (e.depth === 0) depths.delete(e.botConversation);
      else depths.set(e.botConversation, e.depth);
    },
    webhookResult: (e) => webhook.inc({ status: String(e.status) }),
    gatewayCallFailed: (e) => gatewayErrors.inc({ method: e.method, status: e.status }),
  };

  return {
    registry,
    observer,
    watchBreaker: (gateway) => {
      breakerSource = gateway;
    },
    handler: () => async (_req, res) => {
      res.type(registry.contentType).send(await registry.metrics());
    },
  };
}
