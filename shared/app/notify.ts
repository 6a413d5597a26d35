/**
 * Send the notice of one notification message (`{radicado, sk}`: an audit event or an alert of a
 * case, put on the notifications queue by the table's stream, the transactional outbox).
 *
 * Exactly once in effect, at least once in the worst case. SES has no idempotency key, so the
 * notice's mark (`NOTICE#<source sk>`) is claimed before sending and completed after:
 *  - claimed → send → completed `sent`: the usual path; a redelivery finds `sent` and does nothing;
 *  - the send fails: the claim is released and the message retried (SQS), nothing was sent;
 *  - the process dies between the provider accepting the notice and the mark being completed:
 *    the claim stays `sending`; a redelivery (SQS visibility timeout, longer than the claim's
 *    lease) takes the stale claim over and sends again. That window (one DynamoDB write) is the
 *    only duplicate, and a duplicate notice is better than a lost one: the law requires the
 *    petitioner be told (claiming after the send instead would lose the notice in the same window).
 *  - two deliveries at once: the second finds a fresh claim, fails, and is retried later.
 * Skips (no staff address, a filing nobody can be sent) are marked too, so they are recorded once.
 * A petitioner's notice goes by email, else by SMS, else it is published on the entity's notices
 * list (CPACA art. 69; domain/channels.ts): claimed, published once per source, completed.
 * Personal data (the recipient, the text) never reaches a log: outcomes name radicado, source and
 * notice kind only.
 */

import { randomUUID } from 'node:crypto';
import type { CaseRecord } from '#domain/case/case.ts';
import { type NoticeChannel, type NoticeFailure, petitionerReach } from '#domain/channels.ts';
import type { DeliveryReport } from '#domain/deliveryReports.ts';
import type { Entity } from '#domain/entity.ts';
import {
  alertNotice,
  citizenNotice,
  eventSourceKey,
  isPetitionerAct,
  type NoticePlan,
  noticeSource,
  petitionerActNotice,
} from '#domain/notices.ts';
import { publishNotice } from '#domain/publication.ts';
import type { CaseStore, Clock, EntityStore, ReceiptSigner } from '#ports/index.ts';
import {
  type Directory,
  type NoticeStore,
  type Notifier,
  type PublicationStore,
  UndeliverableNoticeError,
} from '#ports/notifications.ts';
import { unsealForNotice } from './tracking.ts';

export interface NotifyDeps {
  cases: CaseStore;
  entities: EntityStore;
  notices: NoticeStore;
  notifier: Notifier;
  directory: Directory;
  signer: ReceiptSigner;
  /** Unseals a channel filing's tracking code for its filing notice. */
  noticeSecrets?: readonly string[];
  clock: Clock;
  /** Seconds after which a `sending` claim is taken to be from an attempt that died. */
  claimLeaseSeconds: number;
  /**
   * Where notices nobody can be sent are published (CPACA art. 69). Absent: they are recorded
   * as skipped, with the reason the petitioner cannot be reached.
   */
  publications?: PublicationStore;
  /** False when no SMS sender is configured: phone-only petitioners are then notified by publication. */
  sms?: boolean;
  /** The tracking view's URL template (`…{radicado}…`), linked from each SMS. */
  trackingUrl?: string;
}

export interface NotifyMessage {
  radicado: string;
  sk: string;
}

export type NotifyOutcome =
  | { outcome: 'sent'; kind: string }
  | { outcome: 'published'; kind: string }
  | { outcome: 'skipped'; kind: string; reason: string }
  | { outcome: 'duplicate'; kind: string }
  | { outcome: 'ignored'; kind: string };

/** Another attempt is sending this notice right now: retry later. */
export class NoticeBusyError extends Error {
  override readonly name = 'NoticeBusyError';
}

/** The message points at nothing the table holds (a case or an item that does not exist). */
export class NoticeSourceMissingError extends Error {
  override readonly name = 'NoticeSourceMissingError';
}

/** The receipt of the filing, signed again from the fields filing signed (fileCase.ts). */
function receiptPayload(record: CaseRecord, dueDate: unknown) {
  return {
    radicado: record.radicado,
    entityId: record.entityId,
    receivedAt: record.receivedAt,
    dueDate,
    contentSha256: record.contentSha256,
  };
}

interface Planned {
  plan: NoticePlan;
  /** The case's entity (event sources): its name and calendar, for a publication. */
  entity?: Entity | undefined;
}

