import { describe, expect, it } from 'vitest';
import { longDate, monthName, num, pct, periodLabel } from '#http/pages/format.ts';

describe('dates', () => {
  it('writes a day as it is, whatever the time zone', () => {
    expect(longDate('2026-12-03', 'es')).toBe('3 de diciembre de 2026');
    expect(longDate('2026-12-03', 'en')).toBe('December 3, 2026');
    expect(longDate('2026-01-01', 'es')).toBe('1 de enero de 2026');
  });

  it('writes an instant as its day in Bogotá', () => {
    // 22:00 on 3 December in Bogotá (UTC−5).
    expect(longDate('2026-12-04T03:00:00Z', 'es')).toBe('3 de diciembre de 2026');
    expect(longDate('2026-12-04T05:00:00Z', 'es')).toBe('4 de diciembre de 2026');
    expect(longDate('2026-03-05T23:59:00-05:00', 'en')).toBe('March 5, 2026');
  });

  it('names months, long and short for chart axes', () => {
    expect(monthName('2026-11', 'es')).toBe('noviembre de 2026');
    expect(monthName('2026-11', 'en')).toBe('November 2026');
    // ICU versions differ on the abbreviation's period.
    expect(monthName('2026-11', 'es', 'short')).toMatch(/^nov\.? 2026$/);
    expect(monthName('2026-11', 'en', 'short')).toBe('Nov 2026');
  });
});

describe('numbers', () => {
  it('groups thousands the Colombian way, from four digits', () => {
    expect(num(1234567, 'es')).toBe('1.234.567');
    expect(num(1234, 'es')).toBe('1.234');
    expect(num(1234567.5, 'es')).toBe('1.234.567,5');
    expect(num(1234567.5, 'en')).toBe('1,234,567.5');
    expect(num(12.333, 'es', 1)).toBe('12,3');
    expect(num(4, 'en', 1)).toBe('4.0');
  });

  it('writes shares as percentages with one decimal', () => {
    expect(pct(0.125, 'es')).toBe('12,5\u00a0%');
    expect(pct(0.125, 'en')).toBe('12.5%');
    expect(pct(1, 'es')).toBe('100,0\u00a0%');
  });
});

describe('period labels', () => {
  it('says every kind of period in words', () => {
    expect(periodLabel('2026', 'es')).toBe('2026');
    expect(periodLabel('2026-S1', 'es')).toBe('primer semestre de 2026');
    expect(periodLabel('2026-S2', 'es')).toBe('segundo semestre de 2026');
    expect(periodLabel('2026-Q3', 'es')).toBe('tercer trimestre de 2026');
    expect(periodLabel('2026-11', 'es')).toBe('noviembre de 2026');
    expect(periodLabel('2026-01-01/2026-03-31', 'es')).toBe('del 1 de enero de 2026 al 31 de marzo de 2026');
  });

  it('and in English', () => {
    expect(periodLabel('2026-S2', 'en')).toBe('second half of 2026');
    expect(periodLabel('2026-Q4', 'en')).toBe('fourth quarter of 2026');
    expect(periodLabel('2026-11', 'en')).toBe('November 2026');
    expect(periodLabel('2026-01-01/2026-03-31', 'en')).toBe('January 1, 2026 to March 31, 2026');
  });
});
