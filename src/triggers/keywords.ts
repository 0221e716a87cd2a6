/**
 * Keyword trigger: whole words or phrases, case- and accent-insensitive, with lists per locale.
 */
import type { TurnContext } from 'botbuilder';
import { ConfigurationError } from '../errors';
import { buildRequest, checkTriggerOptions } from './request';
import { indexOfWords, localeChain, messageText, words } from './text';
import type { EscalationTrigger, TriggerOptions } from './types';

/** Keywords for every locale (an array) or per locale (`{ default: [...], fr: [...] }`). */
export type KeywordLists = string[] | Record<string, string[]>;

interface Compiled {
  original: string;
  words: string[];
}

function compileLists(lists: KeywordLists): Map<string, Compiled[]> {
  const byLocale = Array.isArray(lists) ? { default: lists } : lists;
  if (typeof byLocale !== 'object' || byLocale === null) {
    throw new ConfigurationError('keywords', 'must be an array of words or an object of arrays per locale', 'Pass e.g. ["agent", "human"] or { default: ["agent"], fr: ["conseiller"] }');
  }
  const out = new Map<string, Compiled[]>();
  for (const [locale, list] of Object.entries(byLocale)) {
    if (!Array.isArray(list) || list.some((w) => typeof w !== 'string')) {
      throw new ConfigurationError(`keywords.${locale}`, 'must be an array of strings', 'List the words or phrases, e.g. ["agent", "real person"]');
    }
    const compiled = list.map((original) => ({ original, words: words(original) }));
    const empty = compiled.find((c) => c.words.length === 0);
    if (empty) {
      throw new ConfigurationError(`keywords.${locale}`, `"${empty.original}" contains no letters or digits`, 'Remove it or write a real word');
    }
    out.set(locale.toLowerCase().replace(/_/g, '-'), compiled);
  }
  return out;
}

/**
 * Fires before the turn when the user's message contains one of the keywords as whole words.
 * The list is chosen from `activity.locale` by fallback (`fr-FR`, then `fr`, then `default`):
 * only the first list that exists is used, so repeat shared words in each locale's list.
 */
export function keywords(lists: KeywordLists, options?: TriggerOptions): EscalationTrigger {
  const opts = checkTriggerOptions('keywords', options);
  const compiled = compileLists(lists);
  return {
    name: opts.name ?? 'keywords',
    beforeTurn(context: TurnContext) {
      const text = messageText(context);
      if (text === undefined) return undefined;
      const list = localeChain(context.activity.locale).map((l) => compiled.get(l)).find((l) => l !== undefined);
      if (!list) return undefined;
      const said = words(text);
      const hit = list.find((k) => indexOfWords(said, k.words) >= 0);
      if (!hit) return undefined;
      return buildRequest(context, opts, { trigger: 'keyword', reason: `keyword "${hit.original}"`, keyword: hit.original });
    },
  };
}
