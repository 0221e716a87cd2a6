/**
 * Fallback turns: the bot flags a turn it could not handle; after N in a row the user gets a person.
 * The streak itself is counted by the middleware (it persists across turns); this file only marks
 * and reads the flag of the current turn and provides the trigger.
 */
import type { TurnContext } from 'botbuilder';
import { ConfigurationError } from '../errors';
import { buildRequest, checkTriggerOptions } from './request';
import type { AfterTurnInfo, EscalationTrigger, TriggerOptions } from './types';

/** The `turnState` key of the fallback flag. */
export const FALLBACK_TURN_KEY = 'botbuilder-8x8-handoff.fallbackTurn';

/** Call from the bot when it did not understand the user (e.g. in the `None` intent handler). */
export function markFallback(context: TurnContext): void {
  context.turnState.set(FALLBACK_TURN_KEY, true);
}

/** True when the bot called {@link markFallback} in this turn. */
export function isFallbackTurn(context: TurnContext): boolean {
  return context.turnState.get(FALLBACK_TURN_KEY) === true;
}

/** Fires after the turn once `info.consecutiveFallbacks` reaches `n` (an integer >= 1). */
export function repeatedFallback(n: number, options?: TriggerOptions): EscalationTrigger {
  const opts = checkTriggerOptions('repeatedFallback', options);
  if (!Number.isInteger(n) || n < 1) {
    throw new ConfigurationError('repeatedFallback', `must be a whole number of turns >= 1, got ${String(n)}`, 'Use e.g. triggers.repeatedFallback(3)');
  }
  return {
    name: opts.name ?? 'repeatedFallback',
    afterTurn(context: TurnContext, info: AfterTurnInfo) {
      if (!(info.consecutiveFallbacks >= n)) return undefined;
      return buildRequest(context, opts, { trigger: 'fallback', reason: `${info.consecutiveFallbacks} fallback turns in a row` });
    },
  };
}
