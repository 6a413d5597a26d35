/**
 * Notices (notify.ts): each source (an audit event or an alert of a case) notified once in effect,
 * skips recorded once, claims that keep two deliveries from sending twice, failures retried.
 */
import { describe, expect, it } from 'vitest';
import {
  NoticeBusyError,
  NoticeSourceMissingError,
  type NotifyMessage,
  notify,
  recordDelivery,
  relayUnnotified,
} from '#app/notify.ts';
import { getPublicCase } from '#app/readCases.ts';
import { verifyReceipt } from '#app/receipts.ts';
import { trackingCodeMatches } from '#app/tracking.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import { alertKey, type CaseAlert } from '#domain/case/watch.ts';
import { noticeRecords } from '#domain/channels.ts';
import type { DeliveryReport } from '#domain/deliveryReports.ts';
import { UndeliverableNoticeError } from '#ports/notifications.ts';
import { RecordingQueue } from '#test/support/fakes/index.ts';
import {
  ATENCION,
  actNow,
  anonymousReport,
  DAY_MS,
  emailChannel,
  file,
  fileRouted,
  NOW,
  onceBefore,
  petition,
  petitioner,
  petitionerWithoutEmail,
  supervisor,
  type World,
  world,
} from './world.ts';

const FILED = 'EVENT#000001';

function alertOf(record: CaseRecord, overrides: Partial<CaseAlert> = {}): CaseAlert {
  return {
    radicado: record.radicado,
    entityId: record.entityId,
    alert: 'red',
    date: record.dueDate!,
    audience: { kind: 'office', entityId: record.entityId, office: ATENCION },
    kind: record.kind,
    office: ATENCION,
    semaforo: 'red',
    businessDaysUsed: 12,
    businessDaysLeft: 3,
    businessDaysOverdue: 0,
    totalTermDays: 15,
    at: NOW,
    ...overrides,
  };
}

/** Records an alert as the sweeper would, and gives its notification message. */
async function alerted(w: World, record: CaseRecord, overrides: Partial<CaseAlert> = {}) {
  const alert = alertOf(record, overrides);
  const sk = alertKey(alert.alert, alert.date);
  await w.notices.putAlert(alert, sk);
  return { radicado: record.radicado, sk };
}

