/**
 * The escalation contract: a trigger looks at a turn and may ask for a handoff by returning an
 * {@link EscalationRequest}. Triggers are pure readers of the turn; the middleware acts on them.
 */
import type { Activity, TurnContext } from 'botbuilder';

/** Why and where to hand a conversation over. */
export interface EscalationRequest {
  /** `keyword`, `pattern`, `intent`, `handoff.initiate`, `fallback`, `explicit` or a custom name. */
  trigger: string;
  /** Readable, e.g. `keyword "agent"` or `intent Escalate (0.91)`. */
  reason: string;
  /** The queue the trigger chose, if any; it wins over routing defaults. */
  queueId?: string;
  /** Becomes 8x8 `user.additionalProperties` (string values only). */
  properties?: Record<string, string>;
  /** 8x8 routing language (e.g. `fr`), when the trigger knows it. */
  language?: string;
  /** Activities from a `handoff.initiate` `Transcript` attachment. */
  transcript?: Array<Partial<Activity>>;
  /** Evidence for routing: the keyword or phrase that matched (as configured). */
  keyword?: string;
  /** Evidence for routing: the source of the regular expression that matched. */
  pattern?: string;
  /** Evidence for routing: the intent that fired (or the turn's top intent, when known). */
  intent?: { name: string; score: number };
  /** Evidence for routing: the user's utterance of this turn, when it was a message. */
  text?: string;
  /** Evidence for routing: the activity's locale (e.g. `fr-FR`). */
  locale?: string;
}

/** What a trigger may return: a request, nothing, or a promise of either. */
export type TriggerResult = Promise<EscalationRequest | undefined> | EscalationRequest | undefined;

/** Turn facts the middleware passes to {@link EscalationTrigger.afterTurn}. */
export interface AfterTurnInfo {
  /** How many turns in a row (this one included) the bot flagged as fallback. */
  consecutiveFallbacks: number;
}

/** One way of noticing that the user needs a person. Every hook is optional. */
export interface EscalationTrigger {
  /** A short name for logs and telemetry. */
  readonly name: string;
  /** The user's incoming activity, before the bot runs. */
  beforeTurn?(context: TurnContext): TriggerResult;
  /** After the bot ran: turnState (RecognizerResult) and the fallback streak are available. */
  afterTurn?(context: TurnContext, info: AfterTurnInfo): TriggerResult;
  /** An activity the bot sends (`handoff.initiate`); returning a request consumes the activity. */
  onSend?(context: TurnContext, activity: Partial<Activity>): EscalationRequest | undefined;
}

/** Options every built-in trigger accepts. */
export interface TriggerOptions {
  /** Queue to route to when this trigger fires. Default: none (routing rules or the default queue decide). */
  queueId?: string;
  /** Extra 8x8 `additionalProperties` added when this trigger fires. Default: none. */
  properties?: Record<string, string>;
  /** Overrides the trigger's `name`. Default: the trigger type (`keywords`, `pattern`, ...). */
  name?: string;
}
