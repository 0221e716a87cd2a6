/**
 * `handoff.initiate` trigger: the bot (or its host) asks for a person with the standard
 * Bot Framework handoff event.
 */
import { HandoffEventNames, type Activity, type TurnContext } from 'botbuilder';
import { readHandoffContext, readTranscriptAttachment } from './handoff-context';
import { buildRequest, checkTriggerOptions } from './request';
import type { EscalationRequest, EscalationTrigger, TriggerOptions } from './types';

/** Options of {@link handoffInitiate}. */
export interface HandoffInitiateOptions extends TriggerOptions {
  /** Also react to an incoming `handoff.initiate` event (some hosts send it inbound). Default true. */
  inbound?: boolean;
}

function isHandoffInitiate(activity: Partial<Activity>): boolean {
  return activity.type === 'event' && activity.name === HandoffEventNames.InitiateHandoff;
}

function toRequest(context: TurnContext, options: TriggerOptions, activity: Partial<Activity>): EscalationRequest {
  const info = readHandoffContext(activity.value);
  const request: EscalationRequest = { trigger: 'handoff.initiate', reason: info.reason ? `handoff.initiate: ${info.reason}` : 'handoff.initiate event' };
  if (info.queueId) request.queueId = info.queueId;
  if (info.language) request.language = info.language;
  // The trigger's own fixed properties are defaults; the event's context wins.
  request.properties = { ...options.properties, ...info.properties };
  const transcript = readTranscriptAttachment(activity);
  if (transcript) request.transcript = transcript;
  const out = buildRequest(context, { ...options, properties: undefined }, request);
  if (Object.keys(out.properties ?? {}).length === 0) delete out.properties;
  return out;
}

/**
 * Fires when the bot sends an `event` named `handoff.initiate` (EventFactory.createHandoffInitiation,
 * Composer SendHandoffActivity, Copilot Studio). Its `value` may carry `queueId`/`queue`/`skill`,
 * `language`, `reason` and properties (primitives flattened; `va_*` variables without the prefix);
 * a `Transcript` attachment is returned as `transcript`. The event itself is consumed.
 */
export function handoffInitiate(options?: HandoffInitiateOptions): EscalationTrigger {
  const opts = checkTriggerOptions('handoffInitiate', options);
  const inbound = options?.inbound ?? true;
  const trigger: EscalationTrigger = {
    name: opts.name ?? 'handoffInitiate',
    onSend(context: TurnContext, activity: Partial<Activity>) {
      return isHandoffInitiate(activity) ? toRequest(context, opts, activity) : undefined;
    },
  };
  if (inbound) {
    trigger.beforeTurn = (context: TurnContext) => (isHandoffInitiate(context.activity) ? toRequest(context, opts, context.activity) : undefined);
  }
  return trigger;
}
