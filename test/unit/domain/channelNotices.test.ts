/**
 * Issue 13, every channel reaches the petitioner: the SMS of each notice (Spanish, GSM-7, one part
 * of 160 where the facts fit, with the tracking link) and the notice published when nobody can be
 * sent it (CPACA art. 69: five business days on the entity's calendar, no personal data).
 */
import { describe, expect, it } from 'vitest';
import { type AuditEvent, chainEvent } from '#domain/case/audit.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import { PUBLICATION_BUSINESS_DAYS, publicationPeriod, smsSize } from '#domain/channels.ts';
import { bogotaDay } from '#domain/clock/dates.ts';
import { CITIZEN_NOTICE_EVENTS, citizenNotice, type NoticePlan } from '#domain/notices.ts';
import { inForce, type PublicationDraft, publishNotice } from '#domain/publication.ts';

const R = 'MINTIC-2026-000042';
const CODE = '7KQ2M-9XD4T-AB3CD-EF5GH';
/** A tracking link of 67 characters with the radicado: more than a portal's short link costs. */
const TRACKING_URL = 'https://pqrsd.mintic.gov.co/seguimiento?radicado={radicado}';
const LINK = `https://pqrsd.mintic.gov.co/seguimiento?radicado=${R}`;

const petitioner = {
  name: 'Ana Pérez Gómez',
  idType: 'CC' as const,
  idNumber: '52123456',
  phone: '300 123 4567',
  address: 'Calle 10 # 5-21, Vereda El Carmen',
};

const record: CaseRecord = {
  radicado: R,
  entityId: 'MINTIC',
  kind: 'information_request',
  termClass: 'information',
  ruleSet: 'co-ley1755-2015',
  channel: 'call_centre',
  subject: 'Cobro de la zona wifi',
  description: 'Me cobraron por la zona wifi gratuita de la vereda El Carmen.',
  petitioner,
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
  office: 'conectividad',
  officer: 'officer-1',
  trackingHash: 'x'.repeat(64),
  contentSha256: 'y'.repeat(64),
  version: 3,
  lastEventSeq: 3,
  lastEventHash: 'z'.repeat(64),
};

const { petitioner: _p, ...withoutPetitioner } = record;
const anonymous: CaseRecord = { ...withoutPetitioner, anonymous: true, kind: 'report' };

const event = (type: string, data: Record<string, unknown> = {}): AuditEvent =>
  chainEvent(
    { seq: 2, hash: 'a'.repeat(64) },
    { radicado: R, type, at: '2026-03-10T09:00:00-05:00', actor: { kind: 'officer', id: 'o' }, data },
  );

/** Each notified event with the facts its action records. */
const FACTS: Record<string, Record<string, unknown>> = {
  filed: { dueDate: '2026-03-24' },
  completion_requested: { what: 'Adjunte la factura.', petitionerRespondBy: '2026-04-10' },
  clarification_requested: { what: 'Diga qué cobro.', petitionerRespondBy: '2026-03-24' },
  completion_extended: { petitionerRespondBy: '2026-05-11' },
  extended: { newDueDate: '2026-04-15', previousDueDate: '2026-03-24', reason: 'Visita técnica.' },
  forwarded: { toEntityId: 'SUPERSALUD', linkedRadicado: 'SUPERSALUD-2026-000007', reason: 'Salud.' },
  no_competent_authority: { reason: 'Asunto entre particulares.' },
  answered: {
    answer: 'Señora Ana Pérez Gómez, CC 52123456: le devolveremos el cobro.',
    outcome: 'granted',
  },
  withdrawn: { petitionerRespondBy: '2026-04-10', reason: 'No completó.' },
  deemed_accepted: { dueDate: '2026-03-16', copiesDue: '2026-03-19' },
  closures_applied: { dueMoved: true, dueDate: '2026-03-31', petitionerRespondBy: null, moved: {} },
};

function sms(plan: NoticePlan) {
  if (!('send' in plan)) throw new Error(`expected an SMS, got ${JSON.stringify(plan)}`);
  return plan.send;
}

function published(plan: NoticePlan): PublicationDraft {
  if (!('publish' in plan)) throw new Error(`expected a publication, got ${JSON.stringify(plan)}`);
  return plan.publish;
}