async function planFor(
  deps: NotifyDeps,
  record: CaseRecord,
  message: NotifyMessage,
  failures: readonly NoticeFailure[],
): Promise<Planned> {
  const source = noticeSource(message.sk);
  if (source === undefined) return { plan: { skip: 'not_notified', kind: 'unknown' } };
  if (source.type === 'alert') {
    const alert = await deps.notices.alert(record.radicado, source.sk);
    if (!alert) throw new NoticeSourceMissingError(`no alert ${source.sk} of ${record.radicado}`);
    return { plan: alertNotice(alert) };
  }
  const event = await deps.notices.event(record.radicado, source.seq);
  if (!event) throw new NoticeSourceMissingError(`no event ${source.seq} of ${record.radicado}`);
  if (isPetitionerAct(event)) return { plan: petitionerActNotice(record, event) };
  const entity = await deps.entities.get(record.entityId);
  const sms = deps.sms !== false;
  const failed = failures.map((f) => f.channel);
  const reach = petitionerReach(record, { ...(sms ? {} : { sms: false }), failed }).channel;
  const filed = event.type === 'filed';
  // The receipt (a JWS) is for email; the tracking code goes to a private channel only.
  const receipt =
    filed && reach === 'email'
      ? await deps.signer.sign(receiptPayload(record, event.data.dueDate))
      : undefined;
  const trackingCode =
    filed && reach !== 'publication' && record.trackingSealed && deps.noticeSecrets
      ? unsealForNotice(deps.noticeSecrets, record.trackingSealed)
      : undefined;
  const plan = citizenNotice(record, event, {
    ...(entity ? { entityName: entity.name } : {}),
    ...(receipt ? { receipt } : {}),
    ...(trackingCode ? { trackingCode } : {}),
    ...(deps.trackingUrl ? { trackingUrl: deps.trackingUrl } : {}),
    sms,
    ...(failed.length > 0 ? { failed } : {}),
  });
  return { plan, entity };
}

/**
 * The notice outbox's backstop: notices pending (or claimed by a sender that died) for more than
 * `graceSeconds` get their message again (the Outbox pipe never delivered it, or its
 * delivery was dead-lettered); `notify` makes a second delivery harmless. Why: docs/adr/0011-notice-outbox.md
 */
export async function relayUnnotified(
  deps: {
    notices: Pick<NoticeStore, 'unnotified'>;
    notifications: { send(m: NotifyMessage[]): Promise<void> };
    clock: Clock;
  },
  graceSeconds = 120,
  limit = 500,
): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - graceSeconds * 1000).toISOString();
  const stuck = await deps.notices.unnotified(before, limit);
  if (stuck.length > 0) await deps.notifications.send(stuck);
  return stuck.length;
}

export type DeliveryOutcome = 'delivered' | 'failed' | 'stale';

/**
 * Records a provider's delivery report on the notice it tells of: the day it reached the
 * petitioner, or a failure that sends the notice again by the next channel (publication at last,
 * CPACA art. 69). The reopened notice is pending on the outbox, so a lost message is relayed by
 * the sweep. `stale`: the notice is no longer that send (reported before, or sent again since).
 */
export async function recordDelivery(
  deps: {
    notices: Pick<NoticeStore, 'delivered' | 'failed'>;
    notifications: { send(m: NotifyMessage[]): Promise<void> };
  },
  report: DeliveryReport,
): Promise<DeliveryOutcome> {
  const sk = eventSourceKey(report.seq);
  if (report.outcome === 'delivered') {
    const recorded = await deps.notices.delivered(report.radicado, sk, report);
    return recorded ? 'delivered' : 'stale';
  }
  const failure = { channel: report.channel, at: report.at };
  if (!(await deps.notices.failed(report.radicado, sk, failure, { messageId: report.messageId })))
    return 'stale';
  await deps.notifications.send([{ radicado: report.radicado, sk }]);
  return 'failed';
}

