/**
 * Adaptive Cards for 8x8: the API takes schema versions up to 1.6 but 8x8's guides say the agent
 * desktop renders 1.3, so a card is checked (version, size), down-levelled to the configured
 * version (card-downlevel.ts) and passed on, or replaced by text. Pure.
 */
import { downlevelAdaptiveCard, parseCardVersion } from './card-downlevel';
import { cardText } from './card-text';

/** The Adaptive Card content type, in Bot Framework and 8x8 alike. */
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/** The newest schema version 8x8 accepts. */
export const MAX_ADAPTIVE_CARD_VERSION = '1.6';
/** The version given to cards that do not say (and to cards this package builds). */
export const DEFAULT_ADAPTIVE_CARD_VERSION = '1.3';

/** The version cards are down-levelled to unless configured otherwise (what 8x8's guides say the agent desktop renders). */
export const DEFAULT_TARGET_CARD_VERSION = '1.3';

/**
 * Result of {@link checkAdaptiveCard}: a card 8x8 can take (with the types of the elements
 * down-levelling replaced), or the reason it cannot.
 */
export type AdaptiveCardCheck = { ok: true; card: Record<string, unknown>; replaced: string[] } | { ok: false; reason: string };

const parseVersion = (version: string): readonly [number, number] | undefined => parseCardVersion(version);

/** Parses card content that may arrive as a JSON string. */
export function parseCardContent(content: unknown): Record<string, unknown> | undefined {
  let value = content;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * Checks a card against 8x8's limits and down-levels it to `targetVersion` (default 1.3). A missing
 * version becomes {@link DEFAULT_ADAPTIVE_CARD_VERSION}; a newer one than 1.6, an unreadable one or
 * a card over `maxBytes` (after down-levelling) is refused.
 */
export function checkAdaptiveCard(content: unknown, maxBytes: number, targetVersion: string = DEFAULT_TARGET_CARD_VERSION): AdaptiveCardCheck {
  const card = parseCardContent(content);
  if (!card) return { ok: false, reason: 'not a JSON object' };
  if (card.type !== undefined && card.type !== 'AdaptiveCard') return { ok: false, reason: `type ${String(card.type)}` };
  const version = typeof card.version === 'string' && card.version !== '' ? card.version : DEFAULT_ADAPTIVE_CARD_VERSION;
  const parsed = parseVersion(version);
  const max = parseVersion(MAX_ADAPTIVE_CARD_VERSION)!;
  if (!parsed) return { ok: false, reason: `unreadable version "${version}"` };
  if (parsed[0] > max[0] || (parsed[0] === max[0] && parsed[1] > max[1])) return { ok: false, reason: `version ${version} is newer than ${MAX_ADAPTIVE_CARD_VERSION}` };
  const target = parseVersion(targetVersion);
  if (!target) return { ok: false, reason: `unreadable target version "${targetVersion}"` };
  const { card: out, replaced } = downlevelAdaptiveCard({ ...card, type: 'AdaptiveCard', version }, target);
  if (Buffer.byteLength(JSON.stringify(out)) > maxBytes) return { ok: false, reason: `larger than ${maxBytes} bytes` };
  return { ok: true, card: out, replaced };
}

/** Text for an Adaptive Card: its own `fallbackText` when set, else the text it shows. */
export function adaptiveCardText(content: unknown): string {
  const card = parseCardContent(content);
  if (card && typeof card.fallbackText === 'string' && card.fallbackText.trim() !== '') return `[Card] ${card.fallbackText.trim()}`;
  return cardText(card ?? content);
}
