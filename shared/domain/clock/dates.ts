/**
 * Calendar arithmetic on whole days, without `Date`: a day is an integer (days since 1970-01-01),
 * converted to and from the proleptic Gregorian calendar with Howard Hinnant's civil algorithms.
 * Instants are parsed by hand and placed in America/Bogota (UTC−5, no daylight saving).
 *
 * Colombia last changed its offset in 1992–1993 (UTC−4, "hora Gaviria"). No rule set of the clock
 * covers receipts before 2015, so a constant UTC−5 is exact for every instant the clock accepts
 * as a receipt; the calendar helpers work on dates, not instants.
 */
import { ClockError } from './errors.ts';

/** Seconds that Bogota is behind UTC. */
export const BOGOTA_OFFSET_SECONDS = -5 * 3600;
export const SECONDS_PER_DAY = 86_400;

/** Weekday of a day number: 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  const w = (day + 4) % 7;
  return w < 0 ? w + 7 : w;
}

export const WEEKDAY_NAMES_ES = ['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'] as const;

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : (MONTH_DAYS[m - 1] ?? 0);
}

/** Day number of a civil date (month 1–12). */
export function dayFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export interface Civil {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Civil date of a day number. */
export function civilFromDay(z0: number): Civil {
  const z = z0 + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** `YYYY-MM-DD` of a day number (years 0–9999). */
export function formatDay(day: number): string {
  const c = civilFromDay(day);
  return `${c.year}-${pad2(c.month)}-${pad2(c.day)}`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a strict `YYYY-MM-DD`, or `undefined` when it is not a real calendar date. */
export function parseDay(s: string): number | undefined {
  const m = DATE_RE.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return dayFromCivil(y, mo, d);
}

/** A point in time placed in Bogota: its calendar day and the second of that day. */
export interface BogotaInstant {
  /** Bogota calendar day (day number). */
  readonly day: number;
  /** Seconds since Bogota midnight, 0 … 86 399. */
  readonly second: number;
  /** Seconds since the Unix epoch (for ordering events). */
  readonly epoch: number;
  /** True when the input was a bare date (`YYYY-MM-DD`, a Bogota calendar day, no time). */
  readonly dateOnly: boolean;
}

/**
 * ISO 8601 instant with an explicit offset (`Z` or `±HH:MM`), seconds and fraction optional,
 * or a bare Bogota date. A local time without offset is refused: it would be a guess.
 */
const INSTANT_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2}))?$/;

/** Parses an instant (see INSTANT_RE); `undefined` when malformed or not a real date/time. */
export function parseInstant(s: string): BogotaInstant | undefined {
  const m = INSTANT_RE.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  const civilDay = dayFromCivil(y, mo, d);
  if (m[4] === undefined) {
    // A bare date is a Bogota calendar day; its epoch is Bogota midnight.
    return { day: civilDay, second: 0, epoch: civilDay * SECONDS_PER_DAY - BOGOTA_OFFSET_SECONDS, dateOnly: true };
  }
  const hh = Number(m[4]);
  const mi = Number(m[5]);
  const ss = m[6] === undefined ? 0 : Number(m[6]);
  if (hh > 23 || mi > 59 || ss > 59) return undefined;
  const zone = m[7] ?? 'Z';
  let offset = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.charCodeAt(0) === 45 ? -1 : 1;
    const digits = zone.length === 6 ? zone.slice(1, 3) + zone.slice(4) : zone.slice(1);
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (oh > 14 || om > 59) return undefined;
    offset = sign * (oh * 3600 + om * 60);
  }
  const epoch = civilDay * SECONDS_PER_DAY + hh * 3600 + mi * 60 + ss - offset;
  const local = epoch + BOGOTA_OFFSET_SECONDS;
  const day = Math.floor(local / SECONDS_PER_DAY);
  return { day, second: local - day * SECONDS_PER_DAY, epoch, dateOnly: false };
}

/** `HH:MM` → seconds since midnight, or `undefined`. */
export function parseHhmm(s: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(s);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 : undefined;
}

/**
 * The same day number `months` later (Ley 4 de 1913, art. 59: a term of months ends on the day with
 * the same number; when that month is shorter, on its last day).
 */
export function addMonthsToDay(day: number, months: number): number {
  const c = civilFromDay(day);
  const total = c.year * 12 + (c.month - 1) + months;
  const y = Math.floor(total / 12);
  const mo = (total % 12) + 1;
  return dayFromCivil(y, mo, Math.min(c.day, daysInMonth(y, mo)));
}

/** Parses a `YYYY-MM-DD` or throws a ClockError naming `field`. */
export function requireDay(s: string, field: string): number {
  const d = parseDay(s);
  if (d === undefined) throw new ClockError('invalid', field, `expected a date YYYY-MM-DD, got ${JSON.stringify(s)}`);
  return d;
}

/** Parses an instant or throws a ClockError naming `field`. */
export function requireInstant(s: string, field: string): BogotaInstant {
  const i = parseInstant(s);
  if (i === undefined) {
    throw new ClockError(
      'invalid',
      field,
      `expected an ISO 8601 instant with offset (e.g. 2026-03-30T09:00:00-05:00) or a date YYYY-MM-DD, got ${JSON.stringify(s)}`,
    );
  }
  return i;
}
