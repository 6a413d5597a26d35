/**
 * Ley 1755 art. 22: more than ten petitions of the same matter may get one answer, published and
 * sent to each petitioner. The product suggests the groups by the petition's normalised text (as
 * consultation campaigns are grouped); the office decides. Pure.
 */
import { skeleton } from '../participation/comment.ts';
import { sha256Hex } from '../text.ts';
import type { CaseRecord } from './case.ts';

/** "Más de diez": a group needs at least this many petitions. */
export const ANALOGOUS_MIN = 11;

/** Art. 22: "peticiones análogas, de información, de interés general o de consulta". */
const ANALOGOUS_KINDS: readonly CaseRecord['kind'][] = ['petition', 'information_request', 'query'];

/**
 * Whether art. 22 can reach a case: a kind it names, and no personal-data case (Ley 1581: the
 * petitioner's own data, particular by nature).
 */
export function jointAnswerable(c: Pick<CaseRecord, 'kind' | 'termClass'>): boolean {
  return ANALOGOUS_KINDS.includes(c.kind) && !c.termClass.startsWith('data_protection');
}

/** The key of a petition's matter: its kind and its text, case, accents, numbers and punctuation aside. */
export function analogousKey(c: Pick<CaseRecord, 'kind' | 'subject' | 'description'>): string {
  return sha256Hex(`${c.kind}\n${skeleton(`${c.subject}\n${c.description}`)}`).slice(0, 16);
}

export interface AnalogousGroup {
  readonly key: string;
  readonly kind: CaseRecord['kind'];
  /** The subject of the earliest petition of the group (the office's cases: not public). */
  readonly subject: string;
  readonly radicados: readonly string[];
}

/** Groups of more than ten analogous petitions among cases whose term runs, largest first. */
export function analogousGroups(cases: readonly CaseRecord[]): AnalogousGroup[] {
  const groups = new Map<string, CaseRecord[]>();
  for (const c of cases) {
    if (c.status !== 'routed' && c.status !== 'assigned') continue;
    if (!jointAnswerable(c)) continue;
    const key = analogousKey(c);
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups]
    .filter(([, members]) => members.length >= ANALOGOUS_MIN)
    .map(([key, members]) => {
      const sorted = [...members].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
      return {
        key,
        kind: sorted[0]!.kind,
        subject: sorted[0]!.subject,
        radicados: sorted.map((c) => c.radicado),
      };
    })
    .sort((a, b) => b.radicados.length - a.radicados.length || a.key.localeCompare(b.key));
}