describe('notify: the petitioner', () => {
  it('sends the filing notice once, with a signed receipt the registry recognises', async () => {
    // Prepare
    const w = await world();
    const { record } = await file(w);
    const message = { radicado: record.radicado, sk: FILED };

    // Act
    const first = await notify(w.notify, message);
    const redelivered = await notify(w.notify, message);

    // Assess
    expect(first).toEqual({ outcome: 'sent', kind: 'filed' });
    expect(redelivered).toEqual({ outcome: 'duplicate', kind: 'filed' });
    expect(w.notifier.sent).toHaveLength(1);
    const [notice] = w.notifier.sent;
    expect(notice).toMatchObject({
      id: `${record.radicado}/${FILED}`,
      radicado: record.radicado,
      kind: 'filed',
      to: [petitioner.email],
      subject: `Su PQRSD fue radicada — radicado ${record.radicado}`,
    });
    const receipt = notice!.text.split('\n').find((line) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(line));
    expect(await verifyReceipt(w, receipt!)).toMatchObject({ valid: true, registered: true });
    expect(await w.notices.mark(record.radicado, FILED)).toMatchObject({
      state: 'sent',
      kind: 'filed',
      messageId: 'message-1',
    });
    // Nobody was shown a web filing's code but its filer: the notice does not repeat it.
    expect(notice!.text).not.toContain('código de seguimiento es');
  });

  it('gives a channel filing its tracking code, the one that opens the case', async () => {
    const w = await world();
    const { record } = await file(w, petition({ channel: 'email' }), {
      actor: emailChannel,
      idempotency: { scope: 'intake#email', key: 'm-1', request: {}, permanent: true },
    });
    await notify(w.notify, { radicado: record.radicado, sk: FILED });
    const code = /código de seguimiento es ([0-9A-Z-]+)/.exec(w.notifier.sent[0]!.text)?.[1];
    expect(code).toBeDefined();
    expect(trackingCodeMatches(code!, record.trackingHash)).toBe(true);
  });

  it('tells the answer itself', async () => {
    const w = await world();
    const { record } = await fileRouted(w);
    await actNow(w, supervisor, record.radicado, { type: 'assign', office: ATENCION, officer: 'o' });
    await actNow(w, supervisor, record.radicado, {
      type: 'respond',
      answer: 'Se instala en marzo.',
      outcome: 'granted',
    });
    const answered = (await w.cases.events(record.radicado)).at(-1)!;
    const outcome = await notify(w.notify, {
      radicado: record.radicado,
      sk: `EVENT#${String(answered.seq).padStart(6, '0')}`,
    });
    expect(outcome).toEqual({ outcome: 'sent', kind: 'answered' });
    expect(w.notifier.sent[0]?.text).toContain('Se instala en marzo.');
  });

  it('records a skip once for an anonymous filing; a petitioner with only a phone is told by SMS', async () => {
    // Prepare
    const w = await world();
    const anonymous = (await file(w, anonymousReport())).record;
    const phoneOnly = (await file(w, petition({ petitioner: petitionerWithoutEmail }))).record;

    // Act
    const outcomes = [
      await notify(w.notify, { radicado: anonymous.radicado, sk: FILED }),
      await notify(w.notify, { radicado: phoneOnly.radicado, sk: FILED }),
      await notify(w.notify, { radicado: anonymous.radicado, sk: FILED }),
    ];

    // Assess
    expect(outcomes).toEqual([
      { outcome: 'skipped', kind: 'filed', reason: 'anonymous' },
      { outcome: 'sent', kind: 'filed' },
      { outcome: 'duplicate', kind: 'filed' },
    ]);
    expect(w.notifier.sent).toHaveLength(1);
    expect(w.notifier.sent[0]).toMatchObject({ channel: 'sms', to: ['+573001234567'] });
    expect(w.notifier.sent[0]?.text).toContain(phoneOnly.radicado);
    expect(await w.notices.mark(anonymous.radicado, FILED)).toMatchObject({
      state: 'skipped',
      reason: 'anonymous',
    });
  });

  it('ignores internal events and items that are no notice source, recording nothing', async () => {
    const w = await world();
    const { record } = await fileRouted(w);
    expect(await notify(w.notify, { radicado: record.radicado, sk: 'EVENT#000002' })).toEqual({
      outcome: 'ignored',
      kind: 'routed',
    });
    expect(await notify(w.notify, { radicado: record.radicado, sk: 'CASE' })).toEqual({
      outcome: 'ignored',
      kind: 'unknown',
    });
    expect(await w.notices.mark(record.radicado, 'EVENT#000002')).toBeUndefined();
    expect(w.notifier.sent).toEqual([]);
  });

  it('fails on a message that points at nothing stored', async () => {
    const w = await world();
    const { record } = await file(w);
    await expect(notify(w.notify, { radicado: 'MINTIC-2026-999999', sk: FILED })).rejects.toBeInstanceOf(
      NoticeSourceMissingError,
    );
    await expect(notify(w.notify, { radicado: record.radicado, sk: 'EVENT#000009' })).rejects.toBeInstanceOf(
      NoticeSourceMissingError,
    );
    await expect(
      notify(w.notify, { radicado: record.radicado, sk: alertKey('red', '2026-03-20') }),
    ).rejects.toBeInstanceOf(NoticeSourceMissingError);
  });
});

describe('notify: staff alerts', () => {
  it('sends an alert to its audience’s addresses', async () => {
    const w = await world();
    const { record } = await fileRouted(w);
    const message = await alerted(w, record);
    expect(await notify(w.notify, message)).toEqual({ outcome: 'sent', kind: 'alert_red' });
    expect(w.notifier.sent[0]).toMatchObject({ to: [`office:MINTIC/${ATENCION}`], kind: 'alert_red' });
  });

  it('records a skip when nobody is in the audience', async () => {
    const w = await world();
    const { record } = await fileRouted(w);
    w.directory.emptyAudience('supervisors');
    const message = await alerted(w, record, {
      alert: 'overdue',
      audience: { kind: 'supervisors', entityId: 'MINTIC' },
    });
    expect(await notify(w.notify, message)).toEqual({
      outcome: 'skipped',
      kind: 'alert_overdue',
      reason: 'no_recipient',
    });
    expect(w.notifier.sent).toEqual([]);
  });
});

