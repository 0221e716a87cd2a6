/**
 * Hero and Thumbnail cards, which 8x8 cannot show, rebuilt as Adaptive Cards. Pure.
 */
import type { CardAction, HeroCard } from 'botbuilder';
import { DEFAULT_ADAPTIVE_CARD_VERSION } from './adaptive-card';

/** Bot Framework content types of the cards converted here. */
export const HERO_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.hero';
/** See {@link HERO_CARD_CONTENT_TYPE}. */
export const THUMBNAIL_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.thumbnail';

/** An Adaptive Card action for a Bot Framework card action; URL actions open, others submit their value. */
function toAction(action: Partial<CardAction>): Record<string, unknown> | undefined {
  const title = action.title ?? (typeof action.value === 'string' ? action.value : undefined);
  if (!title) return undefined;
  if (action.type === 'openUrl' && typeof action.value === 'string') return { type: 'Action.OpenUrl', title, url: action.value };
  // imBack/postBack/messageBack: submitting the title keeps the agent's view readable.
  const data = typeof action.value === 'object' && action.value !== null ? action.value : { value: action.value ?? title };
  return { type: 'Action.Submit', title, data };
}

/** Converts a Hero or Thumbnail card to an Adaptive Card (version 1.3). */
export function heroToAdaptiveCard(content: Partial<HeroCard> | undefined, thumbnail = false): Record<string, unknown> {
  const hero = content ?? {};
  const body: Record<string, unknown>[] = [];
  const image = hero.images?.find((i) => typeof i?.url === 'string');
  if (image) body.push({ type: 'Image', url: image.url, size: thumbnail ? 'Small' : 'Stretch', ...(image.alt ? { altText: image.alt } : {}) });
  if (hero.title) body.push({ type: 'TextBlock', text: hero.title, size: 'Large', weight: 'Bolder', wrap: true });
  if (hero.subtitle) body.push({ type: 'TextBlock', text: hero.subtitle, isSubtle: true, wrap: true });
  if (hero.text) body.push({ type: 'TextBlock', text: hero.text, wrap: true });
  const actions = (hero.buttons ?? []).map(toAction).filter((a): a is Record<string, unknown> => a !== undefined);
  const card: Record<string, unknown> = { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: DEFAULT_ADAPTIVE_CARD_VERSION, body };
  if (actions.length > 0) card.actions = actions;
  return card;
}
