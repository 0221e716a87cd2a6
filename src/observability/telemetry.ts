/**
 * Handoff events for botbuilder's `BotTelemetryClient`, so Application Insights users see them
 * beside their bot's own events (`trackEvent`, names prefixed `Handoff`). Properties are ids,
 * reasons and states; durations go in `metrics`. No message text.
 */
import type { BotTelemetryClient } from 'botbuilder';
import type { HandoffObserver } from './observer';

type Props = Record<string, string | number | undefined>;

function split(e: Props): { properties: Record<string, string>; metrics: Record<string, number> } {
  const properties: Record<string, string> = {};
  const metrics: Record<string, number> = {};
  for (const [key, value] of Object.entries(e)) {
    if (typeof value === 'number') metrics[key] = value;
    else if (typeof value === 'string') properties[key] = value;
  }
  return { properties, metrics };
}

/** An observer that sends handoff events to a `BotTelemetryClient` (e.g. botbuilder-applicationinsights). */
export function telemetryObserver(client: Pick<BotTelemetryClient, 'trackEvent'>): HandoffObserver {
  const track = (name: string, e: object) => client.trackEvent({ name, ...split(e as Props) });
  return {
    handoffStarted: (e) => track('HandoffStarted', e),
    handoffQueued: (e) => track('HandoffQueued', e),
    agentJoined: (e) => track('HandoffAgentJoined', e),
    handoffCompleted: (e) => track('HandoffCompleted', e),
    handoffFailed: (e) => track('HandoffFailed', e),
    gatewayCallFailed: (e) => track('HandoffGatewayCallFailed', e),
  };
}
