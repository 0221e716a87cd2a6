/**
 * Adaptive Cards for 8x8: 8x8 renders schema versions up to 1.6, so a card is checked (version,
 * size) and either passed on or replaced by text. Pure.
 */
import { cardText } from './card-text';

/** The Adaptive Card content type, in Bot Framework and 8x8 alike. */
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/** The newest schema version 8x8 accepts. */
export const MAX_ADAPTIVE_CARD_VERSION = '1.6';
/** The version given to cards that do not say (and to cards this package builds). */
export const DEFAULT_ADAPTIVE_CARD_VERSION = '1.3';

/** Result of {@link checkAdaptiveCard}: a card 8x8 can take, or the reason it cannot. */
export type AdaptiveCardCheck = { ok: true; card: Record<string, unknown> } | { ok: false; reason: string };

function parseVersion(version: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

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
 * Checks a card against 8x8's limits. A missing version becomes {@link DEFAULT_ADAPTIVE_CARD_VERSION};
 * a newer one than 1.6, an unreadable one or a card over `maxBytes` is refused.
 */
export function checkAdaptiveCard(content: unknown, maxBytes: number): AdaptiveCardCheck {
  const card = parseCardContent(content);
  if (!card) return { ok: false, reason: 'not a JSON object' };
  if (card.type !== undefined && card.type !== 'AdaptiveCard') return { ok: false, reason: `type ${String(card.type)}` };
  const version = typeof card.version === 'string' && card.version !== '' ? card.version : DEFAULT_ADAPTIVE_CARD_VERSION;
  const parsed = parseVersion(version);
  const max = parseVersion(MAX_ADAPTIVE_CARD_VERSION)!;
  if (!parsed) return { ok: false, reason: `unreadable version "${version}"` };
  if (parsed[0] > max[0] || (parsed[0] === max[0] && parsed[1] > max[1])) return { ok: false, reason: `version ${version} is newer than ${MAX_ADAPTIVE_CARD_VERSION}` };
  const out = { ...card, type: 'AdaptiveCard', version };
  if (Buffer.byteLength(JSON.stringify(out)) > maxBytes) return { ok: false, reason: `larger than ${maxBytes} bytes` };
  return { ok: true, card: out };
}

/** Text for an Adaptive Card: its own `fallbackText` when set, else the text it shows. */
export function adaptiveCardText(content: unknown): string {
  const card = parseCardContent(content);
  if (card && typeof card.fallbackText === 'string' && card.fallbackText.trim() !== '') return `[Card] ${card.fallbackText.trim()}`;
  return cardText(card ?? content);
}