describe('notify: exactly once in effect', () => {
  it('refuses while another attempt holds a fresh claim (retry later), takes over a claim past its lease', async () => {
    // Prepare: an attempt claimed the notice and has not completed it.
    const w = await world();
    const { record } = await file(w);
    w.notices.putMark(record.radicado, FILED, { state: 'sending', kind: 'filed', at: NOW, token: 'other' });

    // Act
    const busy = notify(w.notify, { radicado: record.radicado, sk: FILED });
    await expect(busy).rejects.toBeInstanceOf(NoticeBusyError);
    w.clock.advance(61_000);
    const takenOver = await notify(w.notify, { radicado: record.radicado, sk: FILED });

    // Assess
    expect(takenOver).toEqual({ outcome: 'sent', kind: 'filed' });
    expect(w.notifier.sent).toHaveLength(1);
  });

  it('gives the claim up when the send fails (pending again, on the outbox), so the retry sends at once', async () => {
    // Prepare
    const w = await world();
    const { record } = await file(w);
    w.notifier.failNext(new Error('SES throttled'));

    // Act
    const failed = notify(w.notify, { radicado: record.radicado, sk: FILED });
    await expect(failed).rejects.toThrow('SES throttled');
    const markAfterFailure = await w.notices.mark(record.radicado, FILED);
    const retried = await notify(w.notify, { radicado: record.radicado, sk: FILED });

    // Assess
    expect(markAfterFailure).toMatchObject({ state: 'pending', kind: 'filed' });
    expect(retried).toEqual({ outcome: 'sent', kind: 'filed' });
    expect(w.notifier.sent).toHaveLength(1);
  });

  it('sends a notice the provider refuses for good by the next channel, and records the failures', async () => {
    // Prepare: the petitioner gave an email and a mobile; the email and then the SMS are refused.
    const w = await world();
    const { record } = await file(w);
    w.notifier.failNext(new UndeliverableNoticeError('address refused'));

    // Act
    const bySms = await notify(w.notify, { radicado: record.radicado, sk: FILED });
    const afterSms = await w.notices.mark(record.radicado, FILED);

    // Assess: the email failed, the SMS went, and a redelivery sends nothing more.
    expect(bySms).toEqual({ outcome: 'sent', kind: 'filed' });
    expect(w.notifier.sent.map((n) => n.channel)).toEqual(['sms']);
    expect(afterSms).toMatchObject({
      state: 'sent',
      channel: 'sms',
      failures: [{ channel: 'email', at: NOW }],
    });
    expect(await notify(w.notify, { radicado: record.radicado, sk: FILED })).toEqual({
      outcome: 'duplicate',
      kind: 'filed',
    });
  });

  it('records a notice undeliverable when every channel refuses it and nothing publishes it', async () => {
    const w = await world();
    const { record } = await file(w);
    w.notifier.failNext(new UndeliverableNoticeError('address refused'));
    w.notifier.failNext(new UndeliverableNoticeError('number refused'));
    const outcome = await notify(w.notify, { radicado: record.radicado, sk: FILED });
    expect(outcome).toEqual({ outcome: 'skipped', kind: 'filed', reason: 'undeliverable' });
    expect(await w.notices.mark(record.radicado, FILED)).toMatchObject({
      state: 'skipped',
      reason: 'undeliverable',
      failures: [
        { channel: 'email', at: NOW },
        { channel: 'sms', at: NOW },
      ],
    });
    expect(w.notifier.sent).toEqual([]);
  });

  it('publishes a notice every channel refused, when notices are published (CPACA art. 69)', async () => {
    // Prepare: an answer to a petitioner whose only other contact is a landline (no SMS).
    const w = await world();
    const landline = petition({ petitioner: { ...petitioner, phone: '601 555 1234' } });
    const { record } = await fileRouted(w, landline);
    await actNow(w, supervisor, record.radicado, { type: 'assign', office: ATENCION, officer: 'officer-1' });
    await actNow(w, supervisor, record.radicado, { type: 'respond', answer: 'Sí.', outcome: 'granted' });
    const answered = (await w.cases.events(record.radicado)).at(-1)!;
    const sk = `EVENT#${String(answered.seq).padStart(6, '0')}`;
    w.notifier.failNext(new UndeliverableNoticeError('address refused'));

    // Act
    const outcome = await notify(
      { ...w.notify, publications: w.publications },
      { radicado: record.radicado, sk },
    );

    // Assess
    expect(outcome).toEqual({ outcome: 'published', kind: 'answered' });
    expect(await w.notices.mark(record.radicado, sk)).toMatchObject({
      state: 'sent',
      channel: 'publication',
      failures: [{ channel: 'email', at: NOW }],
    });
  });

  it('records a staff alert the provider refuses for good as undeliverable, with no other channel', async () => {
    const w = await world();
    const { record } = await fileRouted(w);
    const message = await alerted(w, record);
    w.notifier.failNext(new UndeliverableNoticeError('address refused'));
    expect(await notify(w.notify, message)).toEqual({
      outcome: 'skipped',
      kind: 'alert_red',
      reason: 'undeliverable',
    });
    expect(w.notifier.sent).toEqual([]);
  });

  it('sends nothing when another delivery completed the notice after this one looked', async () => {
    // Prepare: the other delivery sends between this one's first look and its claim.
    const w = await world();
    const { record } = await file(w);
    onceBefore(w.notices, 'claim', () => notify(w.notify, { radicado: record.radicado, sk: FILED }));

    // Act
    const outcome = await notify(w.notify, { radicado: record.radicado, sk: FILED });

    // Assess
    expect(outcome).toEqual({ outcome: 'duplicate', kind: 'filed' });
    expect(w.notifier.sent).toHaveLength(1);
  });
});

