/**
 * The case (one PQRSD filing) as stored, and the views of it. Pure.
 */
import type { EntityClock } from '../clock/index.ts';
import type { Channel, Kind, Semaforo, TermClass } from '../vocabulary.ts';
import type { Filing, Petitioner } from './filing.ts';

export const CASE_STATUSES = [
  'received',
  'routed',
  'assigned',
  'awaiting_completion',
  'awaiting_clarification',
  'answered',
  'closed',
  'forwarded',
  'no_competent_authority',
  'withdrawn',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface CaseDates {
  receivedOn: string;
  dueDate: string;
  maxExtendedDue: string;
  forwardBy: string;
  completionRequestBy: string;
  copiesDue?: string;
}

export interface CaseRecord extends CaseDates {
  radicado: string;
  entityId: string;
  kind: Kind;
  termClass: TermClass;
  ruleSet: string;
  category?: string;
  channel: Channel;
  externalId?: string;
  subject: string;
  description: string;
  petitioner?: Petitioner;
  anonymous: boolean;
  priority: boolean;
  receivedAt: string;
  /** The entity's clock settings at receipt: the case's dates are computed with these, for good. */
  clockSettings: EntityClock;
  status: CaseStatus;
  office?: string;
  forwardSuggested?: { category: string; suggestedEntities: string[] };
  routedAt?: string;
  trackingHash: string;
  contentSha256: string;
  version: number;
  lastEventSeq: number;
  lastEventHash: string;
}

/** The filed content that the receipt's hash covers (what the citizen said, as validated). */
export function filedContent(filing: Filing) {
  return {
    entityId: filing.entityId,
    kind: filing.kind,
    subject: filing.subject,
    description: filing.description,
    category: filing.category,
    channel: filing.channel,
    petitioner: filing.petitioner,
    anonymous: filing.anonymous,
  };
}

export interface ClockView {
  semaforo: Semaforo;
  businessDaysUsed: number;
  businessDaysLeft: number;
}

/** What anyone holding the tracking code sees: no personal data, no text of the petition. */
export function publicView(c: CaseRecord, clock: ClockView, explanation: unknown) {
  return {
    radicado: c.radicado,
    entityId: c.entityId,
    kind: c.kind,
    termClass: c.termClass,
    ruleSet: c.ruleSet,
    status: c.status,
    office: c.office ?? null,
    receivedAt: c.receivedAt,
    receivedOn: c.receivedOn,
    dueDate: c.dueDate,
    maxExtendedDue: c.maxExtendedDue,
    ...(c.copiesDue ? { copiesDue: c.copiesDue } : {}),
    semaforo: clock.semaforo,
    businessDaysUsed: clock.businessDaysUsed,
    businessDaysLeft: clock.businessDaysLeft,
    explanation,
  };
}
