/**
 * What the scheduled sweeper decides about one pending case at an instant (issue 5, "the clock
 * keeps watch"). Pure: the instant and the entity's thresholds are passed in.
 *
 * - Semáforo alerts: the case's level now (the legal clock's `clockStatus` with the entity's
 *   thresholds). Yellow and red go to the assigned officer (the office when unassigned, the
 *   supervisors when the case is not even in an office yet); overdue is escalated to the entity's
 *   supervisors. One alert per (case, level, due date): the sweeper records each as an item keyed
 *   by `alertKey(kind, dueDate)` with a conditional put, so a rerun sends nothing twice, and an
 *   extension (a new due date) may legitimately alert again. Only the level the case is at is
 *   alerted: a case found already red (a short term, a sweep that did not run) is not also sent
 *   a stale yellow.
 * - Suspended cases (awaiting the petitioner) have no running term and get no semáforo alert;
 *   once the petitioner's last day has passed they are withdrawal candidates (Ley 1755 art. 17:
 *   desistimiento tácito, declared by an officer's reasoned act, the `withdraw` action): one
 *   `withdrawal_candidate` alert to the officer per petitioner deadline.
 * - Deemed acceptance (Ley 1755 art. 14 num. 1): an information request still unanswered after its
 *   due date is deemed accepted; the sweeper records it once (`deemed_accepted` audit event).
 */
import {
  businessDaysBetween,
  type ClockInput,
  type ClockStatus,
  clockStatus,
  type SemaforoThresholds,
} from '../clock/index.ts';
import type { Semaforo } from '../vocabulary.ts';
import type { CaseRecord } from './case.ts';
import { isPending, isSuspended } from './status.ts';

