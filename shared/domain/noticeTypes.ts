/**
 * Which items' insertion asks for a notice: the audit event types the petitioner or the office is
 * told of, and the sweeper's alerts. Apart from notices.ts (the texts) so that a store writing an
 * event can tell, without carrying the notices into its bundle.
 */

/** Audit event types the petitioner is told of. */
export const CITIZEN_NOTICE_EVENTS = [
  'filed',
  'completion_requested',
  'clarification_requested',
  'completion_extended',
  'extended',
  'forwarded',
  'no_competent_authority',
  'answered',
  'withdrawn',
  'deemed_accepted',
  'closures_applied',
] as const;
export type CitizenNoticeEvent = (typeof CITIZEN_NOTICE_EVENTS)[number];

/** The `type` of an alert item (the sweeper's), next to the audit event types above. */
export const ALERT_ITEM_TYPE = 'alert';

/**
 * The petitioner's own acts (issue 13), which the office is told of: a reply to its request, an
 * insistence (the file goes to the court), an express withdrawal (the office may continue it).
 */
export const PETITIONER_ACT_EVENTS = ['replied', 'insisted', 'withdrawn'] as const;

/** Every item `type` the notifications pipe passes (audit events and alerts). */
export const NOTIFIED_ITEM_TYPES: readonly string[] = [
  ...new Set([...CITIZEN_NOTICE_EVENTS, ...PETITIONER_ACT_EVENTS, ALERT_ITEM_TYPE]),
];

const NOTIFIED = new Set(NOTIFIED_ITEM_TYPES);
/** Whether inserting an item of this `type` asks for a notice. */
export function isNotifiedType(type: string): boolean {
  return NOTIFIED.has(type);
}
