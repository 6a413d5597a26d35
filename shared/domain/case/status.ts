/**
 * Where a case stands, as plain data the filing, the inbox keys and the sweeper need without the
 * lifecycle's rules and schemas (lifecycle.ts decides; this module only classifies and copies).
 */
import type { ClockResult } from '../clock/index.ts';
import type { CaseStatus } from '../vocabulary.ts';

/**
 * What a status means for the clock and the inbox:
 * - `running`: open, the term runs (received: filed, not routed; routed: in an office inbox,
 *   unassigned; assigned: an officer has it).
 * - `suspended`: open, the term is stopped waiting for the petitioner (arts. 17 and 19).
 * - `answered`: open until closed; the term no longer matters (the answer was given; after a denial
 *   citing a reserve the petitioner insisted, art. 26: `insistence` until the office sends the file
 *   to the court, `at_court` until it decides).
 * - `closed`: final (closed after the answer; forwarded to the competent entity or no competent
 *   authority, art. 21; withdrawn: desistimiento tácito, art. 17, or the petitioner's own
 *   withdrawal, art. 18, which the office may still continue of its own motion).
 */
export type StatusPhase = 'running' | 'suspended' | 'answered' | 'closed';

export const STATUS_PHASE: Readonly<Record<CaseStatus, StatusPhase>> = {
  received: 'running',
  routed: 'running',
  assigned: 'running',
  awaiting_completion: 'suspended',
  awaiting_clarification: 'suspended',
  answered: 'answered',
  closed: 'closed',
  forwarded: 'closed',
  no_competent_authority: 'closed',
  withdrawn: 'closed',
  insistence: 'answered',
  at_court: 'answered',
};

/** Not closed: running, suspended or answered. */
export function isOpen(status: CaseStatus): boolean {
  return STATUS_PHASE[status] !== 'closed';
}

export function isClosed(status: CaseStatus): boolean {
  return STATUS_PHASE[status] === 'closed';
}

/** The term is stopped waiting for the petitioner. */
export function isSuspended(status: CaseStatus): boolean {
  return STATUS_PHASE[status] === 'suspended';
}

/** Open and not yet answered: the case is still to be resolved. */
export function isPending(status: CaseStatus): boolean {
  const phase = STATUS_PHASE[status];
  return phase === 'running' || phase === 'suspended';
}

/** The case's dates: exactly what `computeClock` gives for its clock events (Bogota dates). */
export interface LifecycleDates {
  readonly receivedOn: string;
  /** Null while the term is suspended. */
  readonly dueDate: string | null;
  /** The due date without the extension (an extension must be notified by this date). */
  readonly legalDue: string | null;
  readonly maxExtendedDue: string | null;
  readonly forwardBy: string;
  readonly completionRequestBy: string;
  readonly copiesDue: string | null;
  /** Personal-data claims: the "reclamo en trámite" legend by this day (Ley 1581 art. 15 num. 2). */
  readonly legendBy: string | null;
  /** While suspended: the petitioner's last day. */
  readonly petitionerRespondBy: string | null;
  /** While suspended: the petitioner's period was already extended (once only). */
  readonly petitionerExtended: boolean;
  /** The new date of a notified extension. */
  readonly extendedUntil: string | null;
}

/** The case's dates from a clock result. */
export function lifecycleDates(r: ClockResult): LifecycleDates {
  return {
    receivedOn: r.receivedOn,
    dueDate: r.due,
    legalDue: r.legalDue,
    maxExtendedDue: r.maxExtendedDue,
    forwardBy: r.forwardBy,
    completionRequestBy: r.completionRequestBy,
    copiesDue: r.copiesDue ?? null,
    legendBy: r.legendBy ?? null,
    petitionerRespondBy: r.suspended?.respondBy ?? null,
    petitionerExtended: r.suspended?.extended ?? false,
    extendedUntil: r.extension?.until ?? null,
  };
}