export async function notify(deps: NotifyDeps, message: NotifyMessage): Promise<NotifyOutcome> {
  const source = noticeSource(message.sk);
  if (source === undefined) return { outcome: 'ignored', kind: 'unknown' };
  const { radicado } = message;
  const previous = await deps.notices.mark(radicado, source.sk);
  if (previous?.state === 'sent' || previous?.state === 'skipped')
    return { outcome: 'duplicate', kind: previous.kind };

  const record = await deps.cases.get(radicado);
  if (!record) throw new NoticeSourceMissingError(`no case ${radicado}`);
  const failures = previous?.failures ?? [];
  const { plan, entity } = await planFor(deps, record, message, failures);
  const at = deps.clock.now();
  const skip = (kind: string, reason: string) => ({
    state: 'skipped' as const,
    kind,
    at: at.toISOString(),
    reason,
    ...(failures.length > 0 ? { failures } : {}),
  });
  if ('skip' in plan) {
    if (plan.skip === 'not_notified') {
      // Nothing to tell (a closure that moved no date): off the outbox.
      if (previous?.state === 'pending')
        await deps.notices.complete(radicado, source.sk, skip(plan.kind, plan.skip));
      return { outcome: 'ignored', kind: plan.kind };
    }
    await deps.notices.complete(radicado, source.sk, skip(plan.kind, plan.skip));
    return { outcome: 'skipped', kind: plan.kind, reason: plan.skip };
  }
  if ('publish' in plan) {
    const { kind } = plan.publish;
    const publications = deps.publications;
    if (!publications) {
      await deps.notices.complete(radicado, source.sk, skip(kind, plan.reason));
      return { outcome: 'skipped', kind, reason: plan.reason };
    }
    // The entity's calendar (holidays and its closures) counts the five days, as the legal clock does.
    const calendar = entity?.closures ? { closures: entity.closures } : {};
    const notice = publishNotice(plan.publish, source.sk, at, calendar);
    return withClaim(deps, message, { kind, at, failures }, async () => {
      const published = await publications.publish(notice);
      return { messageId: published.id, channel: 'publication' as const, outcome: 'published' as const };
    });
  }
  const draft = plan.send;
  const to =
    draft.audience.kind === 'petitioner'
      ? [draft.audience.channel === 'sms' ? draft.audience.phone : draft.audience.email]
      : await deps.directory.addresses(draft.audience);
  if (to.length === 0) {
    await deps.notices.complete(radicado, source.sk, skip(draft.kind, 'no_recipient'));
    return { outcome: 'skipped', kind: draft.kind, reason: 'no_recipient' };
  }

  const petitioner = draft.audience.kind === 'petitioner' && source.type === 'event';
  const channel = draft.audience.kind === 'petitioner' ? draft.audience.channel : 'email';
  const retryOn = petitioner ? { retryOn: channel } : {};
  return withClaim(deps, message, { kind: draft.kind, at, failures, ...retryOn }, async () => {
    const sent = await deps.notifier.send({
      id: `${radicado}/${source.sk}`,
      radicado,
      kind: draft.kind,
      channel,
      to,
      subject: draft.subject,
      text: draft.text,
      ...(petitioner && source.type === 'event' ? { event: source.seq } : {}),
    });
    return { ...sent, channel, outcome: 'sent' as const };
  });
}

/**
 * Claims the notice of a source, delivers it (send or publish), and completes the mark: the
 * claim makes a redelivery find it done; a failed delivery releases it for the retry. A refusal
 * for good of a petitioner's notice is a failure of that channel, and the notice goes again by
 * the next one (publication at last, CPACA art. 69); a staff notice refused is recorded undeliverable.
 */
async function withClaim(
  deps: NotifyDeps,
  message: NotifyMessage,
  notice: { kind: string; at: Date; failures: readonly NoticeFailure[]; retryOn?: NoticeChannel },
  deliver: () => Promise<{
    messageId: string;
    deliveredAt?: string;
    channel: NoticeChannel | 'publication';
    outcome: 'sent' | 'published';
  }>,
): Promise<NotifyOutcome> {
  const { radicado, sk: sourceSk } = message;
  const { kind, at, failures } = notice;
  const token = randomUUID();
  const claimed = await deps.notices.claim(radicado, sourceSk, {
    token,
    kind,
    at: at.toISOString(),
    staleBefore: new Date(at.getTime() - deps.claimLeaseSeconds * 1000).toISOString(),
    failures,
  });
  if (claimed === 'done') return { outcome: 'duplicate', kind };
  if (claimed === 'busy') throw new NoticeBusyError(`notice ${sourceSk} of ${radicado} is being sent`);
  let delivered: Awaited<ReturnType<typeof deliver>>;
  try {
    delivered = await deliver();
  } catch (error) {
    if (error instanceof UndeliverableNoticeError) {
      const now = deps.clock.now().toISOString();
      if (notice.retryOn !== undefined) {
        const failure = { channel: notice.retryOn, at: now };
        if (await deps.notices.failed(radicado, sourceSk, failure, { token })) return notify(deps, message);
        return { outcome: 'duplicate', kind };
      }
      await deps.notices.complete(radicado, sourceSk, {
        state: 'skipped',
        kind,
        at: now,
        token,
        reason: 'undeliverable',
      });
      return { outcome: 'skipped', kind, reason: 'undeliverable' };
    }
    await deps.notices.release(radicado, sourceSk, token, {
      kind,
      at: deps.clock.now().toISOString(),
      failures,
    });
    throw error;
  }
  await deps.notices.complete(radicado, sourceSk, {
    state: 'sent',
    kind,
    at: deps.clock.now().toISOString(),
    token,
    messageId: delivered.messageId,
    channel: delivered.channel,
    ...(delivered.deliveredAt === undefined ? {} : { deliveredAt: delivered.deliveredAt }),
    ...(failures.length > 0 ? { failures } : {}),
  });
  return { outcome: delivered.outcome, kind };
}
