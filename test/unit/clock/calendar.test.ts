import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  addCalendarDays,
  BusinessCalendar,
  businessDaysBetween,
  dayInfo,
  FIRST_DAY,
  isBusinessDay,
  LAST_DAY,
  NationalCalendar,
  nationalCalendar,
  nextBusinessDay,
} from '#domain/clock/calendar.ts';
import { formatDay, parseDay, weekday } from '#domain/clock/dates.ts';
import { ClockError } from '#domain/clock/errors.ts';
import { FIRST_YEAR, holidaysOf, LAST_YEAR } from '#domain/clock/holidays.ts';

/** The naive definition, day by day: not a weekend, not a holiday, not a closure. */
const holidaySet = new Set<number>();
for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) for (const h of holidaysOf(y)) holidaySet.add(h.day);
function naiveBusiness(day: number, closures: ReadonlySet<number> = new Set()): boolean {
  const w = weekday(day);
  return w !== 0 && w !== 6 && !holidaySet.has(day) && !closures.has(day);
}
function naiveAdd(day: number, n: number, closures: ReadonlySet<number> = new Set()): number {
  let d = day;
  let left = n;
  while (left > 0) {
    d++;
    if (naiveBusiness(d, closures)) left--;
  }
  return d;
}

const dayArb = fc.integer({ min: FIRST_DAY + 30, max: LAST_DAY - 200 });

describe('the business-day index', () => {
  it('marks exactly the weekdays that are not holidays, every day 1984–2100', () => {
    // Prepare
    const cal = nationalCalendar();
    // Act / Assess
    let mismatches = 0;
    for (let d = FIRST_DAY; d <= LAST_DAY; d++) if (cal.isBusinessDay(d) !== naiveBusiness(d)) mismatches++;
    expect(mismatches).toBe(0);
  });

  it('answers "n business days after" like the day-by-day loop (property)', () => {
    const cal = nationalCalendar();
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 0, max: 80 }), (day, n) => {
        expect(cal.add(day, n)).toBe(naiveAdd(day, n));
      }),
    );
  });

  it('counts backwards and counts intervals consistently (property)', () => {
    const cal = nationalCalendar();
    fc.assert(
      fc.property(
        fc.integer({ min: FIRST_DAY + 200, max: LAST_DAY - 200 }),
        fc.integer({ min: 1, max: 80 }),
        (day, n) => {
          const after = cal.add(day, n);
          const before = cal.add(day, -n);
          expect(cal.count(day, after)).toBe(n);
          expect(cal.count(before, day) - (cal.isBusinessDay(day) ? 1 : 0)).toBe(n - 1); // `before` itself is the n-th
          expect(cal.isBusinessDay(after) && cal.isBusinessDay(before)).toBe(true);
          expect(cal.add(after, -n)).toBeLessThanOrEqual(day);
        },
      ),
    );
  });

  it('is built in under 20 ms (best of 5 builds, so machine noise does not decide)', () => {
    // Act
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      new NationalCalendar();
      times.push(performance.now() - t0);
    }
    // Assess
    expect(Math.min(...times)).toBeLessThan(20);
  });

  it('refuses to answer outside 1984–2100', () => {
    const cal = nationalCalendar();
    expect(() => cal.add(LAST_DAY - 3, 10)).toThrow(ClockError);
    expect(() => cal.add(FIRST_DAY + 3, -10)).toThrow(ClockError);
    expect(() => cal.isBusinessDay(FIRST_DAY - 1)).toThrow(/outside the supported calendar/);
    expect(() => addBusinessDays('2100-12-30', 5)).toThrow(ClockError);
    expect(() => isBusinessDay('1983-12-30')).toThrow(ClockError);
  });
});

