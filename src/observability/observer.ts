/**
 * What operators watch: the few points where the handoff core reports what happened, as one
 * narrow interface. Implementations: Prometheus metrics (prometheus.ts), structured log lines
 * (logging.ts) and botbuilder's `BotTelemetryClient` (telemetry.ts). Every method is optional and
 * must not throw (the core swallows what it throws anyway: watching never breaks a turn).
 */

/** The ids that tie one handoff's lines, metrics and events together. */
export interface HandoffCorrelation {
  /** The bot conversation's record key (`<ns>/conversation/<channelId>/<conversationId>`). */
  botConversation: string;
  /** The handoff's id (a new one per escalation). */
  handoffId?: string;
  /** The 8x8 conversation, once the create call answered. */
  gatewayConversation?: string;
}

/** How a handoff ended. */
export interface HandoffEnding extends HandoffCorrelation {
  /**
   * A short, bounded reason: `agent_left`, `user_ended`, `conversation_lost`, `create_failed`,
   * `breaker_open`, ... (never free text: it becomes a metric label).
   */
  reason: string;
  /** From the escalation to the end, when this instance saw both. */
  durationMs?: number;
}

/** A Chat Gateway call that failed. */
export interface GatewayCallFailure {
  /** HTTP method of the call. */
  method: string;
  /** The HTTP status, or `network`, `timeout`, `breaker_open`. */
  status: string;
}

/** The observation points. */
export interface HandoffObserver {
  /** An escalation was recorded (the conversation left the bot). */
  handoffStarted?(e: HandoffCorrelation & { queueId?: string; trigger?: string }): void;
  /** 8x8 queued the conversation. `queueWaitMs` starts here. */
  handoffQueued?(e: HandoffCorrelation): void;
  /** An agent joined; times are from the escalation and from `queued`, when this instance saw them. */
  agentJoined?(e: HandoffCorrelation & { timeToAgentMs?: number; queueWaitMs?: number }): void;
  /** The handoff failed (the bot is back in charge). */
  handoffFailed?(e: HandoffEnding): void;
  /** The handoff completed normally. */
  handoffCompleted?(e: HandoffEnding): void;
  /** One outbox item left the outbox (delivered or dropped) `latencyMs` after it was recorded. */
  relayed?(e: HandoffCorrelation & { latencyMs: number }): void;
  /** Items waiting in one conversation's outbox after a write. */
  outboxDepth?(e: HandoffCorrelation & { depth: number }): void;
  /** The webhook answered with this HTTP status. */
  webhookResult?(e: { status: number }): void;
  /** A Chat Gateway call failed (after its retries). */
  gatewayCallFailed?(e: GatewayCallFailure): void;
}

type Method = keyof HandoffObserver;
const METHODS: Method[] = ['handoffStarted', 'handoffQueued', 'agentJoined', 'handoffFailed', 'handoffCompleted', 'relayed', 'outboxDepth', 'webhookResult', 'gatewayCallFailed'];

/** One observer that calls each of `observers` in turn; what one throws does not stop the others. */
export function combineObservers(...observers: Array<HandoffObserver | undefined>): HandoffObserver {
  const present = observers.filter((o): o is HandoffObserver => o !== undefined);
  const combined: HandoffObserver = {};
  for (const method of METHODS) {
    const targets = present.filter((o) => typeof o[method] === 'function');
    if (targets.length === 0) continue;
    (combined as Record<Method, (e: unknown) => void>)[method] = (e: unknown) => {
      for (const target of targets) {
        try {
          (target[method] as (e: unknown) => void).call(target, e);
        } catch {
          // Watching must never break the work being watched.
        }
      }
    };
  }
  return combined;
}
