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
 * Skips (anonymous, no email, no staff address) are marked too, so they are recorded once.
 * Personal data (the recipient, the text) never reaches a log: outcomes name radicado, source and
 * notice kind only.
 */

import { randomUUID } from 'node:crypto';
import type { CaseRecord } from '#domain/case/case.ts';
import { alertNotice, citizenNotice, type NoticePlan, noticeSource } from '#domain/notices.ts';
import type { CaseStore, Clock, EntityStore, ReceiptSigner } from '#ports/index.ts';
import {
  type Directory,
  type NoticeStore,
  type Notifier,
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
  noticeSecret?: string;
  clock: Clock;
  /** Seconds after which a `sending` claim is taken to be from an attempt that died. */
  claimLeaseSeconds: number;
}

export interface NotifyMessage {
  radicado: string;
  sk: string;
}

export type NotifyOutcome =
  | { outcome: 'sent'; kind: string }
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

async function planFor(deps: NotifyDeps, record: CaseRecord, message: NotifyMessage): Promise<NoticePlan> {
  const source = noticeSource(message.sk);
  if (source === undefined) return { skip: 'not_notified', kind: 'unknown' };
  if (source.type === 'alert') {
    const alert = await deps.notices.alert(record.radicado, source.sk);
    if (!alert) throw new NoticeSourceMissingError(`no alert ${source.sk} of ${record.radicado}`);
    return alertNotice(alert);
  }
  const event = await deps.notices.event(record.radicado, source.seq);
  if (!event) throw new NoticeSourceMissingError(`no event ${source.seq} of ${record.radicado}`);
  const entity = await deps.entities.get(record.entityId);
  const wantsReceipt = event.type === 'filed' && !record.anonymous && record.petitioner?.email !== undefined;
  const receipt = wantsReceipt
    ? await deps.signer.sign(receiptPayload(record, event.data.dueDate))
    : undefined;
  const trackingCode =
    wantsReceipt && record.trackingSealed && deps.noticeSecret
      ? unsealForNotice(deps.noticeSecret, record.trackingSealed)
      : undefined;
  return citizenNotice(record, event, {
    ...(entity ? { entityName: entity.name } : {}),
    ...(receipt ? { receipt } : {}),
    ...(trackingCode ? { trackingCode } : {}),
  });
}

export async function notify(deps: NotifyDeps, message: NotifyMessage): Promise<NotifyOutcome> {
  const source = noticeSource(message.sk);
  if (source === undefined) return { outcome: 'ignored', kind: 'unknown' };
  const { radicado } = message;
  const previous = await deps.notices.mark(radicado, source.sk);
  if (previous && previous.state !== 'sending') return { outcome: 'duplicate', kind: previous.kind };

  const record = await deps.cases.get(radicado);
  if (!record) throw new NoticeSourceMissingError(`no case ${radicado}`);
  const plan = await planFor(deps, record, message);
  const at = deps.clock.now();
  if ('skip' in plan) {
    if (plan.skip === 'not_notified') return { outcome: 'ignored', kind: plan.kind };
    await deps.notices.complete(radicado, source.sk, {
      state: 'skipped',
      kind: plan.kind,
      at: at.toISOString(),
      reason: plan.skip,
    });
    return { outcome: 'skipped', kind: plan.kind, reason: plan.skip };
  }
  const draft = plan.send;
  const to =
    draft.audience.kind === 'petitioner'
      ? [draft.audience.email]
      : await deps.directory.addresses(draft.audience);
  if (to.length === 0) {
    await deps.notices.complete(radicado, source.sk, {
      state: 'skipped',
      kind: draft.kind,
      at: at.toISOString(),
      reason: 'no_recipient',
    });
    return { outcome: 'skipped', kind: draft.kind, reason: 'no_recipient' };
  }

  const token = randomUUID();
  const claimed = await deps.notices.claim(radicado, source.sk, {
    token,
    kind: draft.kind,
    at: at.toISOString(),
    staleBefore: new Date(at.getTime() - deps.claimLeaseSeconds * 1000).toISOString(),
  });
  if (claimed === 'done') return { outcome: 'duplicate', kind: draft.kind };
  if (claimed === 'busy') throw new NoticeBusyError(`notice ${source.sk} of ${radicado} is being sent`);
  let messageId: string;
  try {
    ({ messageId } = await deps.notifier.send({
      id: `${radicado}/${source.sk}`,
      radicado,
      kind: draft.kind,
      to,
      subject: draft.subject,
      text: draft.text,
    }));
  } catch (error) {
    if (error instanceof UndeliverableNoticeError) {
      await deps.notices.complete(radicado, source.sk, {
        state: 'skipped',
        kind: draft.kind,
        at: deps.clock.now().toISOString(),
        token,
        reason: 'undeliverable',
      });
      return { outcome: 'skipped', kind: draft.kind, reason: 'undeliverable' };
    }
    await deps.notices.release(radicado, source.sk, token);
    throw error;
  }
  await deps.notices.complete(radicado, source.sk, {
    state: 'sent',
    kind: draft.kind,
    at: deps.clock.now().toISOString(),
    token,
    messageId,
  });
  return { outcome: 'sent', kind: draft.kind };
}
