/**
 * Declarative handoff configuration and routing.
 */
export { loadHandoffConfig, HandoffConfigError } from './load-handoff-config';
export { handoffConfigSchema } from './schema';
export { routeEscalation, ruleMatches } from './routing';
export type { HandoffConfig } from './load-handoff-config';
export type { HandoffConfigInput } from './schema';
export type { ConfigProblem } from './config-issues';
export type { RoutingRule, RoutingCondition, RouteDecision, RouteDefaults } from './routing';
