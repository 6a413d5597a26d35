/**
 * Report periods on the Bogotá calendar (periods.ts): the named forms, from/to ranges of whole
 * months, and every refusal with its machine code and the query field at fault.
 */
import { describe, expect, it } from 'vitest';
import { bogotaMonth, PeriodError, type PeriodErrorCode, parsePeriod } from '#domain/transparency/periods.ts';

const months = (...m: string[]) => m;

describe('parsePeriod', () => {
  it('reads a year, a semester, a quarter and a month', () => {
    expect(parsePeriod({ period: '2026' })).toEqual({
      from: '2026-01-01',
      to: '2026-12-31',
      label: '2026',
      months: Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`),
    });
    expect(parsePeriod({ period: '2026-S2' })).toMatchObject({
      from: '2026-07-01',
      to: '2026-12-31',
      months: months('2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12'),
    });
    expect(parsePeriod({ period: '2026-S1' })).toMatchObject({ from: '2026-01-01', to: '2026-06-30' });
    expect(parsePeriod({ period: '2026-Q1' })).toMatchObject({
      to: '2026-03-31',
      months: months('2026-01', '2026-02', '2026-03'),
    });
    expect(parsePeriod({ period: '2026-Q4' })).toMatchObject({ from: '2026-10-01', to: '2026-12-31' });
    expect(parsePeriod({ period: '2026-11' })).toEqual({
      from: '2026-11-01',
      to: '2026-11-30',
      label: '2026-11',
      months: ['2026-11'],
    });
  });

  it('ends February on the 28th, or the 29th in a leap year', () => {
    expect(parsePeriod({ period: '2026-02' }).to).toBe('2026-02-28');
    expect(parsePeriod({ period: '2028-02' }).to).toBe('2028-02-29');
  });

  it('reads from/to spanning whole months, across a year, labelled as an ISO interval', () => {
    expect(parsePeriod({ from: '2025-11-01', to: '2026-02-28' })).toEqual({
      from: '2025-11-01',
      to: '2026-02-28',
      label: '2025-11-01/2026-02-28',
      months: months('2025-11', '2025-12', '2026-01', '2026-02'),
    });
    expect(parsePeriod({ from: '2026-03-01', to: '2026-03-31' }).months).toEqual(['2026-03']);
  });

  it('refuses with a machine code and the field at fault', () => {
    const refusal = (query: Record<string, string>): [PeriodErrorCode, string] => {
      try {
        parsePeriod(query);
      } catch (e) {
        if (e instanceof PeriodError) return [e.code, e.field];
        throw e;
      }
      throw new Error(`accepted ${JSON.stringify(query)}`);
    };
    expect(refusal({})).toEqual(['missing', 'from']);
    expect(refusal({ from: '2026-01-01' })).toEqual(['missing', 'to']);
    expect(refusal({ period: '2026', from: '2026-01-01' })).toEqual(['conflict', 'period']);
    for (const period of [
      '26',
      '2026-S3',
      '2026-Q5',
      '2026-Q0',
      '2026-13',
      '2026-00',
      '2026-1',
      '2026-s1',
      ' 2026',
    ]) {
      expect(refusal({ period })).toEqual(['malformed', 'period']);
    }
    expect(refusal({ from: '2026-02-30', to: '2026-03-31' })).toEqual(['malformed', 'from']);
    expect(refusal({ from: '2026-01-01', to: '2026-1-31' })).toEqual(['malformed', 'to']);
    expect(refusal({ period: '2014' })).toEqual(['out_of_range', 'period']);
    expect(refusal({ from: '2026-01-01', to: '2101-01-31' })).toEqual(['out_of_range', 'to']);
    expect(refusal({ from: '2026-03-01', to: '2026-02-28' })).toEqual(['inverted', 'from']);
    // Counters are per month: a range that cuts a month is refused, naming the month's bound.
    expect(refusal({ from: '2026-03-02', to: '2026-03-31' })).toEqual(['unaligned', 'from']);
    expect(refusal({ from: '2026-03-01', to: '2026-03-30' })).toEqual(['unaligned', 'to']);
    expect(refusal({ from: '2026-01-01', to: '2036-01-31' })).toEqual(['too_long', 'to']);
    expect(parsePeriod({ from: '2026-01-01', to: '2035-12-31' }).months).toHaveLength(120);
  });

  it('says what to send instead, in Spanish and English, as a field issue of the query', () => {
    try {
      parsePeriod({ from: '2026-03-02', to: '2026-03-31' });
      expect.unreachable();
    } catch (e) {
      expect((e as PeriodError).issue).toEqual({
        field: 'query.from',
        code: 'invalid_value',
        message: {
          es: 'query.from: las cifras se llevan por mes: from debe ser el primer día de un mes, como 2026-03-01',
          en: 'query.from: figures are kept per month: from must be the first day of a month, such as 2026-03-01',
        },
      });
    }
  });
});

describe('bogotaMonth', () => {
  it('places an instant in Bogotá (UTC−5): 04:59 UTC on 1 July is still June, 05:00 is July', () => {
    expect(bogotaMonth('2026-07-01T04:59:59Z')).toBe('2026-06');
    expect(bogotaMonth('2026-07-01T05:00:00Z')).toBe('2026-07');
    expect(bogotaMonth('2026-06-30T23:59:00-05:00')).toBe('2026-06');
    expect(bogotaMonth('2027-01-01T04:00:00.000Z')).toBe('2026-12');
  });
});
