/**
 * The availability gate in front of escalation: asks the configured check and, when it says
 * closed, turns its verdict into the lifecycle input that tells the user and the bot. A check that
 * throws is reported and the escalation goes ahead: 8x8's own queue still decides, and a broken
 * hook must not lock every user out of a person.
 */
import type { UnavailableVerdict } from '../availability';
import type { ResolvedHandoffOptions } from './options';
import type { LifecycleEvent } from './types';

/** The closed verdict for `queueId`, or undefined when open (or no check is configured). */
export async function closedVerdict(options: ResolvedHandoffOptions, queueId: string, botKey: string): Promise<UnavailableVerdict | undefined> {
  if (!options.availability) return undefined;
  try {
    const verdict = await options.availability({ queueId, now: options.clock() });
    return verdict.open ? undefined : verdict;
  } catch (error) {
    options.onError(error, { where: 'availability', conversation: botKey });
    return undefined;
  }
}

/** The lifecycle input of a refused escalation, with the next opening written for the user's locale. */
export function unavailableEvent(verdict: UnavailableVerdict, locale: string | undefined): LifecycleEvent {
  const params = verdict.nextOpening === undefined ? undefined : { nextOpening: formatOpening(verdict.nextOpening, locale, verdict.timeZone ?? 'UTC') };
  return { type: 'unavailable', reason: verdict.reason, params };
}

/** e.g. "Monday, December 7 at 9:00 AM GMT" (en-US), "lundi 7 décembre à 09:00 UTC" (fr-FR). */
export function formatOpening(instant: number, locale: string | undefined, timeZone: string): string {
  const style: Intl.DateTimeFormatOptions = { weekday: 'long', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short', timeZone };
  try {
    return new Intl.DateTimeFormat(locale ?? 'en-US', style).format(instant);
  } catch {
    // A channel can send a locale tag Intl rejects; English beats no notice at all.
    return new Intl.DateTimeFormat('en-US', style).format(instant);
  }
}
