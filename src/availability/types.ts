/**
 * The availability check that runs before every escalation: is the contact center open, and is
 * anyone there to take the chat. A check is any function of the query; the built-in ones are a
 * weekly schedule, 8x8's Tenant Schedule API and 8x8's real-time queue statistics.
 */

/** What a check is asked: the queue the escalation would go to, at an instant. */
export interface AvailabilityQuery {
  /** The queue the escalation is routed to. */
  queueId: string;
  /** The instant of the question, in ms since the epoch (the middleware's clock). */
  now: number;
  /**
   * True when asked for a waiting-room update: the user is already in the queue, so `position` is
   * their own place rather than the one they would take.
   */
  inQueue?: boolean;
}

/** Open: the handoff goes ahead. Position and wait, when known, feed the waiting room. */
export interface AvailableVerdict {
  open: true;
  /** 1-based place the user would take in the queue. */
  position?: number;
  /** Estimated wait in seconds. */
  estimatedWaitSeconds?: number;
}

/** Closed (`closed`: out of hours; `noAgents`: open but nobody logged in to the queue). */
export interface UnavailableVerdict {
  open: false;
  reason: 'closed' | 'noAgents';
  /** When it opens next (ms since the epoch), if known. */
  nextOpening?: number;
  /** The IANA zone to show `nextOpening` in (the schedule's); default UTC. */
  timeZone?: string;
}

/** A check's answer. */
export type AvailabilityVerdict = AvailableVerdict | UnavailableVerdict;

/** Anything that can answer the question; may be async. */
export type AvailabilityCheck = (query: AvailabilityQuery) => AvailabilityVerdict | Promise<AvailabilityVerdict>;

/** What an adapter does when its API cannot be reached: treat the center as open, or as closed. */
export type AvailabilityFallback = 'open' | 'closed';

/** Reported when an adapter falls back; the verdict it used instead is included. */
export interface AvailabilityErrorReport {
  source: string;
  error: unknown;
  fallback: AvailabilityVerdict;
}

/**
 * Runs checks in order and returns the first closed verdict, or an open one that merges what the
 * open ones told (position and wait from whichever supplied them).
 */
export function combineAvailability(...checks: AvailabilityCheck[]): AvailabilityCheck {
  return async (query) => {
    const merged: AvailableVerdict = { open: true };
    for (const check of checks) {
      const verdict = await check(query);
      if (!verdict.open) return verdict;
      if (verdict.position !== undefined) merged.position = verdict.position;
      if (verdict.estimatedWaitSeconds !== undefined) merged.estimatedWaitSeconds = verdict.estimatedWaitSeconds;
    }
    return merged;
  };
}
