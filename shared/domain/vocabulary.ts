/**
 * The words the whole product shares (see DESIGN.md, "Vocabulary").
 * Pure data: no I/O, no AWS.
 */

/** What a citizen files. */
export const KINDS = [
  'petition',
  'complaint',
  'claim',
  'suggestion',
  'report',
  'information_request',
  'query',
] as const;
export type Kind = (typeof KINDS)[number];

/** What the legal clock uses to pick a term (RULES.md, "Response terms"). */
export const TERM_CLASSES = [
  'general',
  'information',
  'query',
  'between_authorities',
  'data_protection_query',
  'data_protection_claim',
] as const;
export type TermClass = (typeof TERM_CLASSES)[number];

/** The default mapping from kind to term class; an entity may override it. */
export const DEFAULT_TERM_CLASS: Readonly<Record<Kind, TermClass>> = {
  petition: 'general',
  complaint: 'general',
  claim: 'general',
  suggestion: 'general',
  report: 'general',
  information_request: 'information',
  query: 'query',
};

/** Kinds a citizen may file without identifying themselves (Ley 962/2005 art. 81 and practice). */
export const ANONYMOUS_KINDS: readonly Kind[] = ['report', 'complaint'];

/** `participation`: a citizens' proposal that reached its supports threshold (filed by the system). */
export const CHANNELS = [
  'web',
  'portal',
  'email',
  'call_centre',
  'in_person',
  'phone',
  'mail',
  'participation',
] as const;
export type Channel = (typeof CHANNELS)[number];

/** The channels a citizen files through by themselves, over the web API. */
export const SELF_SERVICE_CHANNELS = ['web', 'portal'] as const satisfies readonly Channel[];
/** The channels whose gateways deliver filings to the intake queue. */
export const INTAKE_CHANNELS = [
  'portal',
  'email',
  'call_centre',
  'in_person',
  'phone',
  'mail',
] as const satisfies readonly Channel[];
/** Petitions made verbally, which an officer records (Decreto 1166 de 2016). */
export const VERBAL_CHANNELS = ['in_person', 'phone'] as const satisfies readonly Channel[];

export const SEMAFORO = ['green', 'yellow', 'red', 'overdue'] as const;
export type Semaforo = (typeof SEMAFORO)[number];

/** Where a case stands (its lifecycle: shared/domain/case/lifecycle.ts). */
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
  'insistence',
  'at_court',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
