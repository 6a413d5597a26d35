/**
 * Report periods (issue 15): a year `2026`, a semester `2026-S2`, a quarter `2026-Q3`, a month
 * `2026-11`, or `from`/`to` dates (YYYY-MM-DD, both included), all on the Bogotá calendar
 * (America/Bogota, UTC−5, no daylight saving). Pure.
 *
 * Counters are kept per entity and Bogotá month (contributions.ts), so a period is a union of whole
 * months: `from` must be a month's first day and `to` a month's last (refused `unaligned` otherwise).
 */
import { bogotaDay, daysInMonth, parseDay } from '../clock/dates.ts';
import { LAST_YEAR } from '../clock/holidays.ts';
import { type FieldIssue, fieldIssue, type IssueCode, type Phrase, phrase } from '../issues.ts';

/** Receipts before 2015 fall under no rule set of the clock (clock/dates.ts); its calendar ends in LAST_YEAR. */
export const FIRST_REPORT_YEAR = 2015;
export const LAST_REPORT_YEAR = LAST_YEAR;
/** A read costs O(months × dimensions): ten years is the longest range served at once. */
export const MAX_PERIOD_MONTHS = 120;

/** Why a period is refused, and the field issue code each maps to. */
const ISSUE_OF = {
  /** Neither `period` nor `from`/`to`, or only one of `from` and `to`. */
  missing: 'required',
  /** Both `period` and `from`/`to`. */
  conflict: 'conflict',
  /** Not one of the period forms, or not a real date. */
  malformed: 'invalid_format',
  /** Before FIRST_REPORT_YEAR or after LAST_REPORT_YEAR. */
  out_of_range: 'not_allowed',
  /** `from` after `to`. */
  inverted: 'invalid_value',
  /** `from` not the first day of a month, or `to` not the last. */
  unaligned: 'invalid_value',
  /** More than MAX_PERIOD_MONTHS months. */
  too_long: 'too_large',
} as const satisfies Record<string, IssueCode>;
export type PeriodErrorCode = keyof typeof ISSUE_OF;

type PeriodField = 'period' | 'from' | 'to';

export class PeriodError extends Error {
  override readonly name = 'PeriodError';
  constructor(
    readonly code: PeriodErrorCode,
    /** The query parameter at fault. */
    readonly field: PeriodField,
    readonly phrase: Phrase,
  ) {
    super(`${field}: ${phrase.en}`);
  }

  /** The refusal as a field issue of the query (`query.period`, …). */
  get issue(): FieldIssue {
    return fieldIssue(`query.${this.field}`, ISSUE_OF[this.code], this.phrase.es, this.phrase.en);
  }
}

export interface Period {
  /** First day, YYYY-MM-DD (Bogotá). */
  readonly from: string;
  /** Last day, included. */
  readonly to: string;
  /** `2026`, `2026-S2`, `2026-Q3`, `2026-11`, or `2026-01-01/2026-03-31` (an ISO 8601 interval). */
  readonly label: string;
  /** The months it spans, `YYYY-MM`, in order. */
  readonly months: readonly string[];
}

/** The Bogotá month (`YYYY-MM`) of an instant: 2026-07-01T04:59Z is still June in Bogotá. */
export function bogotaMonth(at: string): string {
  return bogotaDay(at).slice(0, 7);
}

const pad2 = (n: number) => String(n).padStart(2, '0');
/** Months are numbered from year 0 (year × 12 + month − 1), so ranges are plain integer ranges. */
const monthKey = (index: number) => `${Math.floor(index / 12)}-${pad2((index % 12) + 1)}`;
const lastDay = (year: number, month: number) => `${year}-${pad2(month)}-${pad2(daysInMonth(year, month))}`;

function span(label: string, year: number, first: number, last: number): Period {
  const start = year * 12 + first - 1;
  return {
    from: `${year}-${pad2(first)}-01`,
    to: lastDay(year, last),
    label,
    months: Array.from({ length: last - first + 1 }, (_, i) => monthKey(start + i)),
  };
}

function checkYear(year: number, field: PeriodField): void {
  if (year < FIRST_REPORT_YEAR || year > LAST_REPORT_YEAR) {
    throw new PeriodError(
      'out_of_range',
      field,
      phrase(
        `se informan los años ${FIRST_REPORT_YEAR} a ${LAST_REPORT_YEAR}, no ${year}`,
        `years ${FIRST_REPORT_YEAR} to ${LAST_REPORT_YEAR} are reported, not ${year}`,
      ),
    );
  }
}

