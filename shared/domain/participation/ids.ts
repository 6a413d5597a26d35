/** The ids of e-participation, as patterns (their own module: comments and consultations both use them). */

/** `MINTIC-C-7K2M9Q4X`: the entity, then 8 Crockford base32 characters. */
export const CONSULTATION_ID = /^[A-Z][A-Z0-9_]{1,19}-C-[0-9A-HJKMNP-TV-Z]{8}$/;
/** A consultation's section: `s1`, `s2`… */
export const SECTION_ID = /^s[1-9][0-9]{0,2}$/;
