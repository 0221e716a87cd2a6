/**
 * What the middleware collects during one user turn: transcript entries (incoming and outgoing),
 * escalation requests (from triggers, `handoff.initiate` and the explicit API) and the fallback
 * streak. Saved once at the end of the turn; recording failures never break the turn.
 */
import { TurnContext, type Activity } from 'botbuilder';
import { appendBounded, toTranscriptEntry, type TranscriptEntry } from '../transcript';
import type { EscalationRequest } from '../triggers';
import type { TranscriptLimits } from './options';
import type { HandoffRecord } from './types';

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

  /** The record after this turn: transcript appended, reference, locale and fallback streak updated. */
  applyTo(record: HandoffRecord, activity: Activity, limits: Required<TranscriptLimits>): HandoffRecord {
    let transcript = record.transcript;
    for (const entry of this.entries) transcript = appendBounded(transcript, entry, { maxEntries: limits.maxEntries, maxBytes: limits.maxBytes });
    return {
      ...record,
      transcript,
      reference: TurnContext.getConversationReference(activity),
      locale: activity.locale ?? record.locale,
      consecutiveFallbacks: this.consecutiveFallbacks ?? record.consecutiveFallbacks,
    };
  }
}
