import { describe, expect, it } from 'vitest';
import { type AuditEvent, chainEvent } from '#domain/case/audit.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import type { CaseAlert } from '#domain/case/watch.ts';
import {
  ALERT_ITEM_TYPE,
  alertNotice,
  CITIZEN_NOTICE_EVENTS,
  citizenNotice,
  isPetitionerAct,
  NOTIFIED_ITEM_TYPES,
  type NoticeDraft,
  type NoticePlan,
  noticeMarkerKey,
  noticeSource,
  petitionerActNotice,
  spanishDate,
} from '#domain/notices.ts';
import { OUTBOX_ROUTES } from '#shared/queue/outbox.ts';
import { PIPES } from '../../../infra/catalog.ts';

const R = 'MINTIC-2026-000042';
const EMAIL = 'ana.perez@example.com';

const record: CaseRecord = {
  radicado: R,
  entityId: 'MINTIC',
  kind: 'information_request',
  termClass: 'information',
  ruleSet: 'co-ley1755-2015',
  channel: 'web',
  subject: 'Contrato de la zona wifi',
  description: 'Solicito copia del contrato.',
  petitioner: { name: 'Ana Pérez Gómez', idType: 'CC', idNumber: '52123456', email: EMAIL },
  anonymous: false,
  priority: false,
  receivedAt: '2026-03-02T10:00:00-05:00',
  clockSettings: {},
  receivedOn: '2026-03-02',
  dueDate: '2026-03-16',
  maxExtendedDue: '2026-03-30',
  forwardBy: '2026-03-09',
  completionRequestBy: '2026-03-16',
  copiesDue: '2026-03-19',
  status: 'assigned',
  office: 'conectividad',
  officer: 'officer-1',
  trackingHash: 'x'.repeat(64),
  contentSha256: 'y'.repeat(64),
  version: 3,
  lastEventSeq: 3,
  lastEventHash: 'z'.repeat(64),
};

const event = (type: string, data: Record<string, unknown> = {}): AuditEvent =>
  chainEvent(
    { seq: 2, hash: 'a'.repeat(64) },
    {
      radicado: R,
      type,
      at: '2026-03-10T09:00:00-05:00',
      actor: { kind: 'officer', id: 'officer-1' },
      data,
    },
  );

function sent(plan: NoticePlan): NoticeDraft {
  if (!('send' in plan)) throw new Error(`expected a notice, got ${JSON.stringify(plan)}`);
  return plan.send;
}

describe('which events notify the petitioner', () => {
  it('are exactly those the law requires, and the pipe passes them and the alerts', () => {
    expect([...CITIZEN_NOTICE_EVENTS].sort()).toEqual(
      [
        'answered',
        'clarification_requested',
        'closures_applied',
        'completion_extended',
        'completion_requested',
        'deemed_accepted',
        'extended',
        'filed',
        'forwarded',
        'no_competent_authority',
        'withdrawn',
      ].sort(),
    );
    const route = OUTBOX_ROUTES.find((r) => r.queue === 'notifications');
    expect(route?.pattern).toEqual({
      eventName: ['INSERT'],
      dynamodb: {
        NewImage: { type: { S: [...CITIZEN_NOTICE_EVENTS, 'replied', 'insisted', ALERT_ITEM_TYPE] } },
      },
    });
    expect(NOTIFIED_ITEM_TYPES).toContain('alert');
    // The Outbox pipe passes what the route takes.
    expect(PIPES.find((p) => p.name === 'Outbox')?.filter).toContainEqual(route?.pattern);
    expect(route?.message).toEqual({
      radicado: '$.dynamodb.NewImage.radicado.S',
      sk: '$.dynamodb.NewImage.sk.S',
    });
  });

  it('skips internal events, and the filing of a petitioner nobody can reach (issue 13: channels)', () => {
    for (const type of ['routed', 'assigned', 'priority_set', 'completed', 'closed', 'reclassified']) {
      expect(citizenNotice(record, event(type))).toEqual({ skip: 'not_notified', kind: type });
    }
    const { petitioner: _p, ...anon } = record;
    expect(citizenNotice({ ...anon, anonymous: true }, event('filed'))).toEqual({
      skip: 'anonymous',
      kind: 'filed',
    });
    const addressOnly = {
      ...record,
      petitioner: { name: 'Ana', idType: 'CC' as const, idNumber: '1', address: 'Calle 1 # 2-3' },
    };
    expect(citizenNotice(addressOnly, event('filed'))).toEqual({ skip: 'no_contact', kind: 'filed' });
  });
});

