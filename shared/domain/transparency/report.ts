/**
 * The PQRSD report of an entity, or of the country, for a period (issue 15; Decreto 1081 de 2015
 * art. 2.1.1.6.2; Ley 1712 art. 11 lit. h; Ley 1474 art. 76), built from the counter cells of the
 * period's months (contributions.ts) — never from the cases themselves — as JSON (with its zod
 * schema, for the OpenAPI document) and as CSV rows. Pure.
 *
 * The national roll-up is the same report over the cells of every entity added together.
 */
import * as z from 'zod';
import { csvLine } from '../csv.ts';
import { departmentName } from '../demographics.ts';
import { DEFAULT_DISCLOSURE_K, suppressSmallCells } from '../participation/disclosure.ts';
import { CHANNELS, KINDS, TERM_CLASSES } from '../vocabulary.ts';
import {
  addCells,
  BREAKDOWNS,
  type Breakdown,
  breakdownFigure,
  type Cells,
  FIGURE,
  NOT_GIVEN,
} from './contributions.ts';
import {
  emptyHistogram,
  HISTOGRAM_MAX,
  type Histogram,
  histogramCells,
  histogramFromCells,
  mergeHistograms,
  summarize,
} from './histogram.ts';
import type { Period } from './periods.ts';

const Count = z.number().int().min(0);
const Counts = z.record(z.string(), Count);
/** Counts of people by attribute value, in the attribute's order (participation/disclosure.ts). */
const Published = z.array(
  z.object({
    value: z.string(),
    /** Departments: the name beside the code (DANE's DIVIPOLA). */
    name: z.string().optional(),
    count: Count.nullable().describe('null: suppressed'),
    suppressed: z.boolean(),
  }),
);

/** A distribution of business days: its count, mean, median and p90 (histogram.ts), and the bins. */
const DaysSchema = z.object({
  count: Count,
  mean: z.number().nullable().describe('Rounded to two decimals; null when there is none'),
  median: Count.nullable().describe(
    `Nearest rank; null when none, or beyond ${HISTOGRAM_MAX} business days (see overflow)`,
  ),
  p90: Count.nullable().describe('Nearest rank, as median'),
  distribution: Counts.describe(
    `How many took each number of business days ("0" … "${HISTOGRAM_MAX}"), and ">${HISTOGRAM_MAX}"; zeros left out`,
  ),
});

export const PqrsdReportSchema = z.object({
  period: z.object({
    label: z.string().describe('2026, 2026-S2, 2026-Q3, 2026-11, or from/to (2026-01-01/2026-03-31)'),
    from: z.iso.date(),
    to: z.iso.date(),
  }),
  entityId: z.string().nullable().describe('null: the national roll-up, every entity'),
  asOf: z.iso.date().describe('The Bogotá day pending cases were judged late or not'),
  received: z.object({
    total: Count,
    byKind: Counts,
    byChannel: Counts,
    byTermClass: Counts,
  }),
  answered: z.object({
    total: Count,
    onTime: Count,
    late: Count,
    daysOver: DaysSchema.describe('Business days past the due date, of the late answers'),
  }),
  pending: z.object({
    total: Count,
    suspended: Count.describe('Waiting for the petitioner (Ley 1755 arts. 17 and 19): the term is stopped'),
    onTerm: Count,
    late: Count.describe('Past the due date on asOf'),
    daysOver: DaysSchema.describe('Business days past the due date on asOf, of the late ones'),
  }),
  daysToAnswer: DaysSchema.describe('Business days of the term used when answered (suspended days excluded)'),
  extended: Count,
  forwarded: z.object({
    total: Count,
    late: Count.describe('Forwarded after the five days of Ley 1755 art. 21'),
    to: Counts.describe('By the entity forwarded to'),
  }),
  noCompetentAuthority: Count,
  completionRequested: Count,
  withdrawn: z.object({ tacit: Count, express: Count }),
  deemedAccepted: Count,
  denied: z.object({
    full: Count,
    partial: Count,
    byGround: Counts.describe('By the literal of Ley 1712 art. 18 or 19: 18-a … 19-i, 18-paragrafo'),
  }),
  answeredByReference: Count,
  satisfaction: z.object({
    count: Count,
    mean: z.number().nullable(),
    distribution: Counts.describe('Ratings 1 (very dissatisfied) to 5 (very satisfied)'),
  }),
  breakdowns: z
    .object({
      k: Count.describe('Counts from 1 to k − 1 are suppressed, with a second cell when only one would be'),
      department: Published.describe('By DIVIPOLA department code'),
      gender: Published,
      ageBand: Published,
      preferential: Published.describe(
        'By preferential group (CPACA art. 5 num. 6): one case may count in several',
      ),
    })
    .describe('Received cases by petitioner attribute'),
  months: z
    .record(
      z.string(),
      z.object({ received: Count, answeredOnTime: Count, answeredLate: Count, pending: Count }),
    )
    .describe('Per month of receipt'),
});
export type PqrsdReport = z.output<typeof PqrsdReportSchema>;

