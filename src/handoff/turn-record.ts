/**
 * What a user turn changes in the record (pure, called by the reducer): the reference for
 * proactive sends, the locale and the fallback streak; and the transcript a record written before
 * v2 kept inside, dropped once the turn moved it to its own key.
 */
import type { ConversationReference } from 'botbuilder';
import type { HandoffInput } from './inputs';
import type { HandoffRecord } from './types';

type TurnInput = Extract<HandoffInput, { type: 'turn' }>;

/** The record after a user turn; the same object when nothing changed (the turn then writes nothing). */
export function applyTurn(record: HandoffRecord, input: TurnInput): HandoffRecord {
  const locale = input.locale ?? record.locale;
  const consecutiveFallbacks = input.consecutiveFallbacks ?? record.consecutiveFallbacks;
  const dropLegacy = input.transcriptMoved && record.transcript !== undefined;
  if (!dropLegacy && sameReference(record.reference, input.reference) && locale === record.locale && consecutiveFallbacks === record.consecutiveFallbacks) return record;
  const next: HandoffRecord = { ...record, reference: input.reference, locale, consecutiveFallbacks };
  if (dropLegacy) {
    // The transcript now lives under its own key: the record becomes the current format.
    delete next.transcript;
    next.v = 2;
  }
  return next;
}

/**
 * Same conversation reference, ignoring `activityId` (it changes every turn, and proactive sends
 * drop the reply-to it would give them; see relay-delivery.ts).
 */
function sameReference(stored: Partial<ConversationReference> | undefined, current: Partial<ConversationReference>): boolean {
  if (!stored) return false;
  return sameJson(stored, current, 'activityId');
}

/**
 * Equal once stored as JSON (keys whose value is undefined are absent), ignoring `skip` at the
 * top level. Compared in place: this runs every turn, and serialising both sides cost more.
 */
function sameJson(a: unknown, b: unknown, skip?: string): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let defined = 0;
  for (const key in x) {
    if (key === skip || x[key] === undefined) continue;
    if (!sameJson(x[key], y[key])) return false;
    defined++;
  }
  for (const key in y) if (key !== skip && y[key] !== undefined) defined--;
  return defined === 0;
}
