/**
 * What a person may tell about themselves for statistics, always optional and never linked back to
 * them in an output (comments, satisfaction ratings, reports): stable ids, shown in Spanish by UIs.
 */

/** Colombian departments (DIVIPOLA codes of DANE), Bogotá D.C. included. */
export const DEPARTMENTS = [
  '05',
  '08',
  '11',
  '13',
  '15',
  '17',
  '18',
  '19',
  '20',
  '23',
  '25',
  '27',
  '41',
  '44',
  '47',
  '50',
  '52',
  '54',
  '63',
  '66',
  '68',
  '70',
  '73',
  '76',
  '81',
  '85',
  '86',
  '88',
  '91',
  '94',
  '95',
  '97',
  '99',
] as const;
export type Department = (typeof DEPARTMENTS)[number];

/** The departments' names as DANE's DIVIPOLA gives them, for public outputs beside the codes. */
export const DEPARTMENT_NAMES: Readonly<Record<Department, string>> = {
  '05': 'Antioquia',
  '08': 'Atlántico',
  '11': 'Bogotá, D.C.',
  '13': 'Bolívar',
  '15': 'Boyacá',
  '17': 'Caldas',
  '18': 'Caquetá',
  '19': 'Cauca',
  '20': 'Cesar',
  '23': 'Córdoba',
  '25': 'Cundinamarca',
  '27': 'Chocó',
  '41': 'Huila',
  '44': 'La Guajira',
  '47': 'Magdalena',
  '50': 'Meta',
  '52': 'Nariño',
  '54': 'Norte de Santander',
  '63': 'Quindío',
  '66': 'Risaralda',
  '68': 'Santander',
  '70': 'Sucre',
  '73': 'Tolima',
  '76': 'Valle del Cauca',
  '81': 'Arauca',
  '85': 'Casanare',
  '86': 'Putumayo',
  '88': 'Archipiélago de San Andrés, Providencia y Santa Catalina',
  '91': 'Amazonas',
  '94': 'Guainía',
  '95': 'Guaviare',
  '97': 'Vaupés',
  '99': 'Vichada',
};

/** A department code's name, or undefined for `not_given` or a code not on the list. */
export function departmentName(code: string): string | undefined {
  return (DEPARTMENT_NAMES as Record<string, string>)[code];
}

/** The formats as an API document states them (the codes with their names; the bands). */
export const DEPARTMENT_FORMAT = `DIVIPOLA department code of DANE, two digits: ${DEPARTMENTS.map((d) => `${d} ${DEPARTMENT_NAMES[d]}`).join('; ')}`;

export const AGE_BANDS = ['under_18', '18_28', '29_44', '45_59', '60_plus'] as const;

export const AGE_BAND_FORMAT =
  'Age band in years: under_18 (under 18), 18_28, 29_44, 45_59 (both ends included), 60_plus (60 or more)';

/** As DANE asks it; `not_given` is what an absent answer counts as. */
export const GENDERS = ['female', 'male', 'non_binary', 'other'] as const;
export type Gender = (typeof GENDERS)[number];