const PERIOD = /^(\d{4})(?:-(?:([SQ])(\d)|(\d{2})))?$/;

/** A named period: `2026`, `2026-S1`, `2026-Q4`, `2026-11`. */
function namedPeriod(text: string): Period {
  const m = PERIOD.exec(text);
  const part = m?.[2];
  const n = Number(m?.[3] ?? m?.[4]);
  const valid =
    m !== null &&
    (part === 'S'
      ? n >= 1 && n <= 2
      : part === 'Q'
        ? n >= 1 && n <= 4
        : m[4] === undefined || (n >= 1 && n <= 12));
  if (!valid) {
    throw new PeriodError(
      'malformed',
      'period',
      phrase(
        `use AAAA, AAAA-S1 o S2 (semestre), AAAA-Q1 a Q4 (trimestre) o AAAA-MM (mes), no ${JSON.stringify(text)}`,
        `expected YYYY, YYYY-S1|S2, YYYY-Q1..Q4 or YYYY-MM, got ${JSON.stringify(text)}`,
      ),
    );
  }
  const year = Number(m[1]);
  checkYear(year, 'period');
  if (part === 'S') return span(text, year, n * 6 - 5, n * 6);
  if (part === 'Q') return span(text, year, n * 3 - 2, n * 3);
  return m[4] === undefined ? span(text, year, 1, 12) : span(text, year, n, n);
}

function dayOf(text: string, field: 'from' | 'to'): { year: number; month: number; day: number } {
  if (parseDay(text) === undefined) {
    throw new PeriodError(
      'malformed',
      field,
      phrase(
        `use una fecha AAAA-MM-DD que exista, no ${JSON.stringify(text)}`,
        `expected a real date YYYY-MM-DD, got ${JSON.stringify(text)}`,
      ),
    );
  }
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  checkYear(year, field);
  return { year, month, day };
}

function range(fromText: string, toText: string): Period {
  const from = dayOf(fromText, 'from');
  const to = dayOf(toText, 'to');
  if (fromText > toText) {
    throw new PeriodError(
      'inverted',
      'from',
      phrase(`${fromText} es posterior a to (${toText})`, `${fromText} is after to (${toText})`),
    );
  }
  // Counts are kept per month: a partial month cannot be told apart from the whole of it.
  if (from.day !== 1) {
    const first = `${fromText.slice(0, 7)}-01`;
    throw new PeriodError(
      'unaligned',
      'from',
      phrase(
        `las cifras se llevan por mes: from debe ser el primer día de un mes, como ${first}`,
        `figures are kept per month: from must be the first day of a month, such as ${first}`,
      ),
    );
  }
  if (toText !== lastDay(to.year, to.month)) {
    const last = lastDay(to.year, to.month);
    throw new PeriodError(
      'unaligned',
      'to',
      phrase(
        `las cifras se llevan por mes: to debe ser el último día de un mes, como ${last}`,
        `figures are kept per month: to must be the last day of a month, such as ${last}`,
      ),
    );
  }
  const start = from.year * 12 + from.month - 1;
  const count = to.year * 12 + to.month - start;
  if (count > MAX_PERIOD_MONTHS) {
    throw new PeriodError(
      'too_long',
      'to',
      phrase(
        `son ${count} meses: se informan a lo sumo ${MAX_PERIOD_MONTHS} a la vez`,
        `${count} months: at most ${MAX_PERIOD_MONTHS} are reported at once`,
      ),
    );
  }
  return {
    from: fromText,
    to: toText,
    label: `${fromText}/${toText}`,
    months: Array.from({ length: count }, (_, i) => monthKey(start + i)),
  };
}

/** The period a request asks for (its `period`, or its `from` and `to`); a PeriodError otherwise. */
export function parsePeriod(query: {
  period?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}): Period {
  const { period, from, to } = query;
  if (period !== undefined) {
    if (from !== undefined || to !== undefined) {
      throw new PeriodError(
        'conflict',
        'period',
        phrase('indique period, o from y to, no ambos', 'give period, or from and to, not both'),
      );
    }
    return namedPeriod(period);
  }
  if (from === undefined || to === undefined) {
    throw new PeriodError(
      'missing',
      from === undefined ? 'from' : 'to',
      phrase(
        'indique period (2026, 2026-S2, 2026-Q3, 2026-11), o from y to (AAAA-MM-DD)',
        'give period (2026, 2026-S2, 2026-Q3, 2026-11), or both from and to (YYYY-MM-DD)',
      ),
    );
  }
  return range(from, to);
}
