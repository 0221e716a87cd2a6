/**
 * The `user` of the 8x8 create call: the channel account and locale, the routing decision and
 * whatever the bot's `userResolver` adds. 8x8 allows at most 30 `additionalProperties`, strings only.
 */
import type { TurnContext } from 'botbuilder';
import type { AdditionalProperty, ConversationUser } from '../gateway/types';

/** 8x8's limit on `user.additionalProperties`. */
export const MAX_ADDITIONAL_PROPERTIES = 30;

/** 8x8 language codes that keep their region; every other locale is cut to its language. */
const REGIONAL = new Set(['zh-CN', 'zh-TW']);

/** `fr-FR` -> `fr`, `zh-TW` stays; undefined stays undefined. */
export function languageOf(locale: string | undefined): string | undefined {
  if (!locale) return undefined;
  const [lang, region] = locale.replace(/_/g, '-').split('-');
  const regional = region ? `${lang!.toLowerCase()}-${region.toUpperCase()}` : '';
  return REGIONAL.has(regional) ? regional : lang!.toLowerCase();
}

/** Merges properties (later wins), keeps string values, caps the count at 30. */
export function toAdditionalProperties(...sources: Array<Record<string, unknown> | AdditionalProperty[] | undefined>): AdditionalProperty[] | undefined {
  const merged = new Map<string, string>();
  for (const source of sources) {
    const pairs = Array.isArray(source) ? source.map((p) => [p.key, p.value] as const) : Object.entries(source ?? {});
    for (const [key, value] of pairs) {
      if (typeof key !== 'string' || key.trim() === '' || value === undefined || value === null) continue;
      merged.set(key, typeof value === 'string' ? value : String(value));
    }
  }
  const list = [...merged].slice(0, MAX_ADDITIONAL_PROPERTIES).map(([key, value]) => ({ key, value }));
  return list.length ? list : undefined;
}

/** Builds the 8x8 user of an escalation. */
export function buildConversationUser(
  context: TurnContext,
  routed: { properties: Record<string, string>; language?: string },
  resolved: Partial<ConversationUser> = {},
): ConversationUser {
  const { from, locale } = context.activity;
  const { additionalProperties, ...rest } = resolved;
  const user: ConversationUser = {
    name: from?.name || undefined,
    userId: from?.id || undefined,
    language: routed.language ?? languageOf(locale),
    ...stripUndefined(rest),
  };
  const properties = toAdditionalProperties(routed.properties, additionalProperties);
  if (properties) user.additionalProperties = properties;
  return stripUndefined(user) as ConversationUser;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}
