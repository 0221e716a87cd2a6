/**
 * What the middleware collects during one user turn: transcript entries (incoming and outgoing),
 * escalation requests (from triggers, `handoff.initiate` and the explicit API) and the fallback
 * streak. Saved once at the end of the turn (the entries to the transcript key, the rest to the
 * record only when it changed); recording failures never break the turn.
 */
import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import { toTranscriptEntry, type TranscriptEntry } from '../transcript';
import type { EscalationRequest } from '../triggers';
import type { TurnRead } from './store';
import { emptyRecord, type HandoffRecord } from './types';

/** The turnState key under which the middleware keeps its {@link TurnLog}. */
export const TURN_LOG_KEY = Symbol('botbuilder-8x8-handoff.turn');

/** One turn's findings. */
export class TurnLog {
  readonly entries: TranscriptEntry[] = [];
  readonly requests: EscalationRequest[] = [];
  /** Set after the bot ran: the new consecutive-fallback count. */
  consecutiveFallbacks?: number;
  /** False once the turn's end was processed: later requests escalate at once. */
  open = true;
  /** The transcript head as read with the record at the start of the turn. */
  transcriptRead?: TurnRead['transcript'];

  constructor(private readonly onError: (error: unknown) => void) {}

  /** The log of the turn `context` belongs to, if the middleware runs it. */
  static of(context: TurnContext): TurnLog | undefined {
    return context.turnState.get(TURN_LOG_KEY) as TurnLog | undefined;
  }

  /** Records an activity; noise (typing, trace, ...) is left out by the transcript module. */
  record(activity: Partial<Activity>, direction: 'in' | 'out'): void {
    try {
      const entry = toTranscriptEntry(activity, direction);
      if (entry) this.entries.push(entry);
    } catch (error) {
      this.onError(error);
    }
  }

  /**
   * The record after this turn: reference, locale and fallback streak updated. The same object
   * when none of them changed, so the turn writes nothing. `transcriptMoved`: this turn's entries
   * were appended to the transcript key, so a transcript kept in a record written before v2 is
   * dropped from it (the key now holds it).
   */
  applyTo(record: HandoffRecord | undefined, activity: Activity, transcriptMoved: boolean): HandoffRecord {
    const base = record ?? emptyRecord();
    const reference = TurnContext.getConversationReference(activity);
    const locale = activity.locale ?? base.locale;
    const consecutiveFallbacks = this.consecutiveFallbacks ?? base.consecutiveFallbacks;
    const dropLegacy = transcriptMoved && base.transcript !== undefined;
    if (record && !dropLegacy && sameReference(base.reference, reference) && locale === base.locale && consecutiveFallbacks === base.consecutiveFallbacks) return record;
    const next: HandoffRecord = { ...base, reference, locale, consecutiveFallbacks };
    if (dropLegacy) {
      delete next.transcript;
      next.v = 2;
    }
    return next;
  }
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