describe('entity closures', () => {
  it('skip closures that fall on business days, and ignore those on non-business days', () => {
    // Prepare: 2026-04-08 is a Wednesday; 2026-04-04 a Saturday; 2026-04-03 Good Friday
    const closures = ['2026-04-08', '2026-04-04', '2026-04-03'];
    // Act / Assess
    expect(addBusinessDays('2026-04-07', 1, { closures })).toBe('2026-04-09');
    expect(addBusinessDays('2026-04-07', 1)).toBe('2026-04-08');
    expect(isBusinessDay('2026-04-08', { closures })).toBe(false);
    expect(businessDaysBetween('2026-04-06', '2026-04-10', { closures })).toBe(3);
    expect(addBusinessDays('2026-04-09', -1, { closures })).toBe('2026-04-07');
    expect(
      dayInfo('2026-04-08', { closures: [{ date: '2026-04-08', reason: 'Traslado de sede' }] }),
    ).toMatchObject({
      business: false,
      reason: 'closure',
      closure: { reason: 'Traslado de sede' },
    });
  });

  it('behave like the day-by-day loop with closures (property)', () => {
    fc.assert(
      fc.property(
        dayArb,
        fc.integer({ min: 0, max: 60 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 120 }), { maxLength: 25 }),
        (day, n, offsets) => {
          // Prepare
          const closureDays = new Set(offsets.map((o) => day + o));
          const cal = new BusinessCalendar(
            nationalCalendar(),
            [...closureDays].map((d) => ({ date: formatDay(d) })),
          );
          // Act
          const r = cal.add(day, n);
          // Assess
          expect(r).toBe(naiveAdd(day, n, closureDays));
          expect(cal.count(day, r)).toBe(n);
          expect(cal.add(r, -n)).toBe(
            n === 0
              ? day
              : (() => {
                  let d = r;
                  let left = n;
                  while (left > 0) {
                    d--;
                    if (naiveBusiness(d, closureDays)) left--;
                  }
                  return d;
                })(),
          );
        },
      ),
    );
  });

  it('name a malformed or out-of-range closure', () => {
    expect(() => new BusinessCalendar(nationalCalendar(), [{ date: '2026-02-30' }])).toThrow(/closures\[0\]/);
    expect(
      () => new BusinessCalendar(nationalCalendar(), [{ date: '2026-01-02' }, { date: '2101-01-03' }]),
    ).toThrow(expect.objectContaining({ field: 'closures[1]', code: 'out_of_range' }));
  });
});

describe('string helpers', () => {
  it('count business days from a date, day 0 being the date itself', () => {
    expect(addBusinessDays('2025-12-19', 15)).toBe('2026-01-14');
    expect(addBusinessDays('2025-12-19', 0)).toBe('2025-12-19');
    expect(nextBusinessDay('2026-03-20')).toBe('2026-03-24');
    expect(businessDaysBetween('2025-12-19', '2026-01-14')).toBe(15);
    expect(businessDaysBetween('2026-01-14', '2025-12-19')).toBe(-15);
    expect(isBusinessDay('2025-06-30')).toBe(false);
    expect(isBusinessDay('2026-07-13')).toBe(false);
    expect(isBusinessDay('2026-07-09')).toBe(true);
  });

  it('describe a day with every reason it is not a business day', () => {
    expect(dayInfo('2025-06-30')).toMatchObject({
      business: false,
      reason: 'holiday',
      holidays: ['Sagrado Corazón de Jesús', 'San Pedro y San Pablo'],
    });
    expect(dayInfo('2022-12-25')).toMatchObject({
      business: false,
      reason: 'weekend',
      holidays: ['Navidad'],
    });
    expect(dayInfo('2026-03-24')).toMatchObject({ business: true, holidays: [] });
  });

  it('add calendar days without moving off weekends (publication day not counted)', () => {
    expect(addCalendarDays('2026-03-01', 15)).toBe('2026-03-16');
    expect(addCalendarDays('2026-03-06', 15)).toBe('2026-03-21'); // a Saturday: calendar days are not moved
    expect(addCalendarDays('2024-02-20', 10)).toBe('2024-03-01');
    expect(() => addCalendarDays('2100-12-25', 10)).toThrow(ClockError);
  });

  it('name the bad argument', () => {
    expect(() => addBusinessDays('2026-02-30', 1)).toThrow(
      expect.objectContaining({ field: 'date', code: 'invalid' }),
    );
    expect(() => addBusinessDays('2026-02-03', 1.5)).toThrow(expect.objectContaining({ field: 'n' }));
    expect(() => businessDaysBetween('2026-02-03', 'x')).toThrow(expect.objectContaining({ field: 'to' }));
    expect(parseDay('2026-02-03')).toBeDefined();
  });
});