describe('SMS to a petitioner with only a phone', () => {
  it('the filing SMS: radicado, tracking code, due date and link, in one GSM-7 part', () => {
    const n = sms(
      citizenNotice(record, event('filed', FACTS.filed), { trackingCode: CODE, trackingUrl: TRACKING_URL }),
    );
    expect(n.kind).toBe('filed');
    expect(n.audience).toEqual({ kind: 'petitioner', channel: 'sms', phone: '+573001234567' });
    expect(n.text).toBe(`Radicado ${R}. Codigo ${CODE}. Respuesta hasta 24/03/2026. ${LINK}`);
    expect(smsSize(n.text)).toEqual({ encoding: 'gsm7', units: n.text.length, parts: 1 });
    expect(n.text.length).toBeLessThanOrEqual(160);
    // The code is never in the link (URLs end up in logs and browser histories).
    expect(n.text.indexOf(CODE)).toBeLessThan(n.text.indexOf('https://'));
  });

  it('every notice is GSM-7 with the link; those of fixed facts fit one part of 160', () => {
    // Free text of the officer (what to complete, reasons) goes whole, in more parts if need be.
    const freeText = new Set([
      'completion_requested',
      'clarification_requested',
      'extended',
      'no_competent_authority',
    ]);
    for (const kind of CITIZEN_NOTICE_EVENTS) {
      const n = sms(citizenNotice(record, event(kind, FACTS[kind]), { trackingUrl: TRACKING_URL }));
      const size = smsSize(n.text);
      expect(size.encoding, kind).toBe('gsm7');
      expect(n.text, kind).toContain(R);
      expect(n.text.endsWith(` ${LINK}`), kind).toBe(true);
      if (!freeText.has(kind)) expect(n.text.length, `${kind}: ${n.text}`).toBeLessThanOrEqual(160);
      else expect(size.parts, kind).toBeLessThanOrEqual(2);
      // The SMS never carries the answer: the tracking view does.
      expect(n.text, kind).not.toContain('devolveremos');
    }
  });

  it('says what the law asks of each notice: dates, articles, the other radicado', () => {
    const text = (kind: string) =>
      sms(citizenNotice(record, event(kind, FACTS[kind]), { trackingUrl: TRACKING_URL })).text;
    expect(text('completion_requested')).toContain('complete su PQRSD a mas tardar 10/04/2026');
    expect(text('completion_requested')).toContain('Adjunte la factura.');
    expect(text('clarification_requested')).toContain('art. 19');
    expect(text('extended')).toContain('hasta 15/04/2026');
    expect(text('extended')).toContain('Motivos: Visita técnica.');
    expect(text('forwarded')).toContain('remitida por competencia a SUPERSALUD-2026-000007');
    expect(text('answered')).toContain('respuesta a su PQRSD (favorable). Vela con su codigo:');
    expect(text('deemed_accepted')).toContain('Copias hasta 19/03/2026');
  });

  it('without a tracking URL the SMS has no link; without an SMS sender it is published', () => {
    const n = sms(citizenNotice(record, event('answered', FACTS.answered)));
    expect(n.text).not.toContain('http');
    const plan = citizenNotice(record, event('answered', FACTS.answered), { sms: false });
    expect('publish' in plan && plan.reason).toBe('sms_unavailable');
  });
});

