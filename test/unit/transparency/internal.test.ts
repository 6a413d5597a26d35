/**
 * The report to the entity's management (Ley 1474 art. 76) from the register entries of the
 * seeded history: by office and officer, overdue cases listed by radicado with their days over.
 */
import { describe, expect, it } from 'vitest';
import { businessDaysBetween } from '#domain/clock/index.ts';
import { InternalReportSchema, internalReport } from '#domain/transparency/internal.ts';
import { parsePeriod } from '#domain/transparency/periods.ts';
import { registerEntry } from '#domain/transparency/register.ts';
import { seededHistory } from './scenario.ts';

describe('the report to management', () => {
  it('tallies the year by office and officer and lists the overdue by radicado', async () => {
    const { w, cases } = await seededHistory();
    const entries = w.cases
      .all()
      .filter((c) => c.entityId === 'MINTIC')
      .map((c) => registerEntry(c));
    const today = '2026-08-04';
    const r = internalReport({
      period: parsePeriod({ period: '2026' }),
      entityId: 'MINTIC',
      entries,
      today,
      businessDaysOver: (due) => businessDaysBetween(due, today),
    });
    expect(InternalReportSchema.parse(r)).toEqual(r);
    const final = (radicado: string) => w.cases.all().find((c) => c.radicado === radicado)!;
    expect(r.totals).toEqual({
      received: 8,
      answered: 3,
      answeredOnTime: 2,
      answeredLate: 1,
      // Forwarded, withdrawn tacitly and expressly.
      closedOtherwise: 3,
      pending: 2,
      overdue: 2,
    });
    // officer-1 was given the four cases assigned; the rest were never assigned.
    expect(r.byOfficer).toEqual([
      expect.objectContaining({
        officer: 'officer-1',
        received: 4,
        answered: 3,
        answeredLate: 1,
        overdue: 1,
      }),
      expect.objectContaining({ officer: null, received: 4, answered: 0, closedOtherwise: 3, overdue: 1 }),
    ]);
    expect(r.byOffice.reduce((n, o) => n + o.received, 0)).toBe(8);
    // The deemed accepted request (due 27 January) and July's petition (due 30 July), by radicado.
    expect(r.overdue).toEqual(
      [
        { c: cases.deemed, due: '2026-01-27', over: businessDaysBetween('2026-01-27', today) },
        { c: cases.july, due: '2026-07-30', over: 3 },
      ]
        .sort((a, b) => a.c.radicado.localeCompare(b.c.radicado))
        .map(({ c, due, over }) => ({
          radicado: c.radicado,
          kind: c.kind,
          office: final(c.radicado).office ?? null,
          officer: final(c.radicado).officer ?? null,
          received: expect.any(String),
          due,
          businessDaysOver: over,
        })),
    );
  });

  it('is empty, not absent, for a period with no cases', () => {
    const r = internalReport({
      period: parsePeriod({ period: '2025' }),
      entityId: 'MINTIC',
      entries: [],
      today: '2026-08-04',
      businessDaysOver: () => 0,
    });
    expect(r).toMatchObject({ totals: { received: 0 }, byOffice: [], byOfficer: [], overdue: [] });
  });
});
