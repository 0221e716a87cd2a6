/**
 * The first, synchronous half of turning an activity into an 8x8 message: text, card submits,
 * cards and quick replies, with the files to download listed but not yet fetched. Pure.
 */
import type { Card, ExternalAuthorType } from '../gateway/types';
import { ADAPTIVE_CARD_CONTENT_TYPE, adaptiveCardText, checkAdaptiveCard, parseCardContent } from './adaptive-card';
import { cardText, redactCard } from './card-text';
import type { TranscriptAttachment } from './entry';
import { HERO_CARD_CONTENT_TYPE, THUMBNAIL_CARD_CONTENT_TYPE, heroToAdaptiveCard } from './hero-card';
import { quickRepliesText, suggestedActionsToQuickReplies } from './quick-replies';
import { submitText } from './submit-text';

/** The fields of an activity (or transcript entry) the conversion reads. */
export interface ConvertibleActivity {
  type?: string;
  text?: string;
  value?: unknown;
  attachments?: TranscriptAttachment[];
  suggestedActions?: { actions?: Array<{ type?: string; title?: string; value?: unknown; text?: string }> };
}

/** Options shared by every conversion to 8x8. */
export interface ConversionOptions {
  /** Runs over every text that leaves the bot (message text, card text, quick replies). Default: none. */
  redact?: (text: string) => string;
  /** Largest Adaptive Card in bytes of JSON; larger ones go as text. Default 64 KiB. */
  maxCardBytes?: number;
  /**
   * Schema version Adaptive Cards are down-levelled to (newer elements become their fallback or a
   * TextBlock with their text). Default `'1.3'`, what 8x8's agent desktop renders.
   */
  cardVersion?: string;
}

/** A message before its files are fetched. */
export interface MessageDraft {
  authorType: ExternalAuthorType;
  /** Text lines, in order, not yet redacted. */
  lines: string[];
  /** Cards, already redacted. */
  cards: Card[];
  /** Attachments whose bytes must be fetched (or described, when they cannot be). */
  files: TranscriptAttachment[];
}

/** Default of {@link ConversionOptions.maxCardBytes}. */
export const DEFAULT_MAX_CARD_BYTES = 64 * 1024;

const CARD_LABELS: Record<string, string> = {
  'application/vnd.microsoft.card.receipt': 'Receipt',
  'application/vnd.microsoft.card.signin': 'Sign-in card',
  'application/vnd.microsoft.card.oauth': 'Sign-in card',
  'application/vnd.microsoft.card.animation': 'Animation',
  'application/vnd.microsoft.card.audio': 'Audio',
  'application/vnd.microsoft.card.video': 'Video',
};

function addAttachment(draft: MessageDraft, a: TranscriptAttachment, redact: (s: string) => string, maxCardBytes: number, cardVersion?: string): void {
  const type = a.contentType;
  if (type === ADAPTIVE_CARD_CONTENT_TYPE) {
    const check = checkAdaptiveCard(a.content, maxCardBytes, cardVersion);
    if (check.ok) draft.cards.push({ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: redactCard(check.card, redact) });
    draft.lines.push(a.dropped ? '[Card]' : adaptiveCardText(a.content));
  } else if (type === HERO_CARD_CONTENT_TYPE || type === THUMBNAIL_CARD_CONTENT_TYPE) {
    const content = parseCardContent(a.content);
    const check = content ? checkAdaptiveCard(heroToAdaptiveCard(content, type === THUMBNAIL_CARD_CONTENT_TYPE), maxCardBytes, cardVersion) : undefined;
    if (check?.ok) draft.cards.push({ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: redactCard(check.card, redact) });
    draft.lines.push(cardText(content));
  } else if (type.startsWith('application/vnd.microsoft.card.')) {
    draft.lines.push(cardText(parseCardContent(a.content), CARD_LABELS[type] ?? 'Card'));
  } else if (a.contentUrl !== undefined || a.dropped || type === 'application/vnd.microsoft.teams.file.download.info') {
    draft.files.push(a);
  } else {
    draft.lines.push(`[Attachment not forwarded: ${a.name ?? 'unnamed'}, ${type}]`);
  }
}

/**
 * Drafts the 8x8 message for a message activity, or returns undefined for anything else (typing,
 * trace, events) and for messages with nothing to show.
 */
export function draftMessage(activity: ConvertibleActivity, authorType: ExternalAuthorType, options: ConversionOptions = {}): MessageDraft | undefined {
  if (activity.type !== undefined && activity.type !== 'message') return undefined;
  const redact = options.redact ?? ((s: string) => s);
  const draft: MessageDraft = { authorType, lines: [], cards: [], files: [] };
  const text = typeof activity.text === 'string' ? activity.text.trim() : '';
  if (text !== '') draft.lines.push(text);
  // A card submit: `value` without text. With text (messageBack), the text already says it.
  else if (activity.value !== undefined && activity.value !== null) draft.lines.push(submitText(activity.value));
  for (const a of activity.attachments ?? []) {
    if (a && typeof a.contentType === 'string') addAttachment(draft, a, redact, options.maxCardBytes ?? DEFAULT_MAX_CARD_BYTES, options.cardVersion);
  }
  const quickReplies = suggestedActionsToQuickReplies(activity.suggestedActions as never, redact);
  if (quickReplies) {
    draft.cards.push(quickReplies);
    draft.lines.push(quickRepliesText(quickReplies));
  }
  return draft.lines.length > 0 || draft.cards.length > 0 || draft.files.length > 0 ? draft : undefined;
}
