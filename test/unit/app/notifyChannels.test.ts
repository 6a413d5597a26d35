/**
 * Issue 13: notify on each channel against in-memory stand-ins defined here (SMS, publication once
 * per source on the entity's calendar), exactly once in effect through the claim/mark mechanism.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { type NotifyDeps, notify } from '#app/notify.ts';
import { sealForNotice } from '#app/tracking.ts';
import { type AuditEvent, chainEvent } from '#domain/case/audit.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import type { Entity } from '#domain/entity.ts';
import type { EntityStore, ReceiptSigner } from '#ports/index.ts';
import { UndeliverableNoticeError } from '#ports/notifications.ts';
import {
  InMemoryCaseStore,
  InMemoryNoticeStore,
  InMemoryPublicationStore,
  RecordingNotifier,
} from '#test/support/fakes/index.ts';

const R = 'MINTIC-2026-000042';
const SECRET = 'service-secret';
const CODE = '7KQ2M-9XD4T-AB3CD-EF5GH';
const TRACKING_URL = 'http://127.0.0.1:3000/v1/cases/{radicado}';
const ANSWER = 'Señora Ana Pérez: le devolveremos el cobro.';

const base: CaseRecord = {
  radicado: R,
  entityId: 'MINTIC',
  kind: 'claim',
  termClass: 'general',
  ruleSet: 'co-ley1755-2015',
  channel: 'call_centre',
  subject: 'Cobro de la zona wifi',
  description: 'Me cobraron por la zona wifi.',
  petitioner: { name: 'Ana Pérez', idType: 'CC', idNumber: '52123456', phone: '300 123 4567' },
  anonymous: false,
  priority: false,
  receivedAt: '2026-03-02T10:00:00-05:00',
  clockSettings: {},
  receivedOn: '2026-03-02',
  dueDate: '2026-03-24',
  maxExtendedDue: '2026-04-15',
  forwardBy: '2026-03-09',
  completionRequestBy: '2026-03-16',
  status: 'assigned',
  trackingHash: 'x'.repeat(64),
  trackingSealed: sealForNotice(SECRET, CODE),
  contentSha256: 'y'.repeat(64),
  version: 3,
  lastEventSeq: 3,
  lastEventHash: 'z'.repeat(64),
};
const { petitioner: _p, trackingSealed: _s, ...unsealed } = base;
const anonymousReport: CaseRecord = { ...unsealed, kind: 'report', anonymous: true, channel: 'web' };

const event = (seq: number, type: string, data: Record<string, unknown> = {}): AuditEvent =>
  chainEvent(
    { seq: seq - 1, hash: 'a'.repeat(64) },
    { radicado: R, type, at: '2026-03-20T09:00:00-05:00', actor: { kind: 'officer', id: 'o' }, data },
  );

const entity = {
  id: 'MINTIC',
  name: 'Ministerio TIC',
  closures: ['2026-03-25'],
} as unknown as Entity;

let now: Date;
let cases: InMemoryCaseStore;
let notices: InMemoryNoticeStore;
let publications: InMemoryPublicationStore;
let notifier: RecordingNotifier;
let signed: number;

function deps(overrides: Partial<NotifyDeps> = {}): NotifyDeps {
  const entities = { get: async (id: string) => (id === entity.id ? entity : undefined) };
  const signer = {
    sign: async () => {
      signed++;
      return 'h.p.s';
    },
  };
  return {
    cases,
    entities: entities as unknown as EntityStore,
    notices,
    notifier,
    directory: { addresses: async () => [] },
    signer: signer as unknown as ReceiptSigner,
    noticeSecrets: [SECRET],
    clock: { now: () => now },
    claimLeaseSeconds: 90,
    publications,
    trackingUrl: TRACKING_URL,
    ...overrides,
  };
}

function given(r: CaseRecord, ...events: AuditEvent[]) {
  cases.insert(r, events);
}

beforeEach(() => {
  now = new Date('2026-03-20T14:00:00Z'); // Friday 20 March 2026, 09:00 in Bogota
  cases = new InMemoryCaseStore();
  notices = new InMemoryNoticeStore(cases);
  publications = new InMemoryPublicationStore();
  notifier = new RecordingNotifier();
  signed = 0;
});

describe('a petitioner with only a phone', () => {
  it('gets the filing by SMS with the radicado, the tracking code, the due date and the link', async () => {
    given(base, event(1, 'filed', { dueDate: '2026-03-24' }));
    const outcome = await notify(deps(), { radicado: R, sk: 'EVENT#000001' });
    expect(outcome).toEqual({ outcome: 'sent', kind: 'filed' });
    expect(notifier.sent).toHaveLength(1);
    const [sms] = notifier.sent;
    expect(sms).toMatchObject({
      id: `${R}/EVENT#000001`,
      channel: 'sms',
      to: ['+573001234567'],
      kind: 'filed',
    });
    expect(sms?.text).toBe(
      `Radicado ${R}. Codigo ${CODE}. Respuesta hasta 24/03/2026. http://127.0.0.1:3000/v1/cases/${R}`,
    );
    // No receipt is signed for an SMS (a JWS does not fit one); the mark says the channel.
    expect(signed).toBe(0);
    expect(await notices.mark(R, 'EVENT#000001')).toMatchObject({ state: 'sent', channel: 'sms' });
    // What a consumer logs names no recipient and no text.
    expect(JSON.stringify(outcome)).not.toMatch(/573001234567|Codigo/);
  });

  it('gets every later notice by SMS, once, without the answer text', async () => {
    given(base, event(5, 'answered', { answer: ANSWER, outcome: 'granted' }));
    await notify(deps(), { radicado: R, sk: 'EVENT#000005' });
    expect(await notify(deps(), { radicado: R, sk: 'EVENT#000005' })).toEqual({
      outcome: 'duplicate',
      kind: 'answered',
    });
    expect(notifier.sent.map((n) => [n.channel, n.kind])).toEqual([['sms', 'answered']]);
    expect(notifier.sent[0]?.text).not.toContain('devolveremos');
    expect(notifier.sent[0]?.text).not.toContain(CODE);
  });

  it('is notified by publication when the SMS service refuses the number for good (CPACA art. 69)', async () => {
    given(base, event(5, 'answered', { answer: ANSWER, outcome: 'granted' }));
    notifier.failNext(new UndeliverableNoticeError('refused'));
    expect(await notify(deps(), { radicado: R, sk: 'EVENT#000005' })).toEqual({
      outcome: 'published',
      kind: 'answered',
    });
    expect(await notices.mark(R, 'EVENT#000005')).toMatchObject({
      state: 'sent',
      channel: 'publication',
      failures: [{ channel: 'sms' }],
    });
  });

  it('is notified by publication when no SMS sender is configured', async () => {
    given(base, event(5, 'answered', { answer: ANSWER, outcome: 'granted' }));
    expect(await notify(deps({ sms: false }), { radicado: R, sk: 'EVENT#000005' })).toEqual({
      outcome: 'published',
      kind: 'answered',
    });
    expect(notifier.sent).toEqual([]);
    expect(publications.all().length).toBe(1);
  });
});

describe('a petitioner nobody can be sent a notice (CPACA art. 69)', () => {
  it('has the answer published once, for five business days on the entity calendar', async () => {
    given(anonymousReport, event(5, 'answered', { answer: ANSWER, outcome: 'granted' }));
    const outcome = await notify(deps(), { radicado: R, sk: 'EVENT#000005' });
    expect(outcome).toEqual({ outcome: 'published', kind: 'answered' });
    const [notice] = publications.all();
    // Friday 20 March; San José (23) and the entity's closure (25) do not count.
    expect(notice).toMatchObject({
      id: `${R}/EVENT#000005`,
      radicado: R,
      entityId: 'MINTIC',
      entityName: 'Ministerio TIC',
      kind: 'answered',
      caseKind: 'report',
      publishedAt: '2026-03-20T14:00:00.000Z',
      publishedOn: '2026-03-20',
      until: '2026-03-31',
      notifiedOn: '2026-04-01',
    });
    expect(notice?.text).not.toContain('devolveremos');
    expect(notifier.sent).toEqual([]);
    expect(await notices.mark(R, 'EVENT#000005')).toMatchObject({
      state: 'sent',
      channel: 'publication',
      messageId: `${R}/EVENT#000005`,
    });
    // A redelivery finds it done.
    expect(await notify(deps(), { radicado: R, sk: 'EVENT#000005' })).toEqual({
      outcome: 'duplicate',
      kind: 'answered',
    });
    expect(publications.all().length).toBe(1);
    expect((await publications.inForce('MINTIC', '2026-03-31', { limit: 10 })).items).toHaveLength(1);
    expect((await publications.inForce('MINTIC', '2026-04-01', { limit: 10 })).items).toHaveLength(0);
  });

  it('keeps the first publication when the attempt died before recording it', async () => {
    given(anonymousReport, event(5, 'answered', { answer: ANSWER, outcome: 'granted' }));
    notices.failNextComplete();
    await expect(notify(deps(), { radicado: R, sk: 'EVENT#000005' })).rejects.toThrow('the process died');
    expect((await notices.mark(R, 'EVENT#000005'))?.state).toBe('sending');
    // The redelivery comes the next Monday, after the claim's lease: the notice is not dated again.
    now = new Date('2026-03-24T14:00:00Z');
    expect(await notify(deps(), { radicado: R, sk: 'EVENT#000005' })).toEqual({
      outcome: 'published',
      kind: 'answered',
    });
    expect(publications.all().map((n) => [n.publishedOn, n.until])).toEqual([['2026-03-20', '2026-03-31']]);
    expect(await notices.mark(R, 'EVENT#000005')).toMatchObject({ state: 'sent', channel: 'publication' });
  });

  it('publishes nothing for the filing itself, and records why', async () => {
    given(anonymousReport, event(1, 'filed', { dueDate: '2026-03-24' }));
    expect(await notify(deps(), { radicado: R, sk: 'EVENT#000001' })).toEqual({
      outcome: 'skipped',
      kind: 'filed',
      reason: 'anonymous',
    });
    expect(publications.all().length).toBe(0);
    expect(notifier.sent).toEqual([]);
  });

  it('is recorded as skipped, with the reason, where no publication store is wired', async () => {
    const addressOnly: CaseRecord = {
      ...unsealed,
      petitioner: { name: 'Ana', idType: 'CC', idNumber: '1', address: 'Calle 1' },
    };
    given(addressOnly, event(5, 'answered', { answer: ANSWER, outcome: 'granted' }));
    const { publications: _none, ...without } = deps();
    expect(await notify(without, { radicado: R, sk: 'EVENT#000005' })).toEqual({
      outcome: 'skipped',
      kind: 'answered',
      reason: 'no_contact',
    });
  });
});

describe('a petitioner with an email', () => {
  it('still gets email, with the signed receipt', async () => {
    given(
      {
        ...base,
        petitioner: {
          name: 'Ana',
          idType: 'CC',
          idNumber: '1',
          email: 'ana@example.com',
          phone: '3001234567',
        },
      },
      event(1, 'filed', { dueDate: '2026-03-24' }),
    );
    await notify(deps(), { radicado: R, sk: 'EVENT#000001' });
    expect(notifier.sent.map((n) => [n.channel, n.to])).toEqual([['email', ['ana@example.com']]]);
    expect(notifier.sent[0]?.text).toContain(CODE);
    expect(signed).toBe(1);
  });
});
