/**
 * Regular-expression trigger. Each pattern is tested against the raw utterance and against its
 * accent-folded form, so `/cafe/i` also matches "Café".
 */
import type { TurnContext } from 'botbuilder';
import { ConfigurationError } from '../errors';
import { buildRequest, checkTriggerOptions } from './request';
import { foldText, messageText } from './text';
import type { EscalationTrigger, TriggerOptions } from './types';

/** Patterns as RegExps or as strings (compiled case-insensitive, with the `u` flag). */
export type PatternList = RegExp | string | Array<RegExp | string>;

/** Compiles one pattern; strings get `iu`; `g`/`y` are dropped because they make `test` stateful. */
export function compilePattern(pattern: RegExp | string, option = 'pattern'): RegExp {
  if (pattern instanceof RegExp) return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  if (typeof pattern !== 'string' || pattern === '') {
    throw new ConfigurationError(option, 'must be a non-empty regular expression', 'Pass a RegExp or a string such as "\\\\bspeak to (a|an) (person|human)\\\\b"');
  }
  try {
    return new RegExp(pattern, 'iu');
  } catch (err) {
    throw new ConfigurationError(option, `is not a valid regular expression (${(err as Error).message})`, 'Fix the syntax; remember to double every backslash inside JSON strings');
  }
}

/** Fires before the turn when a pattern matches the user's message. */
export function pattern(patterns: PatternList, options?: TriggerOptions): EscalationTrigger {
  const opts = checkTriggerOptions('pattern', options);
  const list = (Array.isArray(patterns) ? patterns : [patterns]).map((p, i) => compilePattern(p, `patterns[${i}]`));
  if (list.length === 0) throw new ConfigurationError('patterns', 'is empty', 'Pass at least one pattern');
  return {
    name: opts.name ?? 'pattern',
    beforeTurn(context: TurnContext) {
      const text = messageText(context);
      if (text === undefined) return undefined;
      const folded = foldText(text);
      const hit = list.find((re) => re.test(text) || re.test(folded));
      if (!hit) return undefined;
      return buildRequest(context, opts, { trigger: 'pattern', reason: `pattern /${hit.source}/`, pattern: hit.source });
    },
  };
}
