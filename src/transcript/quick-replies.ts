/**
 * Bot Framework `suggestedActions` <-> 8x8 quick replies (`application/8x8.quick.replies`).
 */
import type { CardAction, SuggestedActions } from 'botbuilder';
import type { Card, QuickRepliesContent } from '../gateway/types';

/** The 8x8 quick-replies card content type. */
export const QUICK_REPLIES_CONTENT_TYPE = 'application/8x8.quick.replies';

/** What the user would send by pressing an action: its value when it is text, else its title. */
function postbackOf(action: Partial<CardAction>): string {
  if (typeof action.value === 'string' && action.value !== '') return action.value;
  if (typeof action.text === 'string' && action.text !== '') return action.text;
  return action.title ?? '';
}

/** Suggested actions as an 8x8 quick-replies card, or undefined when there is no usable action. */
export function suggestedActionsToQuickReplies(suggested: Partial<SuggestedActions> | undefined, redact: (s: string) => string = (s) => s): Card | undefined {
  const options = (suggested?.actions ?? [])
    .filter((a) => (typeof a?.title === 'string' && a.title.trim() !== '') || (typeof a?.value === 'string' && a.value !== ''))
    .map((a) => {
      const title = redact(a.title?.trim() || postbackOf(a));
      return { title, data: { postback: redact(postbackOf(a)) } };
    });
  if (options.length === 0) return undefined;
  return { contentType: QUICK_REPLIES_CONTENT_TYPE, content: { options } satisfies QuickRepliesContent };
}

/** An 8x8 quick-replies card as Bot Framework suggested actions (`imBack` with the option title). */
export function quickRepliesToSuggestedActions(content: unknown): SuggestedActions | undefined {
  const options = (content as Partial<QuickRepliesContent> | null)?.options;
  if (!Array.isArray(options)) return undefined;
  const actions: CardAction[] = options
    .filter((o) => typeof o?.title === 'string' && o.title !== '')
    // imBack sends the title, which is what the user saw and what the agent will read.
    .map((o) => ({ type: 'imBack', title: o.title, value: o.title }));
  // MessageFactory.suggestedActions leaves `to` out too: every recipient sees the actions.
  return actions.length > 0 ? ({ actions } as SuggestedActions) : undefined;
}

/** `Options: Yes | No` for a message whose quick replies may not render. */
export function quickRepliesText(card: Card): string {
  const options = (card.content as Partial<QuickRepliesContent>).options ?? [];
  return `Options: ${options.map((o) => o.title).join(' | ')}`;
}
