/**
 * Counts of people by an attribute they chose to give (department, gender, age band, preferential
 * group), as the PQRSD report and the consultations publish them: small cells already suppressed
 * (participation/disclosure.ts), shown as withheld, never guessed back. Pure.
 */

import type { PREFERENTIAL_GROUPS } from '#domain/case/filing.ts';
import type { AGE_BANDS, GENDERS } from '#domain/demographics.ts';
import type { Phrase } from '#domain/issues.ts';
import type { PublishedCell } from '#domain/participation/disclosure.ts';
import type { NOT_GIVEN } from '#domain/transparency/contributions.ts';
import { NO_DATA } from './charts.ts';
import { type Locale, num } from './format.ts';
import { escapeHtml, table } from './layout.ts';

type Labels<T extends readonly string[]> = Readonly<Record<T[number] | typeof NOT_GIVEN, Phrase>>;

const notGiven: Phrase = { es: 'No informado', en: 'Not given' };

export const GENDER_LABELS: Labels<typeof GENDERS> = {
  female: { es: 'Mujer', en: 'Woman' },
  male: { es: 'Hombre', en: 'Man' },
  non_binary: { es: 'No binario', en: 'Non-binary' },
  other: { es: 'Otro', en: 'Other' },
  not_given: notGiven,
};

export const AGE_BAND_LABELS: Labels<typeof AGE_BANDS> = {
  under_18: { es: 'Menos de 18 años', en: 'Under 18' },
  '18_28': { es: '18 a 28 años', en: '18 to 28' },
  '29_44': { es: '29 a 44 años', en: '29 to 44' },
  '45_59': { es: '45 a 59 años', en: '45 to 59' },
  '60_plus': { es: '60 años o más', en: '60 or older' },
  not_given: notGiven,
};

export const PREFERENTIAL_LABELS: Labels<typeof PREFERENTIAL_GROUPS> = {
  child_or_adolescent: { es: 'Niña, niño o adolescente', en: 'Child or adolescent' },
  older_adult: { es: 'Persona mayor', en: 'Older adult' },
  disability: { es: 'Persona con discapacidad', en: 'Person with a disability' },
  pregnant: { es: 'Mujer gestante', en: 'Pregnant woman' },
  victim: { es: 'Víctima', en: 'Victim' },
  // No group chosen and no answer are one and the same to the counters.
  not_given: { es: 'Ninguno o no informado', en: 'None or not given' },
};

/** Departments carry their DANE name; only `not_given` needs a label. */
export const DEPARTMENT_LABELS: Readonly<Record<string, Phrase>> = { not_given: notGiven };

const WITHHELD: Record<Locale, string> = { es: 'reservado', en: 'withheld' };

/**
 * Why some cells read "reservado": counts of 1 to k − 1 people are withheld, and so is a second
 * cell whenever a lone withheld one could be worked out from the total (so a withheld cell is not
 * always under k).
 */
export function withheldNote(k: number, locale: Locale): string {
  return locale === 'es'
    ? `Para proteger la identidad de quienes los dieron, las cifras de menos de ${num(k, locale)} personas se muestran como «reservado», y también otra cifra cuando una sola reservada podría deducirse del total. No se muestran los valores sin ninguna persona.`
    : `To protect the identity of those who gave them, counts of fewer than ${num(k, locale)} people are shown as “withheld”, and so is one more count whenever a single withheld one could be worked out from the total. Values with nobody are not shown.`;
}

/** One attribute's counts as a table, values with nobody left out. */
export function breakdownTable(input: {
  caption: string;
  rowHead: string;
  valueHead: string;
  cells: readonly (PublishedCell & { name?: string | undefined })[];
  labels: Readonly<Record<string, Phrase>>;
  locale: Locale;
}): string {
  const { locale } = input;
  const shown = input.cells.filter((c) => c.count !== 0);
  if (shown.length === 0) return `<p><strong>${escapeHtml(input.caption)}</strong> ${NO_DATA[locale]}</p>`;
  return table({
    caption: input.caption,
    columns: [{ label: input.rowHead }, { label: input.valueHead, type: 'number' }],
    rows: shown.map((c) => [
      c.name ?? input.labels[c.value]?.[locale] ?? c.value,
      c.count === null ? WITHHELD[locale] : num(c.count, locale),
    ]),
  });
}
