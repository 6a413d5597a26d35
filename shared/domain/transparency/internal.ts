/**
 * The entity's own PQRSD report to its management (Ley 1474 de 2011 art. 76: the office of
 * internal control reports every semester on how PQRSD are handled): the period's cases by office
 * and by officer, and every case past its due date listed by radicado. Built from the register
 * entries of the months received (register.ts), so it agrees with the open data row for row. Not
 * public: it names offices and officers. Pure.
 */
import * as z from 'zod';
import type { Period } from './periods.ts';
import type { RegisterEntry } from './register.ts';

const Count = z.number().int().min(0);
const Tally = z.object({
  received: Count,
  answered: Count,
  answeredOnTime: Count,
  answeredLate: Count,
  /** Forwarded, withdrawn or with no competent authority: closed without an answer of its own. */
  closedOtherwise: Count,
  pending: Count,
  overdue: Count.describe('Pending and past the due date on asOf'),
});

export const InternalReportSchema = z.object({
  period: z.object({ label: z.string(), from: z.iso.date(), to: z.iso.date() }),
  entityId: z.string(),
  asOf: z.iso.date(),
  totals: Tally,
  byOffice: z.array(Tally.extend({ office: z.string().nullable().describe('null: not routed yet') })),
  byOfficer: z.array(
    Tally.extend({
      officer: z.string().nullable().describe('The officer assigned (account subject); null: unassigned'),
    }),
  ),
  overdue: z
    .array(
      z.object({
        radicado: z.string(),
        kind: z.string(),
        office: z.string().nullable(),
        officer: z.string().nullable(),
        received: z.iso.date(),
        due: z.iso.date(),
        businessDaysOver: Count,
      }),
    )
    .describe('Pending cases past their due date, by radicado'),
});
export type InternalReport = z.output<typeof InternalReportSchema>;
type TallyOf = z.output<typeof Tally>;

const emptyTally = (): TallyOf => ({
  received: 0,
  answered: 0,
  answeredOnTime: 0,
  answeredLate: 0,
  closedOtherwise: 0,
  pending: 0,
  overdue: 0,
});

export function internalReport(input: {
  period: Period;
  entityId: string;
  entries: readonly RegisterEntry[];
  /** The Bogotá day of the reading. */
  today: string;
  /** Business days after `due` up to today, on the entity's calendar. */
  businessDaysOver: (due: string) => number;
}): InternalReport {
  const { today } = input;
  const totals = emptyTally();
  const offices = new Map<string | null, TallyOf>();
  const officers = new Map<string | null, TallyOf>();
  const overdue: InternalReport['overdue'] = [];
  for (const entry of input.entries) {
    const { row, office, officer } = entry;
    const late = row.outcome === 'pending' && row.due !== null && row.due < today;
    const answered = row.answered !== null;
    const tallies = [totals, tallyOf(offices, office), tallyOf(officers, officer)];
    for (const t of tallies) {
      t.received++;
      if (answered) {
        t.answered++;
        // As the answer recorded it, the way the public report counts it.
        if (entry.answeredLate) t.answeredLate++;
        else t.answeredOnTime++;
      } else if (row.outcome === 'pending') {
        t.pending++;
        if (late) t.overdue++;
      } else t.closedOtherwise++;
    }
    if (late) {
      overdue.push({
        radicado: row.radicado,
        kind: row.kind,
        office,
        officer,
        received: row.received,
        due: row.due!,
        businessDaysOver: input.businessDaysOver(row.due!),
      });
    }
  }
  const listed = <K extends 'office' | 'officer'>(m: Map<string | null, TallyOf>, key: K) =>
    [...m]
      .sort(([a], [b]) => (a ?? '\uffff').localeCompare(b ?? '\uffff'))
      .map(([id, t]) => ({ [key]: id, ...t }) as TallyOf & Record<K, string | null>);
  return {
    period: { label: input.period.label, from: input.period.from, to: input.period.to },
    entityId: input.entityId,
    asOf: today,
    totals,
    byOffice: listed(offices, 'office'),
    byOfficer: listed(officers, 'officer'),
    overdue: overdue.sort((a, b) => a.radicado.localeCompare(b.radicado)),
  };
}

function tallyOf(m: Map<string | null, TallyOf>, key: string | null): TallyOf {
  const t = m.get(key) ?? emptyTally();
  m.set(key, t);
  return t;
}
