/**
 * Opening hours as data: open ranges per weekday in an IANA time zone, with holidays. Pure: every
 * function takes the instant it reasons about, so tests (and the middleware's injected clock)
 * decide what "now" is.
 */
import { ConfigurationError } from '../errors';
import { addDays, instantOf, isoDate, isValidTimeZone, localTime } from './zoned-time';

/** Weekday keys of {@link WeeklyScheduleInput.weekly}, Sunday first as `Date#getDay` counts. */
export const WEEKDAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** One of `sun` … `sat`. */
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

/**
 * Opening hours as written in configuration: `{ "timeZone": "Europe/London", "weekly": { "mon":
 * [["09:00", "17:30"]] }, "holidays": ["2026-12-25"] }`. A weekday missing from `weekly` (or with
 * an empty list) is closed. Ranges are `[open, close)` in local time; `"24:00"` closes at midnight,
 * and a close before the open runs past midnight into the next day. Holidays are local dates on
 * which the day's own ranges do not apply.
 */
export interface WeeklyScheduleInput {
  timeZone: string;
  weekly: Partial<Record<WeekdayKey, ReadonlyArray<readonly [string, string]>>>;
  holidays?: readonly string[];
}

/** A validated schedule: ranges in minutes after local midnight. */
export interface WeeklySchedule {
  readonly timeZone: string;
  /** Index 0 is Sunday. `end` may exceed 1440 for a range that runs past midnight. */
  readonly days: ReadonlyArray<ReadonlyArray<{ start: number; end: number }>>;
  readonly holidays: ReadonlySet<string>;
}

const TIME = /^([01]\d|2[0-4]):([0-5]\d)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function minutesOf(text: string, where: string): number {
  const m = TIME.exec(text);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  if (!m || minutes > 24 * 60) throw new ConfigurationError(where, `"${text}" is not a time`, 'Write "HH:MM", from 00:00 to 24:00.');
  return minutes;
}

/**
 * Checks and compiles a schedule. Throws a `ConfigurationError` naming the offending field (an
 * unknown time zone, a malformed time or date, an unknown weekday) and how to fix it.
 * @param option the option's name for messages, e.g. `availability`.
 */
export function compileSchedule(input: WeeklyScheduleInput, option = 'availability'): WeeklySchedule {
  if (typeof input.timeZone !== 'string' || !isValidTimeZone(input.timeZone)) {
    throw new ConfigurationError(`${option}.timeZone`, `"${String(input.timeZone)}" is not an IANA time zone`, 'Use a name such as "Europe/London" or "America/New_York".');
  }
  for (const key of Object.keys(input.weekly ?? {})) {
    if (!(WEEKDAY_KEYS as readonly string[]).includes(key)) {
      throw new ConfigurationError(`${option}.weekly.${key}`, 'is not a weekday', `Use ${WEEKDAY_KEYS.join(', ')}.`);
    }
  }
  const days = WEEKDAY_KEYS.map((key) =>
    (input.weekly?.[key] ?? []).map(([open, close], i) => {
      const where = `${option}.weekly.${key}[${i}]`;
      const start = minutesOf(open, where);
      let end = minutesOf(close, where);
      if (start === 24 * 60) throw new ConfigurationError(where, 'a range cannot open at 24:00', 'Open it at 00:00 on the next day.');
      if (end <= start) end += 24 * 60; // runs past midnight
      return { start, end };
    }),
  );
  for (const date of input.holidays ?? []) {
    if (!DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
      throw new ConfigurationError(`${option}.holidays`, `"${date}" is not a date`, `Write "YYYY-MM-DD", a local date in ${input.timeZone}.`);
    }
  }
  return { timeZone: input.timeZone, days, holidays: new Set(input.holidays ?? []) };
}

/** True when the schedule is open at `instant` (ms since the epoch). */
export function isOpenAt(schedule: WeeklySchedule, instant: number): boolean {
  const now = localTime(instant, schedule.timeZone);
  const today = { year: now.year, month: now.month, day: now.day, weekday: now.weekday };
  const yesterday = addDays(today, -1);
  // Today's own ranges, then yesterday's ranges that run past midnight into today.
  return openOn(schedule, today, now.minutes) || openOn(schedule, yesterday, now.minutes + 24 * 60);
}

function openOn(schedule: WeeklySchedule, date: { year: number; month: number; day: number; weekday: number }, minutes: number): boolean {
  if (schedule.holidays.has(isoDate(date))) return false;
  return (schedule.days[date.weekday] ?? []).some((r) => minutes >= r.start && minutes < r.end);
}

/**
 * The next instant at or after `instant` at which the schedule opens, or `undefined` when it does
 * not open within `horizonDays` (a schedule with no ranges, or a long run of holidays).
 */
export function nextOpening(schedule: WeeklySchedule, instant: number, horizonDays = 400): number | undefined {
  if (isOpenAt(schedule, instant)) return instant;
  const now = localTime(instant, schedule.timeZone);
  for (let d = 0; d <= horizonDays; d++) {
    const date = addDays(now, d);
    if (schedule.holidays.has(isoDate(date))) continue;
    const starts = (schedule.days[date.weekday] ?? []).map((r) => r.start).sort((a, b) => a - b);
    for (const start of starts) {
      const at = instantOf(date, start, schedule.timeZone);
      if (at > instant && isOpenAt(schedule, at)) return at;
    }
  }
  return undefined;
}
