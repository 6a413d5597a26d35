/**
 * Colombian national holidays (días festivos), as data with their legal source, for 1984–2100.
 *
 * - Ley 51 de 1983, art. 1: fixed dates, Holy Thursday and Good Friday; the other dates move to the
 *   next Monday when they do not fall on a Monday ("ley Emiliani"); the Easter-based feasts of
 *   Ascension, Corpus Christi and Sacred Heart are observed on the Monday that the law names
 *   (Easter + 43, + 64, + 71).
 * - Ley 2578 de 2026: 9 July (Nuestra Señora del Rosario de Chiquinquirá), from 2026, moved to the
 *   next Monday like the Emiliani dates. (RULES.md labels it "Batalla de Boyacá / new national date";
 *   7 August keeps that name; the law's text and the date-holidays data name the Virgin of Chiquinquirá.)
 *
 * Ley 51 de 1983 (22 December 1983) governs from 1984: earlier years and years after 2100 are outside
 * the supported range and answered with an error, never with a guess.
 */
import { dayFromCivil, formatDay, weekday } from './dates.ts';
import { ClockError } from './errors.ts';

export const FIRST_YEAR = 1984;
export const LAST_YEAR = 2100;

interface RuleBase {
  readonly id: string;
  readonly name: string;
  readonly law: string;
  readonly fromYear?: number;
}

type DateRule<K> = RuleBase & { readonly kind: K; readonly month: number; readonly day: number };

export type HolidayRule =
  | DateRule<'fixed'>
  /** Moved to the next Monday when it does not fall on a Monday. */
  | DateRule<'emiliani'>
  /** Days after Easter Sunday (negative: before). */
  | (RuleBase & { readonly kind: 'easter'; readonly offset: number });

const L51 = 'Ley 51 de 1983, art. 1';
const L51_MOVED = 'Ley 51 de 1983, art. 1 (trasladado al lunes siguiente)';

/** Every national holiday rule, in calendar order. */
export const HOLIDAY_RULES: readonly HolidayRule[] = [
  { id: 'new_year', name: 'Año Nuevo', kind: 'fixed', month: 1, day: 1, law: L51 },
  { id: 'epiphany', name: 'Día de los Reyes Magos', kind: 'emiliani', month: 1, day: 6, law: L51_MOVED },
  { id: 'saint_joseph', name: 'Día de San José', kind: 'emiliani', month: 3, day: 19, law: L51_MOVED },
  { id: 'holy_thursday', name: 'Jueves Santo', kind: 'easter', offset: -3, law: L51 },
  { id: 'good_friday', name: 'Viernes Santo', kind: 'easter', offset: -2, law: L51 },
  { id: 'labour_day', name: 'Día del Trabajo', kind: 'fixed', month: 5, day: 1, law: L51 },
  { id: 'ascension', name: 'Ascensión del Señor', kind: 'easter', offset: 43, law: L51_MOVED },
  { id: 'corpus_christi', name: 'Corpus Christi', kind: 'easter', offset: 64, law: L51_MOVED },
  { id: 'sacred_heart', name: 'Sagrado Corazón de Jesús', kind: 'easter', offset: 71, law: L51_MOVED },
  {
    id: 'saints_peter_paul',
    name: 'San Pedro y San Pablo',
    kind: 'emiliani',
    month: 6,
    day: 29,
    law: L51_MOVED,
  },
  {
    id: 'chiquinquira',
    name: 'Nuestra Señora del Rosario de Chiquinquirá',
    kind: 'emiliani',
    month: 7,
    day: 9,
    law: 'Ley 2578 de 2026 (trasladado al lunes siguiente)',
    fromYear: 2026,
  },
  { id: 'independence', name: 'Día de la Independencia', kind: 'fixed', month: 7, day: 20, law: L51 },
  { id: 'boyaca', name: 'Batalla de Boyacá', kind: 'fixed', month: 8, day: 7, law: L51 },
  { id: 'assumption', name: 'Asunción de la Virgen', kind: 'emiliani', month: 8, day: 15, law: L51_MOVED },
  { id: 'columbus', name: 'Día de la Raza', kind: 'emiliani', month: 10, day: 12, law: L51_MOVED },
  { id: 'all_saints', name: 'Todos los Santos', kind: 'emiliani', month: 11, day: 1, law: L51_MOVED },
  {
    id: 'cartagena',
    name: 'Independencia de Cartagena',
    kind: 'emiliani',
    month: 11,
    day: 11,
    law: L51_MOVED,
  },
  { id: 'immaculate', name: 'Inmaculada Concepción', kind: 'fixed', month: 12, day: 8, law: L51 },
  { id: 'christmas', name: 'Navidad', kind: 'fixed', month: 12, day: 25, law: L51 },
];

/** Easter Sunday (Gregorian computus, Meeus/Jones/Butcher) as a day number. */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayFromCivil(year, month, day);
}

/** Next Monday on or after a day (the Emiliani move). */
export function mondayOnOrAfter(day: number): number {
  return day + ((8 - weekday(day)) % 7);
}

/** The day a rule falls on in a year, or `undefined` when it does not apply that year. */
export function ruleDay(rule: HolidayRule, year: number): number | undefined {
  if (rule.fromYear !== undefined && year < rule.fromYear) return undefined;
  switch (rule.kind) {
    case 'fixed':
      return dayFromCivil(year, rule.month, rule.day);
    case 'emiliani':
      return mondayOnOrAfter(dayFromCivil(year, rule.month, rule.day));
    case 'easter':
      return easterSunday(year) + rule.offset;
  }
}

/** One holiday date; two rules can share it (2025-06-30: San Pedro y San Pablo and Sagrado Corazón). */
export interface Holiday {
  readonly date: string;
  readonly day: number;
  readonly names: readonly string[];
  readonly rules: readonly HolidayRule[];
}

function assertYear(year: number, field: string): void {
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) {
    throw new ClockError(
      'out_of_range',
      field,
      `year ${year} is outside the supported holiday table ${FIRST_YEAR}–${LAST_YEAR} (Ley 51 de 1983 governs from 1984)`,
    );
  }
}

/** The distinct holiday dates of a year, in order, each with every rule that falls on it. */
export function holidaysOf(year: number): Holiday[] {
  assertYear(year, 'year');
  const byDay = new Map<number, HolidayRule[]>();
  for (const rule of HOLIDAY_RULES) {
    const d = ruleDay(rule, year);
    if (d === undefined) continue;
    const list = byDay.get(d);
    if (list) list.push(rule);
    else byDay.set(d, [rule]);
  }
  return [...byDay.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([day, rules]) => ({ date: formatDay(day), day, names: rules.map((r) => r.name), rules }));
}
