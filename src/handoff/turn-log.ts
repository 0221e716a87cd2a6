/**
 * What the middleware collects during one user turn: transcript entries (incoming and outgoing),
 * escalation requests (from triggers, `handoff.initiate` and the explicit API) and the fallback
 * streak. Saved once at the end of the turn (the entries to the transcript key, the rest to the
 * record only when it changed); recording failures never break the turn.
 */
import type { Activity, TurnContext } from 'botbuilder';
import { toTranscriptEntry, type TranscriptEntry } from '../transcript';
import type { EscalationRequest } from '../triggers';
import type { TurnRead } from './store';

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
}