export interface ReportInput {
  period: Period;
  /** The counter cells (month-prefixed keys); months outside the period are ignored. */
  cells: Readonly<Cells>;
  /** null for the national roll-up. */
  entityId: string | null;
  /** The Bogotá day of the reading: pending cases past their due date are late. */
  today: string;
  /** Business days after `due` up to today (the entity's calendar; the national one for the roll-up). */
  businessDaysOver: (due: string) => number;
  /** The disclosure threshold of breakdowns (the participation setting). */
  k?: number;
}

/** Each value of `values`, with its count under `figure` (0 when none). */
function counts(cells: Readonly<Cells>, figure: string, values: readonly string[]): Record<string, number> {
  return Object.fromEntries(values.map((v) => [v, cells[`${figure}|${v}`] ?? 0]));
}

/** The counts under `figure|<value>` for whatever values occur (entities, grounds, due dates). */
function openCounts(cells: Readonly<Cells>, figure: string): Record<string, number> {
  const prefix = `${figure}|`;
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(cells)) {
    if (k.startsWith(prefix) && n !== 0) out[k.slice(prefix.length)] = n;
  }
  return out;
}

function days(h: Histogram): z.output<typeof DaysSchema> {
  const distribution: Record<string, number> = {};
  for (const [d, n] of h.bins.entries()) if (n > 0) distribution[String(d)] = n;
  if (h.overflow > 0) distribution[`>${HISTOGRAM_MAX}`] = h.overflow;
  return { ...summarize(h), distribution };
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((s, n) => s + n, 0);

export function buildReport(input: ReportInput): PqrsdReport {
  const { period, today } = input;
  const k = input.k ?? DEFAULT_DISCLOSURE_K;
  // The period's cells without their month, and each month's alone (for the per-month series).
  const byMonth = new Map<string, Cells>(period.months.map((m) => [m, {}]));
  for (const [key, n] of Object.entries(input.cells)) {
    const month = byMonth.get(key.slice(0, 7));
    if (month) month[key.slice(8)] = (month[key.slice(8)] ?? 0) + n;
  }
  const c = [...byMonth.values()].reduce((all, m) => addCells(all, m), {});
  const at = (figure: string) => c[figure] ?? 0;
  const histogram = (prefix: string) =>
    [...byMonth.values()].reduce(
      (h, m) => mergeHistograms(h, histogramFromCells(m, prefix)),
      emptyHistogram(),
    );

  const pendingDue = openCounts(c, FIGURE.pendingDue);
  const lateDays: Cells = {};
  for (const [due, n] of Object.entries(pendingDue)) {
    if (due >= today) continue;
    for (const [key, v] of Object.entries(histogramCells('over', input.businessDaysOver(due)))) {
      lateDays[key] = (lateDays[key] ?? 0) + v * n;
    }
  }
  const pendingLate = Object.entries(pendingDue).reduce((s, [due, n]) => (due < today ? s + n : s), 0);
  const suspended = at(FIGURE.pendingSuspended);

  const ratings = counts(c, FIGURE.satisfaction, ['1', '2', '3', '4', '5']);
  const rated = sum(ratings);

  const breakdown = (b: Breakdown) =>
    suppressSmallCells(
      [...BREAKDOWNS[b], NOT_GIVEN].map((value) => ({ value, count: at(`${breakdownFigure(b)}|${value}`) })),
      k,
    );

  return {
    period: { label: period.label, from: period.from, to: period.to },
    entityId: input.entityId,
    asOf: today,
    received: {
      total: at(FIGURE.received),
      byKind: counts(c, FIGURE.byKind, KINDS),
      byChannel: counts(c, FIGURE.byChannel, CHANNELS),
      byTermClass: counts(c, FIGURE.byTermClass, TERM_CLASSES),
    },
    answered: {
      total: at(FIGURE.onTime) + at(FIGURE.late),
      onTime: at(FIGURE.onTime),
      late: at(FIGURE.late),
      daysOver: days(histogram(FIGURE.daysOver)),
    },
    pending: {
      total: sum(pendingDue) + suspended,
      suspended,
      onTerm: sum(pendingDue) - pendingLate,
      late: pendingLate,
      daysOver: days(histogramFromCells(lateDays, 'over')),
    },
    daysToAnswer: days(histogram(FIGURE.days)),
    extended: at(FIGURE.extended),
    forwarded: {
      total: at(FIGURE.forwarded),
      late: at(FIGURE.forwardedLate),
      to: openCounts(c, FIGURE.forwardedTo),
    },
    noCompetentAuthority: at(FIGURE.noCompetentAuthority),
    completionRequested: at(FIGURE.completionRequested),
    withdrawn: { tacit: at(FIGURE.withdrawnTacit), express: at(FIGURE.withdrawnExpress) },
    deemedAccepted: at(FIGURE.deemedAccepted),
    denied: {
      full: at(FIGURE.deniedFull),
      partial: at(FIGURE.deniedPartial),
      byGround: openCounts(c, FIGURE.deniedByGround),
    },
    answeredByReference: at(FIGURE.byReference),
    satisfaction: {
      count: rated,
      mean:
        rated === 0
          ? null
          : Math.round((Object.entries(ratings).reduce((s, [r, n]) => s + Number(r) * n, 0) / rated) * 100) /
            100,
      distribution: ratings,
    },
    breakdowns: {
      k,
      department: breakdown('department').map((cell) => {
        const name = departmentName(cell.value);
        return name === undefined ? cell : { ...cell, name };
      }),
      gender: breakdown('gender'),
      ageBand: breakdown('ageBand'),
      preferential: breakdown('preferential'),
    },
    months: Object.fromEntries(
      [...byMonth].map(([month, m]) => [
        month,
        {
          received: m[FIGURE.received] ?? 0,
          answeredOnTime: m[FIGURE.onTime] ?? 0,
          answeredLate: m[FIGURE.late] ?? 0,
          pending: sum(openCounts(m, FIGURE.pendingDue)) + (m[FIGURE.pendingSuspended] ?? 0),
        },
      ]),
    ),
  };
}

/** The CSV columns of the report, with what each holds (its data dictionary). */
export const REPORT_CSV_DICTIONARY = [
  {
    column: 'dimension',
    type: 'text',
    description: 'The figure, as a dotted path of the JSON report: received.byKind, daysToAnswer, …',
  },
  { column: 'key', type: 'text', description: 'The value within it: petition, mean, 2026-07, …' },
  {
    column: 'value',
    type: 'number or text',
    description: 'The count or measure; empty: suppressed (fewer than k petitioners) or none to measure',
  },
] as const;

/** The data dictionary of the report's CSV, as CSV (column, type, description). */
export function reportCsvDictionary(): string {
  return (
    csvLine(['column', 'type', 'description']) +
    REPORT_CSV_DICTIONARY.map((d) => csvLine([d.column, d.type, d.description])).join('')
  );
}

/**
 * The report as (dimension, key, value) rows: every leaf of the JSON by its path, a breakdown's
 * cells by their value (`breakdowns.department`, `05`, the count, or empty when suppressed).
 */
export function reportCsv(report: PqrsdReport): string {
  const lines = [csvLine(REPORT_CSV_DICTIONARY.map((d) => d.column))];
  const walk = (path: readonly string[], v: unknown): void => {
    if (Array.isArray(v)) {
      for (const cell of v as PqrsdReport['breakdowns']['department']) {
        lines.push(csvLine([path.join('.'), cell.value, cell.count]));
      }
      return;
    }
    if (v !== null && typeof v === 'object') {
      for (const [key, child] of Object.entries(v)) walk([...path, key], child);
      return;
    }
    // A top-level figure (extended, entityId) is its own dimension, with no key.
    const [dimension, key] = path.length === 1 ? [path[0]!, ''] : [path.slice(0, -1).join('.'), path.at(-1)!];
    lines.push(csvLine([dimension, key, v as string | number | null]));
  };
  walk([], report);
  return lines.join('');
}
