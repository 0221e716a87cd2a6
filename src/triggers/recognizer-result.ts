/**
 * Finding a `RecognizerResult` left in `turnState` by the bot's recognizer. botbuilder has no
 * single standard key (LUIS caches under its endpoint URL, dialogs keep it in memory scopes), so
 * the configured key is tried first, then well-known keys, then any value shaped like a result.
 */
import type { RecognizerResult, TurnContext } from 'botbuilder';

/** The key this package reads first and writes when it runs a recognizer itself. */
export const RECOGNIZER_RESULT_KEY = 'recognizerResult';

/** Keys tried after the configured one, in order. */
export const WELL_KNOWN_RECOGNIZER_KEYS: readonly string[] = [RECOGNIZER_RESULT_KEY, 'RecognizerResult', 'turn.recognized', 'LuisRecognizerResult'];

/** True for an object with an `intents` map whose entries carry numeric scores. */
export function isRecognizerResult(value: unknown): value is RecognizerResult {
  if (typeof value !== 'object' || value === null) return false;
  const intents = (value as { intents?: unknown }).intents;
  if (typeof intents !== 'object' || intents === null || Array.isArray(intents)) return false;
  return Object.values(intents).every((i) => typeof i === 'object' && i !== null && typeof (i as { score?: unknown }).score === 'number');
}

/** The turn's RecognizerResult, looked up as described above, or undefined. */
export function findRecognizerResult(context: TurnContext, key?: string | symbol): RecognizerResult | undefined {
  const keys: Array<string | symbol> = key === undefined ? [...WELL_KNOWN_RECOGNIZER_KEYS] : [key, ...WELL_KNOWN_RECOGNIZER_KEYS];
  for (const k of keys) {
    const value: unknown = context.turnState.get(k);
    if (isRecognizerResult(value)) return value;
  }
  for (const value of context.turnState.values()) {
    if (isRecognizerResult(value)) return value;
  }
  return undefined;
}

/** The highest-scoring intent of a result (ties: the first), or undefined when there is none. */
export function topIntent(result: RecognizerResult): { name: string; score: number } | undefined {
  let best: { name: string; score: number } | undefined;
  for (const [name, { score }] of Object.entries(result.intents)) {
    if (typeof score === 'number' && !Number.isNaN(score) && (!best || score > best.score)) best = { name, score };
  }
  return best;
}
