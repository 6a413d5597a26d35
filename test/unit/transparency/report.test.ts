/**
 * The PQRSD report (report.ts) from the counters a seeded history's stream leaves: every figure of
 * the issue for an entity and a quarter, pending cases judged late on the day of reading, the
 * national roll-up, small-cell suppression, the schema and the CSV rows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ratingContributions } from '#domain/satisfaction.ts';
import { addCells, type Cells } from '#domain/transparency/contributions.ts';
import { parsePeriod } from '#domain/transparency/periods.ts';
import { buildReport, type PqrsdReport, PqrsdReportSchema, reportCsv } from '#domain/transparency/report.ts';
import { reportOf as report, seededHistory } from './scenario.ts';

let counters: Map<string, Cells>;
beforeAll(async () => {
  ({ counters } = await seededHistory());
});

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0]));

describe('the report of an entity for a period', () => {
  it('gives every figure for the first quarter of MINTIC, read on 20 March 2026', () => {
    const r = report(counters.get('MINTIC')!, '2026-Q1', '2026-03-20');
    expect(r).toMatchObject({
      period: { label: '2026-Q1', from: '2026-01-01', to: '2026-03-31' },
      entityId: 'MINTIC',
      asOf: '2026-03-20',
      received: {
        total: 7,
        byKind: {
          ...zeros(['claim', 'suggestion', 'report', 'query']),
          petition: 4,
          complaint: 1,
          information_request: 2,
        },
        byChannel: { web: 5, email: 1, call_centre: 1, portal: 0 },
        byTermClass: { general: 5, information: 2, query: 0 },
      },
      // Answered on days 1 (the denial), 5 and 31 (30 of the extended term, one day late).
      answered: {
        total: 3,
        onTime: 2,
        late: 1,
        daysOver: { count: 1, mean: 1, median: 1, p90: 1, distribution: { 1: 1 } },
      },
      daysToAnswer: { count: 3, mean: 12.33, median: 5, p90: 31, distribution: { 1: 1, 5: 1, 31: 1 } },
      // The deemed accepted information request, due 27 January: 38 business days late on 20 March.
      pending: {
        total: 1,
        suspended: 0,
        onTerm: 0,
        late: 1,
        daysOver: { count: 1, mean: 38, median: 38, p90: 38, distribution: { 38: 1 } },
      },
      extended: 1,
      forwarded: { total: 1, late: 0, to: { SUPERSALUD: 1 } },
      noCompetentAuthority: 0,
      completionRequested: 1,
      withdrawn: { tacit: 1, express: 1 },
      deemedAccepted: 1,
      denied: { full: 0, partial: 1, byGround: { '18-c': 1 } },
      answeredByReference: 0,
      satisfaction: { count: 0, mean: null },
      months: {
        '2026-01': { received: 7, answeredOnTime: 2, answeredLate: 1, pending: 1 },
        '2026-02': { received: 0, answeredOnTime: 0, answeredLate: 0, pending: 0 },
        '2026-03': { received: 0, answeredOnTime: 0, answeredLate: 0, pending: 0 },
      },
    });
    expect(PqrsdReportSchema.parse(r)).toEqual(r);
  });

  it('judges pending cases on the day of reading: on term before their due date, late after it', () => {
    const july = counters.get('MINTIC')!;
    // The July petition is due 30 July.
    expect(report(july, '2026-07', '2026-07-30').pending).toMatchObject({ total: 1, onTerm: 1, late: 0 });
    expect(report(july, '2026-07', '2026-08-04').pending).toMatchObject({
      total: 1,
      onTerm: 0,
      late: 1,
      daysOver: { distribution: { 3: 1 } },
    });
    // The second semester holds July's case only; the year, all eight.
    expect(report(july, '2026-S2', '2026-08-04').received.total).toBe(1);
    expect(report(july, '2026', '2026-08-04').received.total).toBe(8);
  });

  it('rolls the country up from every entity’s cells: the case forwarded is received at SUPERSALUD too', () => {
    const all = [...counters.values()].reduce<Cells>((sum, c) => addCells(sum, c), {});
    const national = report(all, '2026-Q1', '2026-03-20', null);
    expect(national).toMatchObject({ entityId: null, received: { total: 8, byKind: { complaint: 2 } } });
    expect(national.forwarded.total).toBe(1);
    expect(report(counters.get('SUPERSALUD')!, '2026-Q1', '2026-03-20', 'SUPERSALUD').pending.total).toBe(1);
  });

  it('counts ratings by month rated, with their distribution and mean', () => {
    const cells = [5, 4, 4, 1].reduce<Cells>(
      (sum, rating) => addCells(sum, ratingContributions({ month: '2026-02', rating })),
      { ...counters.get('MINTIC')! },
    );
    expect(report(cells, '2026-Q1', '2026-03-20').satisfaction).toEqual({
      count: 4,
      mean: 3.5,
      distribution: { 1: 1, 2: 0, 3: 0, 4: 2, 5: 1 },
    });
  });

  it('suppresses breakdown cells under k, and a second one when one alone would be', () => {
    const r = report(counters.get('MINTIC')!, '2026-Q1', '2026-03-20');
    // Two victims (k = 5) are hidden, and so is not_given (5): the total would give them away.
    expect(r.breakdowns.preferential.filter((c) => c.count !== 0)).toEqual([
      { value: 'victim', count: null, suppressed: true },
      { value: 'not_given', count: null, suppressed: true },
    ]);
    expect(r.breakdowns.department.at(-1)).toEqual({ value: 'not_given', count: 7, suppressed: false });
    const k2 = buildReport({
      period: parsePeriod({ period: '2026-Q1' }),
      cells: counters.get('MINTIC')!,
      entityId: 'MINTIC',
      today: '2026-03-20',
      businessDaysOver: () => 0,
      k: 2,
    });
    expect(k2.breakdowns.preferential.filter((c) => c.count !== 0)).toEqual([
      { value: 'victim', count: 2, suppressed: false },
      { value: 'not_given', count: 5, suppressed: false },
    ]);
  });

  it('reads nothing outside the period, and an empty period is all zeros', () => {
    const r = report({ '2025-12|received|total': 3 }, '2026-Q1', '2026-03-20');
    expect(r.received.total).toBe(0);
    expect(r.daysToAnswer).toEqual({ count: 0, mean: null, median: null, p90: null, distribution: {} });
  });
});

describe('reportCsv', () => {
  let csv: string;
  let r: PqrsdReport;
  beforeAll(() => {
    r = report(counters.get('MINTIC')!, '2026-Q1', '2026-03-20');
    csv = reportCsv(r);
  });

  it('writes one (dimension, key, value) row per figure, by its path in the JSON', () => {
    const lines = csv.split('\r\n');
    expect(lines.slice(0, 6)).toEqual([
      'dimension,key,value',
      'period,label,2026-Q1',
      'period,from,2026-01-01',
      'period,to,2026-03-31',
      'entityId,,MINTIC',
      'asOf,,2026-03-20',
    ]);
    expect(lines).toEqual(
      expect.arrayContaining([
        'received,total,7',
        'received.byKind,information_request,2',
        'answered,late,1',
        'daysToAnswer,mean,12.33',
        'daysToAnswer.distribution,31,1',
        'pending,late,1',
        'extended,,1',
        'forwarded.to,SUPERSALUD,1',
        'withdrawn,express,1',
        'denied.byGround,18-c,1',
        'satisfaction,mean,',
        'breakdowns.preferential,victim,',
        'breakdowns.department,05,0',
        'months.2026-01,answeredLate,1',
      ]),
    );
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});