describe('the notices to the petitioner', () => {
  it('filed: radicado, receipt day, due date and the signed receipt', () => {
    const n = sent(
      citizenNotice(record, event('filed', { dueDate: '2026-03-16' }), {
        entityName: 'MinTIC',
        receipt: 'h.p.s',
      }),
    );
    expect(n.kind).toBe('filed');
    expect(n.audience).toEqual({ kind: 'petitioner', channel: 'email', email: EMAIL });
    expect(n.subject).toBe(`Su PQRSD fue radicada — radicado ${R}`);
    expect(n.text).toContain(
      `MinTIC recibió su solicitud de información el 2 de marzo de 2026 y le asignó el radicado ${R}.`,
    );
    expect(n.text).toContain('a más tardar el 16 de marzo de 2026');
    expect(n.text).toContain('\nh.p.s\n');
  });

  it('completion requested: what to add and the last day; the term is suspended', () => {
    const n = sent(
      citizenNotice(
        record,
        event('completion_requested', { what: 'Adjunte la cédula.', petitionerRespondBy: '2026-04-10' }),
      ),
    );
    expect(n.text).toContain('Adjunte la cédula.');
    expect(n.text).toContain('Tiene hasta el 10 de abril de 2026');
    expect(n.text).toContain('art. 17');
    expect(n.text).toContain('suspendido');
  });

  it('extended: the new date, the previous one and the reasons (art. 14 parágrafo)', () => {
    const n = sent(
      citizenNotice(
        record,
        event('extended', {
          newDueDate: '2026-03-27',
          previousDueDate: '2026-03-16',
          reason: 'Volumen de archivos.',
        }),
      ),
    );
    expect(n.subject).toContain('Ampliación del plazo');
    expect(n.text).toContain('vencía el 16 de marzo de 2026');
    expect(n.text).toContain('a más tardar el 27 de marzo de 2026');
    expect(n.text).toContain('Motivos: Volumen de archivos.');
  });

  it('forwarded: both radicados and the competent entity (art. 21)', () => {
    const n = sent(
      citizenNotice(
        record,
        event('forwarded', {
          toEntityId: 'SUPERSALUD',
          linkedRadicado: 'SUPERSALUD-2026-000007',
          reason: 'Salud.',
        }),
      ),
    );
    expect(n.text).toContain(`Radicado de origen: ${R}. Radicado en SUPERSALUD: SUPERSALUD-2026-000007.`);
    expect(n.text).toContain('remitió a SUPERSALUD');
  });

  it('answered: the answer text and its sense, the reserve when one is invoked', () => {
    const n = sent(
      citizenNotice(
        record,
        event('answered', {
          answer: 'Adjuntamos el contrato 123.',
          outcome: 'partially_granted',
          legalReserve: 'Datos personales de terceros',
          legalGroundText: 'Ley 1712 de 2014, art. 18 lit. a',
          withheld: 'Las cédulas de los firmantes',
        }),
      ),
    );
    expect(n.text).toContain('(sentido: parcialmente favorable)');
    expect(n.text).toContain('Adjuntamos el contrato 123.');
    expect(n.text).toContain('Motivos de la negativa: Datos personales de terceros');
    expect(n.text).toContain('Fundamento legal: Ley 1712 de 2014, art. 18 lit. a');
    expect(n.text).toContain('Información que se retiene: Las cédulas de los firmantes');
    // CPACA art. 67: the remedy and its term (Ley 1755 art. 26), only after a denial citing a reserve.
    expect(n.text).toContain('Puede insistir en su solicitud ante la entidad dentro de los 10 días hábiles');
    expect(n.text).toContain('(Ley 1755 de 2015, art. 26)');
    const granted = sent(
      citizenNotice(record, event('answered', { answer: 'Aquí está.', outcome: 'granted' })),
    );
    expect(granted.text).not.toContain('insistir');
  });

  it('withdrawn, no competent authority, deemed accepted and completion extended say their rule', () => {
    expect(
      sent(
        citizenNotice(
          record,
          event('withdrawn', { petitionerRespondBy: '2026-04-10', reason: 'No completó.' }),
        ),
      ).text,
    ).toContain('venció el 10 de abril de 2026');
    expect(
      sent(citizenNotice(record, event('no_competent_authority', { reason: 'Asunto privado.' }))).text,
    ).toContain('ninguna autoridad es competente');
    const deemed = sent(
      citizenNotice(record, event('deemed_accepted', { dueDate: '2026-03-16', copiesDue: '2026-03-19' })),
    );
    expect(deemed.text).toContain('se entiende aceptada');
    expect(deemed.text).toContain('a más tardar el 19 de marzo de 2026');
    expect(
      sent(citizenNotice(record, event('completion_extended', { petitionerRespondBy: '2026-05-11' }))).text,
    ).toContain('hasta el 11 de mayo de 2026');
  });
});

