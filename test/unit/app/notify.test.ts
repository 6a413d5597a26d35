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
  relayUnnotified,
} from '#app/notify.ts';
import { getPublicCase } from '#app/readCases.ts';
import { verifyReceipt } from '#app/receipts.ts';
import { trackingCodeMatches } from '#app/tracking.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import { alertKey, type CaseAlert } from '#domain/case/watch.ts';
import { noticeRecords } from '#domain/channels.ts';
import { UndeliverableNoticeError } from '#ports/notifications.ts';
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

  it('records a notice the provider refuses for good as undeliverable, without failing', async () => {
    const w = await world();
    const { record } = await file(w);
    w.notifier.failNext(new UndeliverableNoticeError('address refused'));
    const outcome = await notify(w.notify, { radicado: record.radicado, sk: FILED });
    const again = await notify(w.notify, { radicado: record.radicado, sk: FILED });
    expect(outcome).toEqual({ outcome: 'skipped', kind: 'filed', reason: 'undeliverable' });
    expect(again).toEqual({ outcome: 'duplicate', kind: 'filed' });
    expect(await w.notices.mark(record.radicado, FILED)).toMatchObject({
      state: 'skipped',
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
});
