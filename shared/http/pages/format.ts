/**
 * Dates, numbers and period labels as people read them: Spanish of Colombia (es-CO: 1.234.567,5;
 * 3 de diciembre de 2026) or English (en-US). Days are Bogotá days. Pure.
 */
import type { Locale } from '#domain/issues.ts';

export type { Locale };

/** Picks the text of the page's language: `w('Periodo', 'Period')`. */
export type Words = (es: string, en: string) => string;
export const words =
  (locale: Locale): Words =>
  (es, en) =>
    locale === 'es' ? es : en;

const INTL: Record<Locale, string> = { es: 'es-CO', en: 'en-US' };
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const dateFormat = (locale: Locale, options: Intl.DateTimeFormatOptions, timeZone: string) =>
  new Intl.DateTimeFormat(INTL[locale], { ...options, timeZone });

/**
 * `3 de diciembre de 2026` / `December 3, 2026`, of a `YYYY-MM-DD` day (that very day) or of an
 * ISO instant (its day in Bogotá: 2026-12-04T03:00:00Z is still 3 December there).
 */
export function longDate(dayOrInstant: string, locale: Locale): string {
  // A plain day is read as UTC midnight and written in UTC, so no time zone can move it.
  return DAY.test(dayOrInstant)
    ? dateFormat(locale, { dateStyle: 'long' }, 'UTC').format(new Date(`${dayOrInstant}T00:00:00Z`))
    : dateFormat(locale, { dateStyle: 'long' }, 'America/Bogota').format(new Date(dayOrInstant));
}

/** `noviembre de 2026` / `November 2026`; short, for chart axes: `nov 2026` / `Nov 2026`. */
export function monthName(yyyyMm: string, locale: Locale, form: 'long' | 'short' = 'long'): string {
  const date = new Date(`${yyyyMm}-01T00:00:00Z`);
  if (form === 'long') return dateFormat(locale, { month: 'long', year: 'numeric' }, 'UTC').format(date);
  return `${dateFormat(locale, { month: 'short' }, 'UTC').format(date)} ${yyyyMm.slice(0, 4)}`;
}

/** `1.234.567,5` / `1,234,567.5`; with `fractionDigits`, exactly that many decimals. */
export function num(n: number, locale: Locale, fractionDigits?: number): string {
  const digits =
    fractionDigits === undefined
      ? {}
      : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits };
  // es-CO groups from four digits (1.234), as Colombian documents write them.
  return new Intl.NumberFormat(INTL[locale], { useGrouping: 'always', ...digits }).format(n);
}

/** A share from 0 to 1 with one decimal: `12,5 %` (a non-breaking space, as Spanish writes it) / `12.5%`. */
export function pct(share: number, locale: Locale): string {
  const value = num(share * 100, locale, 1);
  return locale === 'es' ? `${value}\u00a0%` : `${value}%`;
}

const ORDINALS: Record<Locale, readonly string[]> = {
  es: ['primer', 'segundo', 'tercer', 'cuarto'],
  en: ['first', 'second', 'third', 'fourth'],
};

/**
 * A report period's label in words: `2026`, `segundo semestre de 2026`, `tercer trimestre de
 * 2026`, `noviembre de 2026`, `del 1 de enero de 2026 al 31 de marzo de 2026` (periods.ts labels);
 * anything else as given.
 */
export function periodLabel(label: string, locale: Locale): string {
  const named = /^(\d{4})-([SQ])([1-4])$/.exec(label);
  if (named) {
    const [, year, part, n] = named;
    const ordinal = ORDINALS[locale][Number(n) - 1];
    if (locale === 'es') return `${ordinal} ${part === 'S' ? 'semestre' : 'trimestre'} de ${year}`;
    return `${ordinal} ${part === 'S' ? 'half' : 'quarter'} of ${year}`;
  }
  if (/^\d{4}-\d{2}$/.test(label)) return monthName(label, locale);
  const range = /^(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})$/.exec(label);
  if (range) {
    const [from, to] = [longDate(range[1]!, locale), longDate(range[2]!, locale)];
    return locale === 'es' ? `del ${from} al ${to}` : `${from} to ${to}`;
  }
  return label;
}
