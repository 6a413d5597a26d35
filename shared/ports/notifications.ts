/**
 * The ports of notifications (issues 5 and 13): sending a notice (email or SMS), finding staff
 * addresses, publishing notices nobody can be sent, and the items that make the sweeper's alerts
 * and the notices exactly-once in effect.
 */
import type { AuditEvent } from '#domain/case/audit.ts';
import type { CaseAlert, StaffAudience } from '#domain/case/watch.ts';
import type { NoticeChannel, NoticeFailure } from '#domain/channels.ts';
import type { NoticeKind } from '#domain/notices.ts';
import type { PublicNotice } from '#domain/publication.ts';

/** A notice ready to go: addresses resolved. Personal data: never logged. */
export interface OutgoingNotice {
  /** Stable id of the notice: `<radicado>/<source sort key>` (one notice per source, for good). */
  readonly id: string;
  readonly radicado: string;
  readonly kind: NoticeKind;
  /** Email, or SMS (`to` then holds E.164 numbers and `subject` is not sent). */
  readonly channel: NoticeChannel;
  /** Email addresses (SES), E.164 numbers (SMS) or symbolic recipients (`officer:<subject>` … locally). */
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  /**
   * The audit event a petitioner's notice tells of: sent along (SES tags, SMS context) so the
   * provider's delivery report finds the notice. Absent for staff notices.
   */
  readonly event?: number;
}

/**
 * The provider refused this notice for good (an address it will not deliver to): retrying cannot
 * help, so the notice is recorded as undeliverable instead of going round to the DLQ.
 */
export class UndeliverableNoticeError extends Error {}

export interface Notifier {
  /**
   * Sends one notice; resolves with the provider's message id, and `deliveredAt` when delivery is
   * known at once (the local outbox; on AWS it comes later, in a delivery report). Throws when it
   * was not accepted.
   */
  send(notice: OutgoingNotice): Promise<{ messageId: string; deliveredAt?: string }>;
}

/** Staff addresses: Cognito groups on AWS, symbolic names locally. */
export interface Directory {
  /** The addresses of an audience (empty when nobody is there). */
  addresses(audience: StaffAudience): Promise<string[]>;
}

/**
 * How a notice's source was handled: `pending` from the source's insertion (on the notice outbox),
 * `sending` while a claim is held, then `sent` or `skipped` (off the outbox).
 */
export type NoticeMarkState = 'pending' | 'sending' | 'sent' | 'skipped';

export interface NoticeMark {
  readonly state: NoticeMarkState;
  readonly kind: string;
  readonly at: string;
  /** Why a notice was skipped (anonymous, no_contact, no_recipient, undeliverable …). */
  readonly reason?: string;
  /** How a handled notice went out: email, sms, or publication (CPACA art. 69). */
  readonly channel?: NoticeChannel | 'publication';
  readonly messageId?: string;
  /** When the provider reported the notice delivered (sent marks only). */
  readonly deliveredAt?: string;
  /** The channels the notice failed on (bounced or refused): the next attempt passes them over. */
  readonly failures?: readonly NoticeFailure[];
  /** Which attempt holds a `sending` claim. */
  readonly token?: string;
}

export type ClaimOutcome = 'claimed' | 'done' | 'busy';

/**
 * The notice marks and alerts of cases (items under `pk = CASE#<radicado>`).
 * Alerts: one item per (case, kind, date), put on the condition that it does not exist.
 * Marks: one per notice source (`NOTICE#<source sk>`): claimed before sending, completed after.
 */
/** How a notice ended: sent (its claim's `token`, the provider's `messageId`) or skipped (`reason`). */
export interface NoticeCompletion {
  state: 'sent' | 'skipped';
  kind: string;
  at: string;
  token?: string;
  messageId?: string;
  reason?: string;
  channel?: NoticeChannel | 'publication';
  deliveredAt?: string;
  failures?: readonly NoticeFailure[];
}

/** A notice of one of the case's audit events, as handled (its source `EVENT#<seq>`). */
export interface EventNoticeMark {
  readonly seq: number;
  readonly mark: NoticeMark;
}

export interface NoticeStore {
  /** The marks of the notices of the case's audit events (alerts excluded), in event order. */
  eventMarks(radicado: string): Promise<EventNoticeMark[]>;
  /** One audit event of a case. */
  event(radicado: string, seq: number): Promise<AuditEvent | undefined>;
  alert(radicado: string, sk: string): Promise<CaseAlert | undefined>;
  /** Which of these alert keys (`{radicado, sk}`) exist already. */
  existingAlerts(keys: readonly { radicado: string; sk: string }[]): Promise<Set<string>>;
  /** Records an alert with its pending notice mark; false when it existed (someone recorded it first). */
  putAlert(alert: CaseAlert, sk: string): Promise<boolean>;
  /**
   * The notice outbox: sources whose notice is neither sent nor skipped, pending (or claimed)
   * since before `before`, oldest first, at most `limit`.
   */
  unnotified(before: string, limit: number): Promise<{ radicado: string; sk: string }[]>;
  mark(radicado: string, sourceSk: string): Promise<NoticeMark | undefined>;
  /**
   * Claims the sending of a notice: `claimed` when there was no mark, a pending one, or only a
   * `sending` claim older than `staleBefore` (an attempt that died); `done` when it was sent or
   * skipped; `busy` when another attempt holds a fresh claim.
   */
  claim(
    radicado: string,
    sourceSk: string,
    claim: {
      token: string;
      kind: string;
      at: string;
      staleBefore: string;
      failures?: readonly NoticeFailure[] | undefined;
    },
  ): Promise<ClaimOutcome>;
  /** Completes a claim held by `token` (sent), or records a skip with no claim (skipped). */
  complete(radicado: string, sourceSk: string, mark: NoticeCompletion): Promise<void>;
  /** Gives a claim up (the send failed): pending again (`kind`, from `at`), the next attempt may claim at once. */
  release(
    radicado: string,
    sourceSk: string,
    token: string,
    pending: { kind: string; at: string; failures?: readonly NoticeFailure[] | undefined },
  ): Promise<void>;
  /**
   * Records the provider's report that the sent notice with this message id was delivered; false
   * when the mark is not that sent notice (sent again since, or its delivery already recorded).
   */
  delivered(radicado: string, sourceSk: string, report: { messageId: string; at: string }): Promise<boolean>;
  /**
   * The notice failed on a channel: pending again (on the outbox) with the failure added, for an
   * attempt on the next channel. `held`: the failed send's claim (a refusal at once), or the sent
   * notice's message id and channel (a bounce reported later). False when the mark is not that one.
   */
  failed(
    radicado: string,
    sourceSk: string,
    failure: NoticeFailure,
    held: { token: string } | { messageId: string },
  ): Promise<boolean>;
}

/**
 * Notices published for petitioners nobody can send them to (CPACA art. 69): kept under their
 * case for good (part of the record), listed per entity while in force. No personal data.
 */
export interface PublicationStore {
  /**
   * Publishes a notice once per source (its `id`): a second call for the same source (a retry
   * after a crash) writes nothing and returns the notice as first published, dates included.
   */
  publish(notice: PublicNotice): Promise<PublicNotice>;
  /**
   * An entity's notices in force on `day` (a Bogota date: published on or before it, `until` on
   * or after it), latest-ending first, which is newest first. A page may hold fewer than `limit`:
   * follow `cursor` until it is absent. InvalidCursorError for a cursor this store did not give.
   */
  inForce(
    entityId: string,
    day: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ items: PublicNotice[]; cursor?: string }>;
}
