/** Observability: the observer interface and its Prometheus, logging and telemetry implementations. */
export { combineObservers, type GatewayCallFailure, type HandoffCorrelation, type HandoffEnding, type HandoffObserver } from './observer';
export { createHandoffMetrics, METRIC_NAMES, type HandoffMetrics, type HandoffMetricsOptions } from './prometheus';
export { loggingObserver } from './logging';
export { telemetryObserver } from './telemetry';
export { RecordWatcher, endingReason } from './record-changes';
