/** The ids of e-participation, as patterns (their own module: comments and consultations both use them). */
import { pattern } from '../issues.ts';

/** `MINTIC-C-7K2M9Q4X`: the entity, then 8 Crockford base32 characters. */
export const CONSULTATION_ID = pattern(
  /^[A-Z][A-Z0-9_]{1,19}-C-[0-9A-HJKMNP-TV-Z]{8}$/,
  'el id de una consulta, como MINTIC-C-7K2M9Q4X',
  'a consultation id such as MINTIC-C-7K2M9Q4X',
);
/** A consultation's section: `s1`, `s2`… */
export const SECTION_ID = pattern(
  /^s[1-9][0-9]{0,2}$/,
  'el id de una sección de la consulta, como s1',
  'a section id such as s1',
);
