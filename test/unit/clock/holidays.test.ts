import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import { dayFromCivil, formatDay, weekday } from '#domain/clock/dates.ts';
import { ClockError } from '#domain/clock/errors.ts';
import { easterSunday, FIRST_YEAR, holidaysOf, LAST_YEAR } from '#domain/clock/holidays.ts';

const dates = (year: number) => holidaysOf(year).map((h) => h.date);

describe('Easter (Gregorian computus)', () => {
  it('gives the published dates', () => {
    // Prepare: Easter Sundays from ecclesiastical tables
    const known: Record<number, string> = {
      1984: '1984-04-22',
      1985: '1985-04-07',
      2000: '2000-04-23',
      2008: '2008-03-23',
      2011: '2011-04-24',
      2019: '2019-04-21',
      2020: '2020-04-12',
      2024: '2024-03-31',
      2025: '2025-04-20',
      2026: '2026-04-05',
      2027: '2027-03-28',
      2038: '2038-04-25',
      2100: '2100-03-28',
    };
    for (const [year, date] of Object.entries(known)) {
      // Act / Assess
      expect(formatDay(easterSunday(Number(year)))).toBe(date);
    }
  });

  it('always falls on a Sunday between 22 March and 25 April', () => {
    for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) {
      const e = easterSunday(y);
      expect(weekday(e)).toBe(0);
      expect(e).toBeGreaterThanOrEqual(dayFromCivil(y, 3, 22));
      expect(e).toBeLessThanOrEqual(dayFromCivil(y, 4, 25));
    }
  });
});

describe('national holidays', () => {
  it('2026: Ley 51 de 1983 and the new 9 July of Ley 2578 de 2026 (19 dates)', () => {
    expect(dates(2026)).toEqual([
      '2026-01-01',
      '2026-01-12', // Reyes, 6 Jan is a Tuesday → Monday 12
      '2026-03-23', // San José, 19 Mar is a Thursday → Monday 23
      '2026-04-02', // Jueves Santo
      '2026-04-03', // Viernes Santo
      '2026-05-01',
      '2026-05-18', // Ascensión, Easter + 43
      '2026-06-08', // Corpus Christi, Easter + 64
      '2026-06-15', // Sagrado Corazón, Easter + 71
      '2026-06-29', // San Pedro y San Pablo, already a Monday
      '2026-07-13', // 9 July (Thursday) → Monday 13, Ley 2578 de 2026
      '2026-07-20',
      '2026-08-07',
      '2026-08-17', // Asunción, 15 Aug is a Saturday → Monday 17
      '2026-10-12', // Día de la Raza, already a Monday
      '2026-11-02', // Todos los Santos, 1 Nov is a Sunday → Monday 2
      '2026-11-16', // Independencia de Cartagena, 11 Nov is a Wednesday → Monday 16
      '2026-12-08',
      '2026-12-25',
    ]);
  });

  it('2027: the 9 July (a Friday) moves to Monday 12', () => {
    expect(dates(2027)).toContain('2027-07-12');
    expect(dates(2027)).not.toContain('2027-07-09');
  });

  it('before 2026 there is no 9 July holiday', () => {
    for (let y = FIRST_YEAR; y < 2026; y++) {
      expect(holidaysOf(y).some((h) => h.rules.some((r) => r.id === 'chiquinquira'))).toBe(false);
    }
    expect(dates(2025)).not.toContain('2025-07-14');
  });

  it('2025: San Pedro y San Pablo and Sagrado Corazón coincide on 30 June: 17 distinct dates', () => {
    // Act
    const list = holidaysOf(2025);
    const june30 = list.find((h) => h.date === '2025-06-30');
    // Assess
    expect(list).toHaveLength(17);
    expect(june30?.names).toEqual(['Sagrado Corazón de Jesús', 'San Pedro y San Pablo']);
  });

  it('moves every Emiliani holiday to a Monday, and keeps the fixed ones in place', () => {
    for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) {
      for (const h of holidaysOf(y)) {
        for (const r of h.rules) {
          if (r.kind === 'emiliani') {
            expect(weekday(h.day)).toBe(1);
            const original = dayFromCivil(y, r.month, r.day);
            expect(h.day - original).toBeGreaterThanOrEqual(0);
            expect(h.day - original).toBeLessThan(7);
          } else if (r.kind === 'fixed') {
            expect(h.day).toBe(dayFromCivil(y, r.month, r.day));
          } else if (r.offset > 0) {
            expect(weekday(h.day)).toBe(1);
          }
        }
      }
    }
  });

  it('refuses years outside 1984–2100 instead of guessing', () => {
    for (const y of [1983, 2101, 1900, 2026.5]) {
      expect(() => holidaysOf(y)).toThrow(ClockError);
    }
    try {
      holidaysOf(2101);
    } catch (e) {
      expect((e as ClockError).code).toBe('out_of_range');
      expect((e as ClockError).field).toBe('year');
    }
  });
});

describe('cross-check against date-holidays (independent oracle), every year 1984–2100', () => {
  it('agrees on every date except Easter Sunday, which date-holidays lists and Ley 51 does not', () => {
    // Prepare
    const hd = new Holidays('CO');
    const differences: string[] = [];
    for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
      // Act: compare the sets of public-holiday dates of the year
      const theirs = new Set(
        hd
          .getHolidays(year)
          .filter((h) => h.type === 'public')
          .map((h) => h.date.slice(0, 10)),
      );
      const ours = new Set(dates(year));
      const easter = formatDay(easterSunday(year));
      for (const d of theirs) {
        if (ours.has(d)) continue;
        // The one explained difference: date-holidays marks Easter Sunday ("Pascua") as public.
        // Ley 51 de 1983 does not list it; it is always a Sunday, so no business day changes.
        if (d === easter) continue;
        differences.push(`${year}: ${d} only in date-holidays`);
      }
      for (const d of ours) if (!theirs.has(d)) differences.push(`${year}: ${d} only in Urna`);
      expect(theirs.has(easter), `${year}: date-holidays lists Easter Sunday`).toBe(true);
    }
    // Assess
    expect(differences).toEqual([]);
  });

  it('so the business days agree too: the explained difference is always a Sunday', () => {
    for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) expect(weekday(easterSunday(year))).toBe(0);
  });
});
