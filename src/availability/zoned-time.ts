/**
 * Wall-clock arithmetic in an IANA time zone with nothing but `Intl`: the local date and time of an
 * instant, and the instant of a local date and time (DST gaps resolve forward, overlaps to the
 * earlier instant, the way a person reading a clock on the wall would).
 */

/** A local date and time in some zone. `weekday` is 0 for Sunday … 6 for Saturday. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  minutes: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One cached formatter per zone: constructing `Intl.DateTimeFormat` costs far more than using it. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `Intl` knows the zone (an IANA name such as `Europe/London`). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The wall clock in `timeZone` at `instant` (ms since the epoch). */
export function localTime(instant: number, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) parts[p.type] = p.value;
  return {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
  };
}

/** The zone's offset from UTC at `instant`, in ms (positive east of Greenwich). */
function offsetAt(instant: number, timeZone: string): number {
  const t = localTime(instant, timeZone);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, 0, t.minutes);
  return asUtc - Math.floor(instant / 60_000) * 60_000;
}

/**
 * The instant at which the wall clock in `timeZone` shows the given local date and minute. A time
 * skipped by a DST change maps to the first instant after the gap.
 */
export function instantOf(date: { year: number; month: number; day: number }, minutes: number, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day, 0, minutes);
  // Two rounds settle on the right offset; the earlier candidate wins in an overlap.
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  const candidates = [first, second].filter((c) => sameWall(c, wall, timeZone));
  if (candidates.length) return Math.min(...candidates);
  // In a gap no instant shows `wall`: the clock jumps over it, so the answer is the first minute
  // whose wall time is past `wall` (the end of the gap), found by bisection between the guesses.
  let lo = Math.min(first, second);
  let hi = Math.max(first, second);
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (wallOf(mid, timeZone) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

function wallOf(instant: number, timeZone: string): number {
  const t = localTime(instant, timeZone);
  return Date.UTC(t.year, t.month - 1, t.day, 0, t.minutes);
}

function sameWall(instant: number, wall: number, timeZone: string): boolean {
  return wallOf(instant, timeZone) === wall;
}

/** The local calendar date `days` after the given one (calendar arithmetic, no zone involved). */
export function addDays(date: { year: number; month: number; day: number }, days: number): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}

/** `YYYY-MM-DD` of a local date. */
export function isoDate(date: { year: number; month: number; day: number }): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}
