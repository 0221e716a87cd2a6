/**
 * How a user ends a handoff: a cancel phrase (the whole message, ignoring case, accents and
 * punctuation), an `endOfConversation` activity, or leaving the conversation (`conversationUpdate`
 * with the user in `membersRemoved`).
 */
import type { Activity } from 'botbuilder';
import { localeChain, words } from '../triggers/text';

/** Why a user's activity ends the handoff, or undefined when it does not. */
export function userEnding(
  activity: Partial<Activity>,
  cancelPhrases: Record<string, string[]>,
  recordLocale?: string,
): 'cancelPhrase' | 'endOfConversation' | 'userLeft' | undefined {
  if (activity.type === 'endOfConversation') return 'endOfConversation';
  if (activity.type === 'conversationUpdate') {
    const botId = activity.recipient?.id;
    return activity.membersRemoved?.some((m) => m.id !== botId) ? 'userLeft' : undefined;
  }
  if (activity.type !== 'message' || typeof activity.text !== 'string') return undefined;
  return isCancelPhrase(activity.text, cancelPhrases, activity.locale ?? recordLocale) ? 'cancelPhrase' : undefined;
}

/** True when the whole text is one of the cancel phrases of the locale chain (or `default`). */
export function isCancelPhrase(text: string, cancelPhrases: Record<string, string[]>, locale?: string): boolean {
  const said = words(text).join(' ');
  if (!said) return false;
  const lists = new Map(Object.entries(cancelPhrases).map(([k, v]) => [k.toLowerCase(), v]));
  const candidates = new Set([...localeChain(locale), 'default']);
  for (const key of candidates) {
    for (const phrase of lists.get(key) ?? []) if (words(phrase).join(' ') === said) return true;
  }
  return false;
}
