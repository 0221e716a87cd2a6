/**
 * Intent trigger: a `RecognizerResult` intent at or above a score threshold.
 */
import type { RecognizerResult, TurnContext } from 'botbuilder';
import { ConfigurationError } from '../errors';
import { RECOGNIZER_RESULT_KEY, findRecognizerResult } from './recognizer-result';
import { buildRequest, checkTriggerOptions } from './request';
import type { EscalationRequest, EscalationTrigger, TriggerOptions } from './types';

/** Anything with botbuilder's `recognize(context)` shape (LuisRecognizer, CLU wrappers, custom). */
export interface IntentRecognizer {
  recognize(context: TurnContext): Promise<RecognizerResult>;
}

/** Options of {@link intent}. */
export interface IntentTriggerOptions extends TriggerOptions {
  /** Lowest score that fires, inclusive, in [0, 1]. Default 0.7. */
  minScore?: number;
  /**
   * A recognizer to run before the turn. Default: none; the trigger then reads the result the
   * bot's own recognizer left in `turnState` after the turn.
   */
  recognizer?: IntentRecognizer;
  /** The `turnState` key to read first (and to write the recognizer's result to). Default `recognizerResult`. */
  turnStateKey?: string;
}

function checkOptions(names: string | string[], options: IntentTriggerOptions | undefined) {
  const opts = checkTriggerOptions('intent', options);
  const list = Array.isArray(names) ? names : [names];
  if (list.length === 0 || list.some((n) => typeof n !== 'string' || n.trim() === '')) {
    throw new ConfigurationError('intent.names', 'must be a non-empty intent name or list of names', 'Pass e.g. "Escalate" or ["Escalate", "Agent"]');
  }
  const minScore = opts.minScore ?? 0.7;
  if (typeof minScore !== 'number' || !(minScore >= 0 && minScore <= 1)) {
    throw new ConfigurationError('intent.minScore', `must be a number from 0 to 1, got ${String(minScore)}`, 'Use e.g. { minScore: 0.7 }');
  }
  if (opts.recognizer !== undefined && typeof opts.recognizer?.recognize !== 'function') {
    throw new ConfigurationError('intent.recognizer', 'has no recognize(context) method', 'Pass a botbuilder Recognizer such as LuisRecognizer, or leave it out');
  }
  return { opts, minScore, wanted: new Set(list.map((n) => n.toLowerCase())) };
}

/**
 * Fires when one of `names` scores at least `minScore`. Without a recognizer it reads the turn's
 * RecognizerResult after the bot ran; with one, it recognizes before the turn (and leaves the
 * result in `turnState` for the bot).
 */
export function intent(names: string | string[], options?: IntentTriggerOptions): EscalationTrigger {
  const { opts, minScore, wanted } = checkOptions(names, options);
  const key = opts.turnStateKey ?? RECOGNIZER_RESULT_KEY;
  const evaluate = (context: TurnContext, result: RecognizerResult | undefined): EscalationRequest | undefined => {
    if (!result) return undefined;
    let best: { name: string; score: number } | undefined;
    for (const [name, value] of Object.entries(result.intents)) {
      const score = value?.score;
      if (!wanted.has(name.toLowerCase()) || typeof score !== 'number' || !(score >= minScore)) continue;
      if (!best || score > best.score) best = { name, score };
    }
    if (!best) return undefined;
    return buildRequest(context, opts, { trigger: 'intent', reason: `intent ${best.name} (${best.score.toFixed(2)})`, intent: best });
  };
  const trigger: EscalationTrigger = { name: opts.name ?? 'intent' };
  if (opts.recognizer) {
    const recognizer = opts.recognizer;
    trigger.beforeTurn = async (context) => {
      if (context.activity.type !== 'message') return undefined;
      const result = await recognizer.recognize(context);
      context.turnState.set(key, result);
      return evaluate(context, result);
    };
  } else {
    trigger.afterTurn = (context) => evaluate(context, findRecognizerResult(context, key));
  }
  return trigger;
}
