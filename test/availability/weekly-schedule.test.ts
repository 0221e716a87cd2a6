import fc from 'fast-check';
import { ConfigurationError } from '../../src/errors';
import { compileSchedule, isOpenAt, nextOpening, scheduleAvailability, type WeeklyScheduleInput } from '../../src/availability';

const at = (iso: string): number => Date.parse(iso);
const iso = (t: number | undefined): string | undefined => (t === undefined ? undefined : new Date(t).toISOString());

describe('weekly schedule', () => {
  const london: WeeklyScheduleInput = {
    timeZone: 'Europe/London',
    weekly: { mon: [['09:00', '17:30']], fri: [['09:00', '12:00'], ['13:00', '17:00']] },
    holidays: ['2026-12-25'],
  };
  const s = compileSchedule(london);

  it('is open inside a range and closed at its end (ranges are [open, close))', () => {
    // 2026-12-07 is a Monday; London is on GMT in December.
    expect(isOpenAt(s, at('2026-12-07T08:59:59Z'))).toBe(false);
    expect(isOpenAt(s, at('2026-12-07T09:00:00Z'))).toBe(true);
    expect(isOpenAt(s, at('2026-12-07T17:29:59Z'))).toBe(true);
    expect(isOpenAt(s, at('2026-12-07T17:30:00Z'))).toBe(false);
  });

  it('treats a weekday missing from `weekly` as closed all day', () => {
    expect(isOpenAt(s, at('2026-12-08T12:00:00Z'))).toBe(false); // Tuesday
  });

  it('keeps a lunch break between two ranges of one day', () => {
    expect(isOpenAt(s, at('2026-12-11T12:30:00Z'))).toBe(false);
    expect(nextOpening(s, at('2026-12-11T12:30:00Z'))).toBe(at('2026-12-11T13:00:00Z'));
  });

  it('is closed on a holiday and opens next on the first open day after it', () => {
    expect(isOpenAt(s, at('2026-12-25T10:00:00Z'))).toBe(false); // a Friday
    expect(iso(nextOpening(s, at('2026-12-25T10:00:00Z')))).toBe('2026-12-28T09:00:00.000Z'); // Monday
  });

  it('returns the instant itself when already open', () => {
    expect(nextOpening(s, at('2026-12-07T10:00:00Z'))).toBe(at('2026-12-07T10:00:00Z'));
  });

  it('runs a range that closes before it opens past midnight into the next day', () => {
    const night = compileSchedule({ timeZone: 'UTC', weekly: { fri: [['22:00', '02:00']] } });
    expect(isOpenAt(night, at('2026-12-04T21:59:00Z'))).toBe(false);
    expect(isOpenAt(night, at('2026-12-04T23:59:00Z'))).toBe(true);
    expect(isOpenAt(night, at('2026-12-05T00:00:00Z'))).toBe(true); // Saturday, still Friday's range
    expect(isOpenAt(night, at('2026-12-05T01:59:00Z'))).toBe(true);
    expect(isOpenAt(night, at('2026-12-05T02:00:00Z'))).toBe(false);
  });

  it('closes at midnight with "24:00" and reopens at 00:00 the next day without a gap', () => {
    const s2 = compileSchedule({ timeZone: 'UTC', weekly: { mon: [['20:00', '24:00']], tue: [['00:00', '01:00']] } });
    expect(isOpenAt(s2, at('2026-12-07T23:59:59Z'))).toBe(true);
    expect(isOpenAt(s2, at('2026-12-08T00:00:00Z'))).toBe(true);
    expect(isOpenAt(s2, at('2026-12-08T01:00:00Z'))).toBe(false);
  });

  it('decides by the local day in each time zone around midnight (Tokyo vs Los Angeles)', () => {
    const mondays = (timeZone: string) => compileSchedule({ timeZone, weekly: { mon: [['00:00', '24:00']] } });
    const instant = at('2026-12-07T15:30:00Z'); // Tokyo: Tue 00:30; Los Angeles: Mon 07:30
    expect(isOpenAt(mondays('Asia/Tokyo'), instant)).toBe(false);
    expect(isOpenAt(mondays('America/Los_Angeles'), instant)).toBe(true);
    expect(iso(nextOpening(mondays('Asia/Tokyo'), instant))).toBe('2026-12-13T15:00:00.000Z'); // Mon 00:00 JST
  });

  it('reads holidays as local dates of the schedule zone', () => {
    const tokyo = compileSchedule({ timeZone: 'Asia/Tokyo', weekly: { fri: [['00:00', '24:00']], thu: [['00:00', '24:00']] }, holidays: ['2026-12-25'] });
    expect(isOpenAt(tokyo, at('2026-12-24T14:59:00Z'))).toBe(true); // Thu 23:59 JST
    expect(isOpenAt(tokyo, at('2026-12-24T15:00:00Z'))).toBe(false); // Fri 00:00 JST, a holiday
  });

  describe('across DST changes', () => {
    it('London spring-forward: an opening inside the skipped hour opens when the clock jumps', () => {
      // 2027-03-28 01:00 UTC: clocks go 01:00 GMT -> 02:00 BST, so 01:30 never shows.
      const s3 = compileSchedule({ timeZone: 'Europe/London', weekly: { sun: [['01:30', '03:00']] } });
      expect(iso(nextOpening(s3, at('2027-03-27T12:00:00Z')))).toBe('2027-03-28T01:00:00.000Z');
      expect(isOpenAt(s3, at('2027-03-28T00:59:00Z'))).toBe(false);
      expect(isOpenAt(s3, at('2027-03-28T01:00:00Z'))).toBe(true); // 02:00 BST
      expect(isOpenAt(s3, at('2027-03-28T02:00:00Z'))).toBe(false); // 03:00 BST
    });

    it('London: the same local hours shift by an hour in UTC across the change', () => {
      const s4 = compileSchedule({ timeZone: 'Europe/London', weekly: { fri: [['09:00', '17:00']], mon: [['09:00', '17:00']] } });
      expect(iso(nextOpening(s4, at('2027-03-26T18:00:00Z')))).toBe('2027-03-29T08:00:00.000Z'); // Mon 09:00 BST
    });

    it('New York fall-back: an opening in the repeated hour opens at its first occurrence', () => {
      // 2026-11-01 06:00 UTC: clocks go 02:00 EDT -> 01:00 EST, so 01:30 shows twice.
      const ny = compileSchedule({ timeZone: 'America/New_York', weekly: { sun: [['01:30', '09:00']] } });
      expect(iso(nextOpening(ny, at('2026-10-31T12:00:00Z')))).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT
      expect(isOpenAt(ny, at('2026-11-01T13:59:00Z'))).toBe(true); // 08:59 EST
      expect(isOpenAt(ny, at('2026-11-01T14:00:00Z'))).toBe(false); // 09:00 EST
    });
  });

  it('says it never opens when no day has ranges', () => {
    expect(nextOpening(compileSchedule({ timeZone: 'UTC', weekly: {} }), at('2026-12-01T00:00:00Z'))).toBeUndefined();
  });

  it('nextOpening is open and the minute before it is closed (property)', () => {
    const zones = ['Europe/London', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC'];
    const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), time, time), { minLength: 1, maxLength: 5 }), fc.integer({ min: at('2026-01-01T00:00:00Z'), max: at('2028-01-01T00:00:00Z') }), (timeZone, ranges, now) => {
        const keys = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
        const weekly: Partial<Record<(typeof keys)[number], Array<[string, string]>>> = {};
        for (const [d, open, close] of ranges) if (open !== close) (weekly[keys[d]!] ??= []).push([open, close]);
        const sched = compileSchedule({ timeZone, weekly });
        const next = nextOpening(sched, now);
        if (Object.keys(weekly).length === 0) return next === undefined;
        expect(next).toBeDefined();
        expect(isOpenAt(sched, next!)).toBe(true);
        if (next! > now) expect(isOpenAt(sched, Math.max(now, Math.ceil(next! / 60_000) * 60_000 - 60_000))).toBe(false);
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('the check reports closed with the next opening', async () => {
    const check = scheduleAvailability(london);
    expect(await check({ queueId: 'q', now: at('2026-12-08T12:00:00Z') })).toEqual({ open: false, reason: 'closed', nextOpening: at('2026-12-11T09:00:00Z'), timeZone: 'Europe/London' });
    expect(await check({ queueId: 'q', now: at('2026-12-07T12:00:00Z') })).toEqual({ open: true });
  });

  describe('bad configuration fails at once, naming the field and the fix', () => {
    const cases: Array<[string, WeeklyScheduleInput, RegExp]> = [
      ['an unknown zone', { timeZone: 'Mars/Olympus', weekly: {} }, /availability\.timeZone.*IANA.*Europe\/London/],
      ['an 8x8-style zone name that is not IANA', { timeZone: 'PST8DT', weekly: {} }, /availability\.timeZone/],
      ['a time without two-digit hours', { timeZone: 'UTC', weekly: { mon: [['9:00', '17:00']] } }, /availability\.weekly\.mon\[0\].*"9:00".*HH:MM/],
      ['a time past 24:00', { timeZone: 'UTC', weekly: { mon: [['09:00', '24:30']] } }, /availability\.weekly\.mon\[0\]/],
      ['an unknown weekday', { timeZone: 'UTC', weekly: { monday: [['09:00', '17:00']] } as never }, /availability\.weekly\.monday.*sun, mon/],
      ['a malformed holiday', { timeZone: 'UTC', weekly: {}, holidays: ['25/12/2026'] }, /availability\.holidays.*YYYY-MM-DD/],
    ];
    it.each(cases)('%s', (_name, input, message) => {
      expect(() => compileSchedule(input)).toThrow(ConfigurationError);
      expect(() => compileSchedule(input)).toThrow(message);
    });
  });
});
