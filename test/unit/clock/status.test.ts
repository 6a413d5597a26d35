import { describe, expect, it } from 'vitest';
import { type ClockError, type ClockInput, clockStatus, semaforoFor } from '#domain/clock/index.ts';

// general, received Friday 2025-12-19: day 1 = 22 Dec, due 2026-01-14 (15 days), maximum 2026-02-04
const CASE: ClockInput = { termClass: 'general', filed: '2025-12-19T10:00:00-05:00' };
const on = (date: string) => `${date}T12:00:00-05:00`;

describe('clockStatus', () => {
  it('counts the business days used and left, day by day', () => {
    // Act
    const rows = [
      '2025-12-19',
      '2025-12-31',
      '2026-01-02',
      '2026-01-07',
      '2026-01-08',
      '2026-01-10',
      '2026-01-14',
    ].map((d) => clockStatus(CASE, on(d)));
    // Assess
    expect(rows.map((r) => [r.on, r.businessDaysUsed, r.businessDaysLeft, r.semaforo])).toEqual([
      ['2025-12-19', 0, 15, 'green'],
      ['2025-12-31', 7, 8, 'green'], // 46.7 %
      ['2026-01-02', 8, 7, 'yellow'], // 53.3 % ≥ 50 %
      ['2026-01-07', 11, 4, 'yellow'], // 73.3 %
      ['2026-01-08', 12, 3, 'red'], // 80 %
      ['2026-01-10', 13, 2, 'red'], // Saturday: still 13 used; 2 left
      ['2026-01-14', 15, 0, 'red'], // the due date: on time, last day
    ]);
  });

  it('is overdue the day after the due date, and the extension is no longer allowed', () => {
    // Act
    const s = clockStatus(CASE, on('2026-01-16'));
    // Assess
    expect(s).toMatchObject({
      semaforo: 'overdue',
      businessDaysUsed: 15,
      businessDaysLeft: 0,
      businessDaysOverdue: 2,
      extensionAllowed: false,
    });
    expect(s.extensionNote).toMatch(/venció el 2026-01-14/);
  });

  it('allows an extension until the legal due date, and not once at the maximum', () => {
    expect(clockStatus(CASE, on('2026-01-14'))).toMatchObject({ extensionAllowed: true });
    const extended: ClockInput = { ...CASE, events: [{ type: 'extended', at: on('2026-01-10') }] };
    const s = clockStatus(extended, on('2026-01-12'));
    // 12 January is a holiday (Reyes): 13 days used of the extended 30 → 43 %
    expect(s).toMatchObject({
      extensionAllowed: false,
      due: '2026-02-04',
      totalTermDays: 30,
      businessDaysUsed: 13,
      semaforo: 'green',
    });
    expect(s.extensionNote).toMatch(/máximo legal/);
  });

  it('takes into account only the events at or before the instant', () => {
    const c: ClockInput = {
      termClass: 'general',
      filed: '2026-03-02T09:00:00-05:00',
      events: [
        { type: 'completion_requested', at: '2026-03-04T10:00:00-05:00' },
        { type: 'completed', at: '2026-03-10T12:00:00-05:00' },
      ],
    };
    expect(clockStatus(c, '2026-03-03T12:00:00-05:00')).toMatchObject({
      suspended: false,
      businessDaysUsed: 1,
      due: '2026-03-24',
    });
    expect(clockStatus(c, '2026-03-05T12:00:00-05:00')).toMatchObject({
      suspended: true,
      due: null,
      businessDaysUsed: 1,
      businessDaysLeft: 14,
      petitionerRespondBy: '2026-04-06',
      withdrawalAllowed: false,
      extensionAllowed: false,
    });
    expect(clockStatus(c, '2026-03-12T12:00:00-05:00')).toMatchObject({
      suspended: false,
      businessDaysUsed: 3,
      due: '2026-03-31',
    });
  });

  it('says when desistimiento tácito may be declared', () => {
    const c: ClockInput = {
      termClass: 'general',
      filed: '2026-03-02T09:00:00-05:00',
      events: [{ type: 'completion_requested', at: '2026-03-04T10:00:00-05:00' }],
    };
    expect(clockStatus(c, '2026-04-06T16:00:00-05:00').withdrawalAllowed).toBe(false);
    expect(clockStatus(c, '2026-04-07T08:00:00-05:00').withdrawalAllowed).toBe(true);
  });

  it('takes per-entity thresholds, as fractions or percentages', () => {
    const t = { yellow: 0.3, red: 0.9, redDaysLeft: 0 };
    expect(clockStatus(CASE, on('2026-01-09'), t).semaforo).toBe('yellow'); // 13/15 = 86.7 %
    expect(clockStatus(CASE, on('2026-01-09'), { yellow: 30, red: 90, redDaysLeft: 0 }).semaforo).toBe(
      'yellow',
    );
    expect(clockStatus(CASE, on('2025-12-26'), t).semaforo).toBe('green'); // 4/15 = 26.7 % < 30 %
    expect(clockStatus(CASE, on('2026-01-13'), t).semaforo).toBe('red'); // 14/15 = 93.3 %
  });

  it('refuses a bad instant or bad thresholds, naming them', () => {
    const field = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as ClockError).field;
      }
      return undefined;
    };
    expect(field(() => clockStatus(CASE, 'tomorrow'))).toBe('at');
    expect(field(() => clockStatus(CASE, '2025-12-18T10:00:00-05:00'))).toBe('at');
    expect(field(() => clockStatus(CASE, on('2026-01-02'), { yellow: 0.9, red: 0.5 }))).toBe(
      'thresholds.yellow',
    );
    expect(field(() => clockStatus(CASE, on('2026-01-02'), { redDaysLeft: -1 }))).toBe(
      'thresholds.redDaysLeft',
    );
    expect(field(() => clockStatus({ ...CASE, termClass: 'x' as never }, on('2026-01-02')))).toBe(
      'termClass',
    );
  });
});

describe('semaforoFor', () => {
  it('follows DESIGN.md: yellow ≥ 50 %, red ≥ 80 % or ≤ 2 days left, overdue past due', () => {
    expect(semaforoFor(4, 10, false)).toBe('green');
    expect(semaforoFor(5, 10, false)).toBe('yellow');
    expect(semaforoFor(8, 10, false)).toBe('red');
    expect(semaforoFor(10, 30, false)).toBe('green');
    expect(semaforoFor(28, 30, false)).toBe('red');
    expect(semaforoFor(0, 2, false)).toBe('red'); // a 2-day term is red from the start
    expect(semaforoFor(0, 10, true)).toBe('overdue');
  });
});
