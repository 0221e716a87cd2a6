/**
 * Text helpers shared by the text triggers and routing: accent- and case-folding, word
 * tokenising and locale fallback. Pure functions.
 */
import type { TurnContext } from 'botbuilder';

/** Lower case, compatibility-decomposed, with combining marks removed: `Café` -> `cafe`. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** The folded words of a text; punctuation and spacing never matter. */
export function words(text: string): string[] {
  return foldText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** True when `phrase` occurs in `text` as whole words, ignoring case, accents and punctuation. */
export function containsPhrase(text: string, phrase: string): boolean {
  return indexOfWords(words(text), words(phrase)) >= 0;
}

/** Index of the contiguous word sequence `needle` in `hay`, or -1. An empty needle never matches. */
export function indexOfWords(hay: readonly string[], needle: readonly string[]): number {
  if (needle.length === 0) return -1;
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Locale fallback chain: `fr-FR` -> [`fr-fr`, `fr`, `default`]. Keys are lower case. */
export function localeChain(locale: string | undefined): string[] {
  const chain: string[] = [];
  const parts = (locale ?? '').toLowerCase().replace(/_/g, '-').split('-').filter(Boolean);
  for (let n = parts.length; n > 0; n--) chain.push(parts.slice(0, n).join('-'));
  chain.push('default');
  return chain;
}

/** The text of an incoming message activity, or undefined for other activities. */
export function messageText(context: TurnContext): string | undefined {
  const { activity } = context;
  if (activity.type !== 'message' || typeof activity.text !== 'string') return undefined;
  return activity.text.trim() === '' ? undefined : activity.text;
}
