/**
 * The maximum-wait offer (issue 11): the user picks "keep waiting" or "back to the bot" from
 * suggested actions. A pick arrives as the label's text (`imBack`), so it is recognised by that
 * text in the user's locale (ignoring case, accents and punctuation), or by a `value` of
 * `{ handoff: 'keepWaiting' | 'backToBot' }` from a card or `messageBack`.
 */
import type { Activity, CardAction, SuggestedActions } from 'botbuilder';
import { words } from '../triggers/text';
import { renderNotice, type HandoffMessages } from './notices';
import type { NoticeKey } from './types';

/** The answers to the offer. */
export type OfferAnswer = 'keepWaiting' | 'backToBot';

const LABELS: Record<OfferAnswer, NoticeKey> = { keepWaiting: 'keepWaitingAction', backToBot: 'backToBotAction' };

/** The answer a user activity gives to an open offer, or undefined when it is something else. */
export function offerAnswer(activity: Partial<Activity>, messages: HandoffMessages, locale?: string): OfferAnswer | undefined {
  if (activity.type !== 'message') return undefined;
  const value = (activity.value as { handoff?: unknown } | undefined)?.handoff;
  if (value === 'keepWaiting' || value === 'backToBot') return value;
  const said = words(activity.text ?? '').join(' ');
  if (!said) return undefined;
  for (const answer of Object.keys(LABELS) as OfferAnswer[]) {
    if (words(renderNotice(messages, LABELS[answer], activity.locale ?? locale)).join(' ') === said) return answer;
  }
  return undefined;
}

/** Suggested actions for the labels `keys`, each sending its own text back (`imBack`). */
export function suggestedActionsFor(keys: readonly NoticeKey[], messages: HandoffMessages, locale: string | undefined, userId: string | undefined): SuggestedActions {
  const actions: CardAction[] = keys.map((key) => {
    const title = renderNotice(messages, key, locale);
    return { type: 'imBack', title, value: title };
  });
  return { to: userId ? [userId] : [], actions };
}
