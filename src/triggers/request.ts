/**
 * Building requests and checking the options every built-in trigger shares.
 */
import type { TurnContext } from 'botbuilder';
import { ConfigurationError } from '../errors';
import type { EscalationRequest, TriggerOptions } from './types';

/**
 * Adds the trigger's own routing choice and the turn's evidence (utterance, locale) to a request.
 * Fields already set on `request` win.
 */
export function buildRequest(
  context: TurnContext,
  options: TriggerOptions,
  request: EscalationRequest,
): EscalationRequest {
  const out: EscalationRequest = { ...request };
  if (options.queueId !== undefined && out.queueId === undefined) out.queueId = options.queueId;
  if (options.properties) out.properties = { ...options.properties, ...out.properties };
  const { activity } = context;
  if (out.text === undefined && activity.type === 'message' && typeof activity.text === 'string' && activity.text !== '') {
    out.text = activity.text;
  }
  if (out.locale === undefined && typeof activity.locale === 'string' && activity.locale !== '') out.locale = activity.locale;
  return out;
}

/** Rejects malformed shared options at construction. `where` prefixes the option path. */
export function checkTriggerOptions<T extends TriggerOptions>(where: string, options: T | undefined): T {
  const o = options ?? ({} as T);
  if (o.queueId !== undefined && (typeof o.queueId !== 'string' || o.queueId.trim() === '')) {
    throw new ConfigurationError(`${where}.queueId`, 'must be a non-empty string', 'Pass the 8x8 queue id, e.g. { queueId: "support" }, or leave it out');
  }
  if (o.properties !== undefined) {
    if (typeof o.properties !== 'object' || o.properties === null || Array.isArray(o.properties)) {
      throw new ConfigurationError(`${where}.properties`, 'must be an object of string values', 'Pass e.g. { properties: { Department: "Billing" } }');
    }
    for (const [key, value] of Object.entries(o.properties)) {
      if (typeof value !== 'string') {
        throw new ConfigurationError(`${where}.properties.${key}`, `must be a string, got ${typeof value}`, '8x8 additionalProperties are strings: convert the value with String(...)');
      }
    }
  }
  return o;
}