describe('publication (CPACA art. 69) when nobody can be sent the notice', () => {
  it('publishes every notice but the filing of an anonymous report', () => {
    expect(citizenNotice(anonymous, event('filed', FACTS.filed))).toEqual({
      skip: 'anonymous',
      kind: 'filed',
    });
    for (const kind of CITIZEN_NOTICE_EVENTS.filter((k) => k !== 'filed')) {
      const plan = citizenNotice(anonymous, event(kind, FACTS[kind]), { entityName: 'MinTIC' });
      expect('publish' in plan && plan.reason, kind).toBe('anonymous');
      expect(published(plan)).toMatchObject({ kind, radicado: R, entityId: 'MINTIC', caseKind: 'report' });
      // Deemed acceptance is an information request's only (Ley 1755 art. 14 num. 1).
      if (kind !== 'deemed_accepted')
        expect(published(plan).body, kind).toContain('la denuncia con radicado');
    }
  });

  it('publishes the radicado, the entity and what happened, and no personal data nor the answer', () => {
    const addressOnly: CaseRecord = { ...record, petitioner: { ...petitioner, phone: '601 234 5678' } };
    for (const kind of CITIZEN_NOTICE_EVENTS.filter((k) => k !== 'filed')) {
      const plan = citizenNotice(addressOnly, event(kind, FACTS[kind]), { entityName: 'MinTIC' });
      expect('publish' in plan && plan.reason, kind).toBe('no_contact');
      const notice = publishNotice(published(plan), 'EVENT#000003', new Date('2026-03-20T15:00:00Z'));
      const shown = JSON.stringify(notice);
      expect(notice.text, kind).toContain(R);
      expect(notice.text, kind).toContain('MinTIC');
      for (const secret of [
        'Ana',
        'Pérez',
        '52123456',
        '601 234 5678',
        'Calle 10',
        'El Carmen',
        record.subject,
        'devolveremos',
        'Adjunte la factura',
        'Visita técnica',
        'Asunto entre particulares',
      ]) {
        expect(shown, `${kind} shows ${secret}`).not.toContain(secret);
      }
    }
    const answer = publishNotice(
      published(citizenNotice(anonymous, event('answered', FACTS.answered), { entityName: 'MinTIC' })),
      'EVENT#000005',
      new Date('2026-03-20T15:00:00Z'),
    );
    expect(answer).toMatchObject({
      id: `${R}/EVENT#000005`,
      kind: 'answered',
      title: `Respuesta — radicado ${R}`,
    });
    expect(answer.text).toContain('La respuesta está disponible en el seguimiento del caso');
    expect(answer.text).toContain('código de seguimiento');
    expect(answer.text).toContain('Ley 1437 de 2011, art. 69');
    expect(answer.text).not.toContain('insistir');
    // A denial citing a reserve names the remedy and its term (CPACA art. 67; Ley 1755 art. 26).
    const denial = publishNotice(
      published(
        citizenNotice(
          anonymous,
          event('answered', { answer: 'Negada.', outcome: 'denied', legalReserve: 'Seguridad nacional' }),
          { entityName: 'MinTIC' },
        ),
      ),
      'EVENT#000006',
      new Date('2026-03-20T15:00:00Z'),
    );
    expect(denial.text).toContain(
      'Puede insistir en su solicitud ante la entidad dentro de los 10 días hábiles',
    );
    expect(denial.text).not.toContain('Seguridad nacional');
  });

  it('shows it five business days after publication on the national calendar (holidays skipped)', () => {
    expect(PUBLICATION_BUSINESS_DAYS).toBe(5);
    // Friday 20 March 2026; Monday 23 is San José: days 1–5 are 24, 25, 26, 27 and 30 March.
    expect(publicationPeriod('2026-03-20')).toEqual({ until: '2026-03-30', notifiedOn: '2026-03-31' });
    // Published on Saturday: the same five days.
    expect(publicationPeriod('2026-03-21')).toEqual({ until: '2026-03-30', notifiedOn: '2026-03-31' });
    // Holy Thursday and Good Friday (2 and 3 April 2026) do not count.
    expect(publicationPeriod('2026-03-27')).toEqual({ until: '2026-04-07', notifiedOn: '2026-04-08' });
  });

  it("counts on the entity's calendar: its closures are not business days", () => {
    expect(publicationPeriod('2026-03-20', { closures: ['2026-03-25'] })).toEqual({
      until: '2026-03-31',
      notifiedOn: '2026-04-01',
    });
    // A closure on the day after `until` moves the day notification is deemed done.
    expect(publicationPeriod('2026-03-20', { closures: ['2026-03-31'] })).toEqual({
      until: '2026-03-30',
      notifiedOn: '2026-04-01',
    });
  });

  it('dates the notice in Bogota, and says its period and when notification is deemed done', () => {
    // 22:00 in Bogota on Friday 20 March is already Saturday in UTC.
    expect(bogotaDay(new Date('2026-03-21T03:00:00Z'))).toBe('2026-03-20');
    const draft = published(
      citizenNotice(anonymous, event('answered', FACTS.answered), { entityName: 'MinTIC' }),
    );
    const notice = publishNotice(draft, 'EVENT#000005', new Date('2026-03-21T03:00:00Z'), {
      closures: ['2026-03-25'],
    });
    expect(notice).toMatchObject({
      publishedAt: '2026-03-21T03:00:00.000Z',
      publishedOn: '2026-03-20',
      until: '2026-03-31',
      notifiedOn: '2026-04-01',
    });
    expect(notice.text).toContain(
      'publicado el 20 de marzo de 2026 por cinco (5) días hábiles, hasta el 31 de marzo de 2026',
    );
    expect(notice.text).toContain('se considera surtida al finalizar el 1 de abril de 2026');
  });

  it('is in force from its publication day through `until`, and gone the day after', () => {
    const notice = { publishedOn: '2026-03-20', until: '2026-03-30' };
    expect(inForce(notice, '2026-03-19')).toBe(false);
    expect(inForce(notice, '2026-03-20')).toBe(true);
    expect(inForce(notice, '2026-03-30')).toBe(true);
    expect(inForce(notice, '2026-03-31')).toBe(false);
  });
});
