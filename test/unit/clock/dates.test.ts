import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMonthsToDay,
  civilFromDay,
  dayFromCivil,
  formatDay,
  INSTANT_PATTERN,
  parseDay,
  parseInstant,
  weekday,
} from '#domain/clock/dates.ts';

describe('day numbers', () => {
  it('match the Unix epoch and known weekdays', () => {
    // Prepare / Act
    const epoch = dayFromCivil(1970, 1, 1);
    const first = dayFromCivil(1984, 1, 1);
    // Assess
    expect(epoch).toBe(0);
    expect(weekday(epoch)).toBe(4); // Thursday
    expect(weekday(first)).toBe(0); // 1984-01-01 was a Sunday
    expect(weekday(dayFromCivil(2026, 3, 21))).toBe(6); // Saturday
    expect(formatDay(dayFromCivil(2100, 12, 31))).toBe('2100-12-31');
  });

  it('round-trip through the civil calendar (property, against Date.UTC)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (day) => {
        // Act
        const c = civilFromDay(day);
        // Assess
        expect(dayFromCivil(c.year, c.month, c.day)).toBe(day);
        expect(Date.UTC(c.year, c.month - 1, c.day) / 86_400_000).toBe(day);
      }),
    );
  });

  it('parse only real calendar dates', () => {
    expect(parseDay('2024-02-29')).toBe(dayFromCivil(2024, 2, 29));
    expect(parseDay('2025-02-29')).toBeUndefined();
    expect(parseDay('2100-02-29')).toBeUndefined(); // 2100 is not a leap year
    expect(parseDay('2026-13-01')).toBeUndefined();
    expect(parseDay('2026-04-31')).toBeUndefined();
    expect(parseDay('2026-4-1')).toBeUndefined();
    expect(parseDay('')).toBeUndefined();
  });

  it('add calendar months ending on the same day number, or the month end (Ley 4 de 1913, art. 59)', () => {
    const d = (s: string) => parseDay(s)!;
    expect(formatDay(addMonthsToDay(d('2026-03-04'), 1))).toBe('2026-04-04');
    expect(formatDay(addMonthsToDay(d('2026-01-31'), 1))).toBe('2026-02-28');
    expect(formatDay(addMonthsToDay(d('2024-01-31'), 1))).toBe('2024-02-29');
    expect(formatDay(addMonthsToDay(d('2026-12-15'), 2))).toBe('2027-02-15');
  });
});

describe('instants', () => {
  it('place an instant on its Bogota day and second, whatever the offset', () => {
    // Prepare
    const cases: [string, string, number][] = [
      ['2026-03-20T18:30:00-05:00', '2026-03-20', 18 * 3600 + 30 * 60],
      ['2026-03-20T23:30:00Z', '2026-03-20', 18 * 3600 + 30 * 60],
      ['2026-03-21T04:59:59.999Z', '2026-03-20', 23 * 3600 + 59 * 60 + 59],
      ['2026-03-21T05:00:00Z', '2026-03-21', 0],
      ['2026-03-21T07:00:00+02:00', '2026-03-21', 0],
      ['2026-03-20T18:30-0500', '2026-03-20', 18 * 3600 + 30 * 60],
      ['2026-01-01T00:00:00+14:00', '2025-12-31', 5 * 3600],
    ];
    for (const [input, date, second] of cases) {
      // Act
      const i = parseInstant(input);
      // Assess
      expect(i, input).toBeDefined();
      expect(formatDay(i!.day), input).toBe(date);
      expect(i!.second, input).toBe(second);
    }
  });

  it('read a bare date as a Bogota calendar day', () => {
    const i = parseInstant('2026-03-21');
    expect(i?.dateOnly).toBe(true);
    expect(formatDay(i!.day)).toBe('2026-03-21');
    expect(i!.epoch * 1000).toBe(Date.parse('2026-03-21T00:00:00-05:00'));
  });

  it('refuse malformed instants and local times without an offset (never a guess)', () => {
    for (const bad of [
      '2026-03-20T18:30:00',
      '2026-03-20T24:00:00Z',
      '2026-03-20T18:60:00Z',
      '2026-02-30T10:00:00Z',
      '2026-03-20T10:00:00+15:00',
      '2026-03-20T10:00:00.Z',
      '2026-03-20 10:00',
      '20260320T100000Z',
      'yesterday',
      '',
      '2026-03-20T10:00:00Zjunk',
    ]) {
      expect(parseInstant(bad), bad).toBeUndefined();
    }
  });

  it('agree with Date.parse for every valid ISO instant (property)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1984-01-01T00:00:00Z'),
          max: new Date('2100-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: -12 * 4, max: 14 * 4 }),
        (date, quarterHours) => {
          // Prepare: the same instant written with an arbitrary offset
          const offsetMin = quarterHours * 15;
          const local = new Date(date.getTime() + offsetMin * 60_000).toISOString().slice(0, 19);
          const sign = offsetMin < 0 ? '-' : '+';
          const abs = Math.abs(offsetMin);
          const text = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          // Act
          const i = parseInstant(text);
          // Assess: same instant, and the Bogota day is the UTC−5 day
          expect(INSTANT_PATTERN.test(text)).toBe(true);
          expect(i!.epoch).toBe(Math.floor(date.getTime() / 1000));
          const bogota = new Date(Math.floor(date.getTime() / 1000) * 1000 - 5 * 3_600_000)
            .toISOString()
            .slice(0, 10);
          expect(formatDay(i!.day)).toBe(bogota);
        },
      ),
    );
  });

  it('accept exactly the strings of the reference grammar (property)', () => {
    const piece = fc.constantFrom(
      '2026-03-20',
      'T',
      ' ',
      '10:00',
      ':30',
      '.5',
      'Z',
      '-05:00',
      '+0100',
      'x',
      '9',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (parts) => {
        const s = parts.join('');
        expect(parseInstant(s) !== undefined).toBe(INSTANT_PATTERN.test(s));
      }),
    );
  });
});