export const ALERT_KINDS = [
  'yellow',
  'red',
  'overdue',
  'withdrawal_candidate',
  // Duties with their own date: the legend of a personal-data claim, the copies of an accepted request.
  'legend_due',
  'copies_due',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Who inside the entity an alert is for (the Directory turns it into addresses). */
export type StaffAudience =
  | { readonly kind: 'officer'; readonly entityId: string; readonly subject: string }
  | { readonly kind: 'office'; readonly entityId: string; readonly office: string }
  | { readonly kind: 'supervisors'; readonly entityId: string };

/**
 * An alert as the sweeper records it (and the notification consumer reads it back): facts about
 * the case's clock and routing only, never the petitioner nor the petition's text.
 */
export interface CaseAlert {
  readonly radicado: string;
  readonly entityId: string;
  readonly alert: AlertKind;
  /** The due date (semáforo alerts) or the petitioner's last day (withdrawal candidates). */
  readonly date: string;
  readonly audience: StaffAudience;
  readonly kind: CaseRecord['kind'];
  readonly office: string | null;
  /** Attended first (Ley 1755 art. 20; CPACA art. 5 num. 6): the alert says so (absent: stored before). */
  readonly priority?: boolean;
  readonly semaforo: Semaforo;
  readonly businessDaysUsed: number;
  readonly businessDaysLeft: number;
  readonly businessDaysOverdue: number;
  readonly totalTermDays: number;
  /** The instant of the sweep that raised it. */
  readonly at: string;
}

/** The sort key of an alert item (`pk = CASE#<radicado>`): one per kind and date, for good. */
export function alertKey(kind: AlertKind, date: string): string {
  return `ALERT#${kind}#${date}`;
}

/** The alert kind and date of an alert key, or undefined when it is not one. */
export function parseAlertKey(sk: string): { kind: AlertKind; date: string } | undefined {
  const m = /^ALERT#([a-z_]+)#(\d{4}-\d{2}-\d{2})$/.exec(sk);
  if (!m?.[1] || !m[2] || !(ALERT_KINDS as readonly string[]).includes(m[1])) return undefined;
  return { kind: m[1] as AlertKind, date: m[2] };
}

/** The case fields the watch needs (a CaseRecord has them all). */
export type WatchedCase = Pick<
  CaseRecord,
  | 'radicado'
  | 'entityId'
  | 'status'
  | 'kind'
  | 'termClass'
  | 'receivedAt'
  | 'clockSettings'
  | 'clockEvents'
  | 'office'
  | 'officer'
  | 'deemedAccepted'
> &
  Partial<Pick<CaseRecord, 'priority' | 'legendBy' | 'legendAt' | 'copiesDue'>>;

/**
 * The fields of a pending case the sweeper reads from its watch index, which holds these and no
 * more (docs/adr/0020): what judges it (WatchedCase), places it (watchInstant), tells whether it
 * must take new closures (needsClosures), and the version its move is conditioned on.
 */
export const WATCH_VIEW_FIELDS = [
  'radicado',
  'entityId',
  'status',
  'kind',
  'termClass',
  'receivedAt',
  'clockSettings',
  'clockEvents',
  'office',
  'officer',
  'deemedAccepted',
  'priority',
  'legendBy',
  'legendAt',
  'copiesDue',
  'version',
  'updatedAt',
  'routedAt',
  'closuresVersion',
] as const satisfies readonly (keyof CaseRecord)[];

/** A case as the watch index holds it (a field the watch reads and the list lacks fails to compile). */
export type WatchView = Pick<CaseRecord, (typeof WATCH_VIEW_FIELDS)[number]>;

export interface WatchDecision {
  readonly radicado: string;
  /** The clock now (null when the case is no longer pending: nothing to watch). */
  readonly status: ClockStatus | null;
  /** The alert the case's state calls for now (the sweeper records it unless it exists). */
  readonly alert: CaseAlert | null;
  /** Alerts of the duties with a date of their own that are close (legend, copies). */
  readonly duties: readonly CaseAlert[];
  /** An information request past its due date, not yet marked: mark it deemed accepted now. */
  readonly deemAccepted: boolean;
  /** Suspended and past the petitioner's last day: desistimiento tácito may be declared. */
  readonly withdrawalCandidate: boolean;
}

/** A request for documents or information (Ley 1755 art. 14 num. 1; Ley 1712 de 2014). */
export function isInformationRequest(c: Pick<CaseRecord, 'kind' | 'termClass'>): boolean {
  return c.kind === 'information_request' || c.termClass === 'information';
}

/** Who gets a semáforo alert of a running case. */
function workerOf(c: WatchedCase): StaffAudience {
  if (c.officer !== undefined) return { kind: 'officer', entityId: c.entityId, subject: c.officer };
  if (c.office !== undefined) return { kind: 'office', entityId: c.entityId, office: c.office };
  return { kind: 'supervisors', entityId: c.entityId };
}

/** What the sweeper does about one case at `at` (ISO 8601 instant), under the entity's thresholds. */
export function watchCase(c: WatchedCase, at: string, thresholds: SemaforoThresholds): WatchDecision {
  if (!isPending(c.status)) {
    return {
      radicado: c.radicado,
      status: null,
      alert: null,
      duties: [],
      deemAccepted: false,
      withdrawalCandidate: false,
    };
  }
  // The clock's input as lifecycle.ts `clockInputOf` makes it, without importing the lifecycle:
  // the case store places every written case with this module (FileCase's bundle stays lean).
  const input: ClockInput = {
    termClass: c.termClass,
    filed: c.receivedAt,
    entity: c.clockSettings,
    events: (c.clockEvents ?? []).map((e) => ({ ...e })),
  };
  const status = clockStatus(input, at, thresholds);
  const base = {
    radicado: c.radicado,
    entityId: c.entityId,
    kind: c.kind,
    office: c.office ?? null,
    priority: c.priority === true,
    semaforo: status.semaforo,
    businessDaysUsed: status.businessDaysUsed,
    businessDaysLeft: status.businessDaysLeft,
    businessDaysOverdue: status.businessDaysOverdue,
    totalTermDays: status.totalTermDays,
    at,
  };
  if (isSuspended(c.status) || status.suspended) {
    const candidate = status.withdrawalAllowed && status.petitionerRespondBy !== null;
    const alert: CaseAlert | null =
      candidate && status.petitionerRespondBy !== null
        ? {
            ...base,
            alert: 'withdrawal_candidate',
            date: status.petitionerRespondBy,
            audience: workerOf(c),
          }
        : null;
    const duties = dutiesOf(c, status, base);
    return {
      radicado: c.radicado,
      status,
      alert,
      duties,
      deemAccepted: false,
      withdrawalCandidate: candidate,
    };
  }
  const due = status.due;
  let alert: CaseAlert | null = null;
  if (due !== null && status.semaforo !== 'green') {
    const kind: AlertKind = status.semaforo;
    const audience: StaffAudience =
      kind === 'overdue' ? { kind: 'supervisors', entityId: c.entityId } : workerOf(c);
    alert = { ...base, alert: kind, date: due, audience };
  }
  const deemAccepted = isInformationRequest(c) && status.semaforo === 'overdue' && c.deemedAccepted !== true;
  const duties = dutiesOf(c, status, base);
  return { radicado: c.radicado, status, alert, duties, deemAccepted, withdrawalCandidate: false };
}

/**
 * The duties with a date of their own, alerted from the business day before it: the "reclamo en
 * trámite" legend (Ley 1581 art. 15 num. 2) until recorded, and the copies of an information
 * request deemed accepted (Ley 1755 art. 14 num. 1) until it is answered.
 */
function dutiesOf(
  c: WatchedCase,
  status: ClockStatus,
  base: Omit<CaseAlert, 'alert' | 'date' | 'audience'>,
): CaseAlert[] {
  const out: CaseAlert[] = [];
  const close = (date: string) => date <= status.on || businessDaysBetween(status.on, date) <= 1;
  if (c.legendBy && c.legendAt === undefined && close(c.legendBy)) {
    out.push({ ...base, alert: 'legend_due', date: c.legendBy, audience: workerOf(c) });
  }
  if (c.copiesDue && isInformationRequest(c) && status.semaforo === 'overdue' && close(c.copiesDue)) {
    out.push({ ...base, alert: 'copies_due', date: c.copiesDue, audience: workerOf(c) });
  }
  return out;
}