describe('the notice outbox (relayUnnotified)', () => {
  it('sends again what was never notified past the grace period, until it is sent or skipped', async () => {
    // Prepare: a filing and an alert three minutes ago whose messages never came; one just now.
    const w = await world();
    w.clock.advance(-180_000);
    const { record: stuck } = await file(w);
    const alert = await alerted(w, stuck, { at: w.clock.now().toISOString() });
    w.clock.set(NOW);
    const { record: fresh } = await file(w);
    const queue: NotifyMessage[] = [];
    const relay = () =>
      relayUnnotified(
        { notices: w.notices, notifications: { send: async (m) => void queue.push(...m) }, clock: w.clock },
        120,
      );

    // Act
    const first = await relay();
    for (const message of queue.splice(0)) await notify(w.notify, message);
    const second = await relay();

    // Assess: both stuck sources relayed and sent once; the fresh filing waits for its own message.
    expect(first).toBe(2);
    expect(w.notifier.sent.map((n) => `${n.radicado} ${n.kind}`).sort()).toEqual([
      `${stuck.radicado} alert_red`,
      `${stuck.radicado} filed`,
    ]);
    expect(second).toBe(0);
    expect(alert.sk).toMatch(/^ALERT#/);
    expect(await w.notices.mark(fresh.radicado, FILED)).toMatchObject({ state: 'pending' });
  });

  it('relays a claim whose sender died, and leaves a skipped notice alone', async () => {
    const w = await world();
    w.clock.advance(-600_000);
    const { record: died } = await file(w);
    const { record: anonymous } = await file(w, anonymousReport());
    w.notices.putMark(died.radicado, FILED, {
      state: 'sending',
      kind: 'filed',
      at: w.clock.now().toISOString(),
      token: 't',
    });
    await notify(w.notify, { radicado: anonymous.radicado, sk: FILED });
    w.clock.set(NOW);
    const queue: NotifyMessage[] = [];
    const relayed = await relayUnnotified(
      { notices: w.notices, notifications: { send: async (m) => void queue.push(...m) }, clock: w.clock },
      120,
    );
    expect(relayed).toBe(1);
    expect(queue).toEqual([{ radicado: died.radicado, sk: FILED }]);
  });
});

describe('when the petitioner was told (issue 14 point 11)', () => {
  it('shows each notice sent, by which channel and the day it counts as given; the answer\'s is "notified"', async () => {
    const w = await world();
    const { record, trackingCode } = await fileRouted(w);
    await notify(w.notify, { radicado: record.radicado, sk: 'EVENT#000001' });
    await actNow(w, supervisor, record.radicado, { type: 'assign', office: ATENCION, officer: 'officer-1' });
    w.clock.advance(DAY_MS);
    await actNow(w, supervisor, record.radicado, { type: 'respond', answer: 'Sí.', outcome: 'granted' });
    const answered = (await w.cases.events(record.radicado)).at(-1)!;
    await notify(w.notify, {
      radicado: record.radicado,
      sk: `EVENT#${String(answered.seq).padStart(6, '0')}`,
    });

    const stored = (await w.cases.get(record.radicado))!;
    const view = await getPublicCase({ ...w.read, notices: w.notices }, stored);

    expect(view.notices).toEqual([
      { kind: 'filed', seq: 1, channel: 'email', sentAt: NOW, notifiedOn: '2026-03-03' },
      {
        kind: 'answered',
        seq: answered.seq,
        channel: 'email',
        sentAt: w.clock.now().toISOString(),
        notifiedOn: '2026-03-04',
      },
    ]);
    expect(view.answer?.notifiedOn).toBe('2026-03-04');
    expect(trackingCode).not.toBe('');
  });

  it('counts a published notice as given the business day after its five days (CPACA art. 69)', () => {
    const records = noticeRecords([
      {
        seq: 5,
        mark: { state: 'sent', kind: 'answered', at: '2026-03-04T15:00:00.000Z', channel: 'publication' },
      },
      { seq: 6, mark: { state: 'skipped', kind: 'closed', at: '2026-03-05T15:00:00.000Z' } },
    ]);
    // Published Wednesday 4 March: shown through 11 March, notified 12 March.
    expect(records).toEqual([
      {
        kind: 'answered',
        seq: 5,
        channel: 'publication',
        sentAt: '2026-03-04T15:00:00.000Z',
        notifiedOn: '2026-03-12',
      },
    ]);
  });

  describe('delivery reports (recordDelivery)', () => {
    async function sent(w: World) {
      const { record } = await file(w);
      await notify(w.notify, { radicado: record.radicado, sk: FILED });
      const mark = (await w.notices.mark(record.radicado, FILED))!;
      const report = (r: Partial<DeliveryReport>): DeliveryReport => ({
        radicado: record.radicado,
        seq: 1,
        channel: 'email',
        outcome: 'delivered',
        at: '2026-03-04T05:10:00.000Z',
        messageId: mark.messageId!,
        ...r,
      });
      const notifications = new RecordingQueue<NotifyMessage>();
      return { record, report, deps: { notices: w.notices, notifications }, notifications };
    }

    it("counts the notice given the Bogota day it was delivered, once; another message's report changes nothing", async () => {
      const w = await world();
      const { record, report, deps } = await sent(w);

      expect(await recordDelivery(deps, report({ messageId: 'another-message' }))).toBe('stale');
      // Sent 3 March 10:00 Bogota, delivered 4 March 00:10 Bogota.
      expect(await recordDelivery(deps, report({}))).toBe('delivered');
      expect(await recordDelivery(deps, report({ at: '2026-03-05T15:00:00.000Z' }))).toBe('stale');

      const stored = (await w.cases.get(record.radicado))!;
      const view = await getPublicCase({ ...w.read, notices: w.notices }, stored);
      expect(view.notices).toEqual([
        {
          kind: 'filed',
          seq: 1,
          channel: 'email',
          sentAt: NOW,
          deliveredAt: '2026-03-04T05:10:00.000Z',
          notifiedOn: '2026-03-04',
        },
      ]);
    });

    it('sends a bounced notice again by the next channel, once, however often the bounce is reported', async () => {
      const w = await world();
      const { record, report, deps, notifications } = await sent(w);
      const bounce = report({ outcome: 'failed', at: '2026-03-03T15:05:00.000Z' });

      expect(await recordDelivery(deps, bounce)).toBe('failed');
      expect(await recordDelivery(deps, bounce)).toBe('stale');
      expect(notifications.messages).toEqual([{ radicado: record.radicado, sk: FILED }]);
      // The message the bounce put on the queue: the notice goes by SMS, the email's failure kept.
      await notify(w.notify, notifications.messages[0]!);
      expect(w.notifier.sent.map((n) => n.channel)).toEqual(['email', 'sms']);
      expect(await w.notices.mark(record.radicado, FILED)).toMatchObject({
        state: 'sent',
        channel: 'sms',
        failures: [{ channel: 'email', at: '2026-03-03T15:05:00.000Z' }],
      });
      // A late delivery report of the bounced email is about a send that no longer stands.
      expect(await recordDelivery(deps, report({}))).toBe('stale');
    });

    it("sends a petitioner's notice with the audit event it tells of, so its reports find it", async () => {
      const w = await world();
      const { record } = await sent(w);
      expect(w.notifier.sent[0]).toMatchObject({ radicado: record.radicado, event: 1 });
    });
  });
});
