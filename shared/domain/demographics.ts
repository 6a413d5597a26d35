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
export const AGE_BANDS = ['under_18', '18_28', '29_44', '45_59', '60_plus'] as const;

/** As DANE asks it; `not_given` is what an absent answer counts as. */
export const GENDERS = ['female', 'male', 'non_binary', 'other'] as const;
export type Gender = (typeof GENDERS)[number];
