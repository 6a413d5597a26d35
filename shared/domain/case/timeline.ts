/**
 * What the petitioner sees of their case's history (issue 13): the steps the law makes theirs to
 * know — filed, routed, the requests made of them and their replies, extensions with their reasons
 * and new date, the forward with the new radicado, the answer, withdrawal, insistence — each with
 * its date, read from the audit trail. Internal steps (assignment, reclassification, priority)
 * and every officer's identity stay out. Pure.
 */
import type { DocumentRef } from '../documents.ts';
import type { AuditEvent } from './audit.ts';
import type { CaseRecord } from './case.ts';

export interface TimelineEntry {
  type: string;
  at: string;
  [detail: string]: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Each visible event type, and what of its data the petitioner is shown. */
const VISIBLE: Readonly<Record<string, (d: Record<string, unknown>) => Record<string, unknown>>> = {
  filed: (d) => ({ dueDate: d.dueDate ?? null }),
  routed: (d) => ({ office: d.office ?? null }),
  completion_requested: (d) => ({ text: str(d.what) ?? '', respondBy: d.petitionerRespondBy ?? null }),
  clarification_requested: (d) => ({ text: str(d.what) ?? '', respondBy: d.petitionerRespondBy ?? null }),
  completion_extended: (d) => ({ respondBy: d.petitionerRespondBy ?? null }),
  // The petitioner's reply, or their submission as an officer recorded it: received, term running again.
  replied: (d) => ({ dueDate: d.dueDate ?? null, documents: Array.isArray(d.documents) ? d.documents : [] }),
  completed: (d) => ({ dueDate: d.dueDate ?? null }),
  clarified: (d) => ({ dueDate: d.dueDate ?? null }),
  extended: (d) => ({ reason: str(d.reason) ?? '', newDueDate: d.newDueDate ?? null }),
  forwarded: (d) => ({
    toEntityId: d.toEntityId ?? null,
    radicado: d.linkedRadicado ?? null,
    reason: str(d.reason) ?? '',
  }),
  no_competent_authority: (d) => ({ reason: str(d.reason) ?? '' }),
  answered: (d) => ({ outcome: d.outcome ?? null }),
  deemed_accepted: (d) => ({ copiesDue: d.copiesDue ?? null }),
  withdrawn: (d) => ({ express: d.express === true }),
  continued: (d) => ({ reason: str(d.reason) ?? '' }),
  insisted: (d) => ({ insistenceBy: d.insistenceBy ?? null }),
  sent_to_court: (d) => ({ court: d.court ?? null, sentOn: d.sentOn ?? null }),
  closed: () => ({}),
};

export function petitionerTimeline(events: readonly AuditEvent[]): TimelineEntry[] {
  return events.flatMap((e) => {
    const shown = VISIBLE[e.type];
    // Renamed for the petitioner: what they did, not who keyed it in.
    const type = e.type === 'completed' || e.type === 'clarified' ? 'replied' : e.type;
    return shown ? [{ type, at: e.at, ...shown(e.data) }] : [];
  });
}

/** The request the case waits on the petitioner for, with what it asks and the last day to answer it. */
export function pendingRequest(
  c: Pick<CaseRecord, 'status' | 'petitionerRespondBy'>,
  events: readonly AuditEvent[],
): {
  type: 'completion' | 'clarification';
  text: string;
  respondBy: string | null;
  documents: DocumentRef[];
} | null {
  if (c.status !== 'awaiting_completion' && c.status !== 'awaiting_clarification') return null;
  const wanted = c.status === 'awaiting_completion' ? 'completion_requested' : 'clarification_requested';
  const request = [...events].reverse().find((e) => e.type === wanted);
  return {
    type: c.status === 'awaiting_completion' ? 'completion' : 'clarification',
    text: str(request?.data.what) ?? '',
    respondBy: c.petitionerRespondBy ?? null,
    documents: Array.isArray(request?.data.documents) ? (request.data.documents as DocumentRef[]) : [],
  };
}