describe('alerts to the staff', () => {
  const alert: CaseAlert = {
    radicado: R,
    entityId: 'MINTIC',
    alert: 'yellow',
    date: '2026-03-16',
    audience: { kind: 'officer', entityId: 'MINTIC', subject: 'officer-1' },
    kind: 'information_request',
    office: 'conectividad',
    semaforo: 'yellow',
    businessDaysUsed: 5,
    businessDaysLeft: 5,
    businessDaysOverdue: 0,
    totalTermDays: 10,
    at: '2026-03-09T12:00:00-05:00',
  };

  it('says first that a case is of priority attention (Ley 1755 art. 20; CPACA art. 5 num. 6)', () => {
    const n = sent(alertNotice({ ...alert, priority: true }));
    expect(n.subject).toBe(`PRIORITARIO · Semáforo amarillo — ${R}`);
    expect(n.text.split('\n')[0]).toContain('Caso de atención prioritaria');
    expect(sent(alertNotice(alert)).subject).not.toContain('PRIORITARIO');
  });

  it('tells the officer the level, the days and the due date, and nothing of the petitioner', () => {
    const n = sent(alertNotice(alert));
    expect(n.kind).toBe('alert_yellow');
    expect(n.audience).toEqual(alert.audience);
    expect(n.subject).toBe(`Semáforo amarillo — ${R}`);
    expect(n.text).toContain(
      '5 de 10 días hábiles usados; vence el 16 de marzo de 2026, quedan 5 días hábiles',
    );
    // The office's footer, not the citizen's (no tracking code to use).
    expect(n.text).not.toContain('código de seguimiento');
    expect(n.text).toContain('No responda a este correo.');
    for (const personal of ['Ana', '52123456', EMAIL, record.subject]) expect(n.text).not.toContain(personal);
  });

  it('escalates overdue cases and names withdrawal candidates', () => {
    const overdue = sent(
      alertNotice({
        ...alert,
        alert: 'overdue',
        audience: { kind: 'supervisors', entityId: 'MINTIC' },
        businessDaysOverdue: 2,
      }),
    );
    expect(overdue.kind).toBe('alert_overdue');
    expect(overdue.text).toContain('2 días hábiles de mora');
    const withdrawal = sent(alertNotice({ ...alert, alert: 'withdrawal_candidate', date: '2026-04-10' }));
    expect(withdrawal.text).toContain('desistimiento tácito');
    expect(withdrawal.text).toContain('10 de abril de 2026');
  });
});

describe('sources and marks', () => {
  it('reads what a notification message points at from its sort key', () => {
    expect(noticeSource('EVENT#000007')).toEqual({ type: 'event', sk: 'EVENT#000007', seq: 7 });
    expect(noticeSource('ALERT#red#2026-03-16')).toEqual({
      type: 'alert',
      sk: 'ALERT#red#2026-03-16',
      alert: 'red',
      date: '2026-03-16',
    });
    for (const other of ['CASE', 'NOTICE#EVENT#000001', 'EVENT#7', 'ENTITY', ''])
      expect(noticeSource(other)).toBeUndefined();
    const source = noticeSource('EVENT#000007');
    expect(source && noticeMarkerKey(source)).toBe('NOTICE#EVENT#000007');
  });

  it('writes dates the Spanish way', () => {
    expect(spanishDate('2026-05-04')).toBe('4 de mayo de 2026');
    expect(spanishDate('2026-12-31T10:00:00-05:00')).toBe('31 de diciembre de 2026');
    expect(spanishDate(null)).toBe('fecha no disponible');
  });
});

describe("the petitioner's own acts tell the office (issue 13)", () => {
  it('a reply, an insistence, an express withdrawal: to the assigned officer, never the reply text', () => {
    const reply = {
      ...event('replied', { dueDate: '2026-03-24', text: 'Mi dirección es Calle 10' }),
      actor: { kind: 'citizen' as const },
    };
    expect(isPetitionerAct(reply)).toBe(true);
    const notice = sent(petitionerActNotice(record, reply));
    expect(notice).toMatchObject({
      kind: 'petitioner_replied',
      audience: { kind: 'officer', entityId: 'MINTIC', subject: 'officer-1' },
    });
    expect(notice.text).toContain('24 de marzo de 2026');
    expect(notice.text).not.toContain('Calle 10');
    expect(notice.text).not.toContain('código de seguimiento');
    expect(sent(petitionerActNotice(record, event('insisted'))).text).toContain('art. 26');
    const express = event('withdrawn', { express: true });
    const { officer: _officer, ...withoutOfficer } = record;
    expect(isPetitionerAct(express)).toBe(true);
    expect(sent(petitionerActNotice(withoutOfficer, express))).toMatchObject({
      kind: 'petitioner_withdrew',
      audience: { kind: 'office', office: 'conectividad' },
    });
    // A tacit withdrawal is the office's act: the petitioner is told of it instead.
    expect(isPetitionerAct(event('withdrawn', { reason: 'No completó' }))).toBe(false);
  });
});
