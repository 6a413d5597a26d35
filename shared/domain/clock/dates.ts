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

export const WEEKDAY_NAMES_ES = [
  'domingo',
  'lunes',
  'martes',
  'miércoles',
  'jueves',
  'viernes',
  'sábado',
] as const;

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
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
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

function digits(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Parses an instant (the grammar of INSTANT_RE, by hand: this runs on every clock computation);
 * `undefined` when malformed or not a real date/time.
 */
export function parseInstant(s: string): BogotaInstant | undefined {
  const len = s.length;
  if (len < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  const civilDay = dayFromCivil(y, mo, d);
  if (len === 10) {
    // A bare date is a Bogota calendar day; its epoch is Bogota midnight.
    return {
      day: civilDay,
      second: 0,
      epoch: civilDay * SECONDS_PER_DAY - BOGOTA_OFFSET_SECONDS,
      dateOnly: true,
    };
  }
  const sep = s.charCodeAt(10);
  if ((sep !== 84 && sep !== 116 && sep !== 32) || len < 17 || s.charCodeAt(13) !== 58) return undefined;
  const hh = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  if (hh < 0 || hh > 23 || mi < 0 || mi > 59) return undefined;
  let i = 16;
  let ss = 0;
  if (s.charCodeAt(i) === 58) {
    ss = digits(s, i + 1, 2);
    if (ss < 0 || ss > 59) return undefined;
    i += 3;
    const dot = s.charCodeAt(i);
    if (dot === 46 || dot === 44) {
      let j = i + 1;
      while (j < len && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
      if (j === i + 1 || j - i - 1 > 9) return undefined;
      i = j;
    }
  }
  // The offset is required: a local time without one would be a guess.
  const z = s.charCodeAt(i);
  let offset = 0;
  if (z === 90 || z === 122) {
    if (i + 1 !== len) return undefined;
  } else if (z === 43 || z === 45) {
    const rest = len - i - 1;
    let oh: number;
    let om: number;
    if (rest === 5 && s.charCodeAt(i + 3) === 58) {
      oh = digits(s, i + 1, 2);
      om = digits(s, i + 4, 2);
    } else if (rest === 4) {
      oh = digits(s, i + 1, 2);
      om = digits(s, i + 3, 2);
    } else {
      return undefined;
    }
    if (oh < 0 || oh > 14 || om < 0 || om > 59) return undefined;
    offset = (z === 45 ? -1 : 1) * (oh * 3600 + om * 60);
  } else {
    return undefined;
  }
  const epoch = civilDay * SECONDS_PER_DAY + hh * 3600 + mi * 60 + ss - offset;
  const local = epoch + BOGOTA_OFFSET_SECONDS;
  const day = Math.floor(local / SECONDS_PER_DAY);
  return { day, second: local - day * SECONDS_PER_DAY, epoch, dateOnly: false };
}

/** The reference grammar of parseInstant (tests compare the two). */
export const INSTANT_PATTERN = INSTANT_RE;

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
  if (d === undefined)
    throw new ClockError('invalid', field, `expected a date YYYY-MM-DD, got ${JSON.stringify(s)}`);
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

/** The Bogota calendar day (`YYYY-MM-DD`) of an instant. */
export function bogotaDay(at: Date | string): string {
  const t = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return new Date(t + BOGOTA_OFFSET_SECONDS * 1000).toISOString().slice(0, 10);
}
