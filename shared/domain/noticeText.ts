/**
 * Words the notices share (email, SMS, published notices): Spanish dates and labels. Pure.
 */
import { INSISTENCE_DAYS, insistable } from './clock/rules.ts';
import type { Kind } from './vocabulary.ts';

const MONTHS = [
  'enero',
  'febrero',
  'marzo',
  'abril',
  'mayo',
  'junio',
  'julio',
  'agosto',
  'septiembre',
  'octubre',
  'noviembre',
  'diciembre',
];

/** `2026-05-04` → `4 de mayo de 2026`; anything else is returned as is. */
export function spanishDate(date: unknown): string {
  if (typeof date !== 'string') return 'fecha no disponible';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return date;
  const month = MONTHS[Number(m[2]) - 1];
  return month ? `${Number(m[3])} de ${month} de ${m[1]}` : date;
}

/** `2026-05-04` → `04/05/2026` (the short form an SMS has room for); anything else as is. */
export function shortDate(date: unknown): string {
  if (typeof date !== 'string') return 'sin fecha';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : date;
}

export const KIND_LABEL: Readonly<Record<Kind, string>> = {
  petition: 'petición',
  complaint: 'queja',
  claim: 'reclamo',
  suggestion: 'sugerencia',
  report: 'denuncia',
  information_request: 'solicitud de información',
  query: 'consulta',
};

/** The label with its article (`el reclamo`, `la denuncia`): Spanish nouns have a gender. */
export const KIND_WITH_ARTICLE: Readonly<Record<Kind, string>> = {
  petition: 'la petición',
  complaint: 'la queja',
  claim: 'el reclamo',
  suggestion: 'la sugerencia',
  report: 'la denuncia',
  information_request: 'la solicitud de información',
  query: 'la consulta',
};

export const OUTCOME_LABEL: Readonly<Record<string, string>> = {
  granted: 'favorable',
  partially_granted: 'parcialmente favorable',
  denied: 'desfavorable',
};

/** A non-empty string, or undefined. */
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * CPACA art. 67: a notice of a denial names the remedy and its term. Ley 1755 art. 26: after a
 * denial citing a reserve the petitioner may insist, within INSISTENCE_DAYS business days of the
 * notice. Undefined for an answer that cannot be insisted on.
 */
export function insistenceText(answer: { legalReserve?: unknown; outcome?: unknown }): string | undefined {
  if (!insistable(answer)) return undefined;
  return `Puede insistir en su solicitud ante la entidad dentro de los ${INSISTENCE_DAYS} días hábiles siguientes a esta notificación, con su radicado y su código de seguimiento; la entidad enviará la documentación al tribunal o juez administrativo competente, que decidirá (Ley 1755 de 2015, art. 26).`;
}
