/**
 * The notices a case sends (issue 5, citizen notifications): which audit events the petitioner
 * must be told of, and the text of each notice, in Spanish, plain text. Pure.
 *
 * What the law requires the petitioner be told (RULES.md):
 * - `filed`: the radicado, the due date, the signed receipt (Decreto 1166 de 2016; Ley 1755 art. 14).
 * - `completion_requested` / `clarification_requested` (arts. 17 and 19): what to add, by when; the
 *   term is suspended meanwhile. `completion_extended`: the new last day the petitioner asked for.
 * - `extended` (art. 14 parágrafo): the new date and the reasons, before the term expires.
 * - `forwarded` / `no_competent_authority` (art. 21): to whom, with the new radicado, or that no
 *   authority is competent.
 * - `answered`: the answer itself.
 * - `withdrawn` (art. 17): the reasoned act of desistimiento tácito.
 * - `deemed_accepted` (art. 14 num. 1): an information request unanswered in time is accepted and
 *   the copies are due within 3 days.
 * - `closures_applied`: a closure or suspension of terms the entity declared moved the due date
 *   or the petitioner's last day (RULES.md, second pass); told only when one of them moved.
 * Other events (routing, assignment, priority, completion received, closing) are internal.
 *
 * Recipients (issue 13, channels.ts): the petitioner's email when given; else an SMS to a phone
 * that takes one (smsNotices.ts); else, anonymous or unreachable, the notice is published on the
 * entity's notices list (publication.ts, CPACA art. 69). Officers' alerts (`CaseAlert`, see
 * case/watch.ts) go to a staff audience the Directory resolves.
 */
import type { AuditEvent } from './case/audit.ts';
import type { CaseRecord } from './case/case.ts';
import { type AlertKind, type CaseAlert, parseAlertKey, type StaffAudience } from './case/watch.ts';
import { type NoticeChannel, type PublicationReason, petitionerReach } from './channels.ts';
import { insistenceText, KIND_LABEL, OUTCOME_LABEL, spanishDate, str } from './noticeText.ts';
import { type PublicationDraft, publicationDraft } from './publication.ts';
import { smsText } from './smsNotices.ts';

export { spanishDate } from './noticeText.ts';

import { CITIZEN_NOTICE_EVENTS, type CitizenNoticeEvent, PETITIONER_ACT_EVENTS } from './noticeTypes.ts';

export {
  ALERT_ITEM_TYPE,
  CITIZEN_NOTICE_EVENTS,
  type CitizenNoticeEvent,
  NOTIFIED_ITEM_TYPES,
  PETITIONER_ACT_EVENTS,
} from './noticeTypes.ts';

const ACT_KIND = {
  replied: 'petitioner_replied',
  insisted: 'petitioner_insisted',
  withdrawn: 'petitioner_withdrew',
} as const;

export type NoticeKind = CitizenNoticeEvent | `alert_${AlertKind}` | (typeof ACT_KIND)[keyof typeof ACT_KIND];

export type NoticeAudience =
  | { readonly kind: 'petitioner'; readonly channel: 'email'; readonly email: string }
  | { readonly kind: 'petitioner'; readonly channel: 'sms'; readonly phone: string }
  | StaffAudience;

export interface NoticeDraft {
  readonly kind: NoticeKind;
  readonly audience: NoticeAudience;
  readonly subject: string;
  readonly text: string;
}

export type SkipReason = PublicationReason | 'not_notified';

/** A notice to send, one to publish (the petitioner cannot be reached), or none. */
export type NoticePlan =
  | { readonly send: NoticeDraft }
  | { readonly publish: PublicationDraft; readonly reason: PublicationReason }
  | { readonly skip: SkipReason; readonly kind: string };

/** What a notification message points at: an audit event or an alert of a case. */
export type NoticeSource =
  | { readonly type: 'event'; readonly sk: string; readonly seq: number }
  | { readonly type: 'alert'; readonly sk: string; readonly alert: AlertKind; readonly date: string };

/** The source key of the notice of a case's audit event `seq` (what `noticeSource` parses). */
export function eventSourceKey(seq: number): string {
  return `EVENT#${String(seq).padStart(6, '0')}`;
}

/** The source of a notification from the item's sort key, or undefined when it is not one. */
export function noticeSource(sk: string): NoticeSource | undefined {
  const event = /^EVENT#(\d{6})$/.exec(sk);
  if (event?.[1]) return { type: 'event', sk, seq: Number(event[1]) };
  const alert = parseAlertKey(sk);
  return alert ? { type: 'alert', sk, alert: alert.kind, date: alert.date } : undefined;
}

/** The sort key of the marker that a source's notice was handled (`pk = CASE#<radicado>`). */
export function noticeMarkerKey(source: NoticeSource): string {
  return `NOTICE#${source.sk}`;
}

const FOOTER = [
  '',
  '—',
  'Este es un mensaje automático del sistema de PQRSD. Para consultar el estado de su caso use el',
  'radicado y el código de seguimiento que recibió al radicar. No responda a este correo.',
];

/** The office's own notices (alerts, the petitioner's acts): the citizen's footer is not theirs. */
const STAFF_FOOTER = ['', '—', 'Mensaje automático del sistema de PQRSD. No responda a este correo.'];

/** A notice's text: its lines (falsy ones left out), then `footer`. */
const withFooter =
  (footer: readonly string[]) =>
  (...parts: (string | false | undefined)[]): string =>
    [...parts.filter((p): p is string => typeof p === 'string'), ...footer].join('\n');
const lines = withFooter(FOOTER);
const staffLines = withFooter(STAFF_FOOTER);

export interface CitizenNoticeContext {
  /** The entity's name (falls back to its id). */
  readonly entityName?: string;
  /** The filing's receipt (JWS), for the `filed` notice. */
  readonly receipt?: string;
  /** A channel filing's tracking code (nobody was shown it), for the `filed` notice. */
  readonly trackingCode?: string;
  /** Whether SMS can be sent (a sender is configured); false: phone-only petitioners get publication. */
  readonly sms?: boolean;
  /** The tracking view's URL template (`…{radicado}…`), linked from each SMS. */
  readonly trackingUrl?: string;
  /** The channels this notice already failed on (bounced or refused): the next one is tried. */
  readonly failed?: readonly NoticeChannel[];
}

/**
 * The notice to the petitioner for one audit event of the case, or why none is sent.
 * `record` is the case as it is now (its petitioner and links); `event` carries the facts of the
 * change (dates, reasons, the answer), so a notice says what happened then even if read later.
 */
export function citizenNotice(
  record: CaseRecord,
  event: AuditEvent,
  context: CitizenNoticeContext = {},
): NoticePlan {
  const type = event.type;
  if (!(CITIZEN_NOTICE_EVENTS as readonly string[]).includes(type))
    return { skip: 'not_notified', kind: type };
  const kind = type as CitizenNoticeEvent;
  if (kind === 'closures_applied' && event.data.dueMoved !== true) return { skip: 'not_notified', kind };
  const reach = petitionerReach(record, {
    ...(context.sms === false ? { sms: false } : {}),
    ...(context.failed ? { failed: context.failed } : {}),
  });
  const entity = context.entityName ?? record.entityId;
  switch (reach.channel) {
    case 'email':
      return emailNotice(record, event, kind, reach.email, entity, context);
    case 'sms':
      return {
        send: {
          kind,
          audience: { kind: 'petitioner', channel: 'sms', phone: reach.phone },
          subject: `SMS — radicado ${record.radicado}`,
          text: smsText(record, event, kind, context),
        },
      };
    case 'publication': {
      const draft = publicationDraft(record, event, kind, entity);
      return draft ? { publish: draft, reason: reach.reason } : { skip: reach.reason, kind };
    }
  }
}

/** The email to the petitioner for one notified event. */
function emailNotice(
  record: CaseRecord,
  event: AuditEvent,
  kind: CitizenNoticeEvent,
  email: string,
  entity: string,
  context: CitizenNoticeContext,
): NoticePlan {
  const d = event.data;
  const r = record.radicado;
  const what = KIND_LABEL[record.kind];
  const reason = str(d.reason);
  const draft = (subject: string, text: string): NoticePlan => ({
    send: {
      kind,
      audience: { kind: 'petitioner', channel: 'email', email },
      subject: `${subject} — radicado ${r}`,
      text,
    },
  });
  switch (kind) {
    case 'filed':
      return draft(
        'Su PQRSD fue radicada',
        lines(
          `${entity} recibió su ${what} el ${spanishDate(record.receivedOn)} y le asignó el radicado ${r}.`,
          `La entidad debe responderle a más tardar el ${spanishDate(d.dueDate ?? record.dueDate)} (días hábiles contados desde el día siguiente a la recepción).`,
          ...(context.trackingCode
            ? [
                '',
                `Su código de seguimiento es ${context.trackingCode}: con él y el radicado puede consultar el estado de su caso. Guárdelo; no se lo volveremos a enviar.`,
              ]
            : []),
          '',
          'Comprobante de radicación firmado digitalmente (puede verificarlo en /v1/receipts/verify):',
          context.receipt ?? '(no disponible)',
        ),
      );
    case 'completion_requested':
    case 'clarification_requested': {
      const completion = kind === 'completion_requested';
      return draft(
        completion ? 'Le pedimos completar su solicitud' : 'Le pedimos aclarar su solicitud',
        lines(
          `${entity} necesita que ${completion ? 'complete' : 'aclare'} su ${what} ${r}:`,
          '',
          str(d.what) ?? '',
          '',
          `Tiene hasta el ${spanishDate(d.petitionerRespondBy)} para hacerlo (Ley 1755 de 2015, art. ${completion ? '17' : '19'}).`,
          'Mientras tanto el término para responderle está suspendido; se reanuda el día siguiente a su respuesta.',
          completion
            ? 'Puede pedir una prórroga de un mes, una sola vez, antes de esa fecha. Si no completa a tiempo, la entidad podrá decretar el desistimiento tácito.'
            : 'Este plazo no se prorroga; si no aclara a tiempo, la petición se archivará.',
        ),
      );
    }
    case 'completion_extended':
      return draft(
        'Prórroga del plazo para completar su solicitud',
        lines(
          `Se amplió el plazo para completar su ${what} ${r} hasta el ${spanishDate(d.petitionerRespondBy)} (Ley 1755 de 2015, art. 17).`,
        ),
      );
    case 'extended':
      return draft(
        'Ampliación del plazo de respuesta',
        lines(
          `${entity} no puede responder su ${what} ${r} dentro del término inicial, que vencía el ${spanishDate(d.previousDueDate)}.`,
          `Le responderá a más tardar el ${spanishDate(d.newDueDate)} (Ley 1755 de 2015, art. 14, parágrafo).`,
          reason && '',
          reason && `Motivos: ${reason}`,
        ),
      );
    case 'forwarded': {
      const to = str(d.toEntityId) ?? record.forwardedTo?.entityId ?? 'la entidad competente';
      const linked = str(d.linkedRadicado) ?? record.forwardedTo?.radicado;
      return draft(
        'Su solicitud fue remitida a la entidad competente',
        lines(
          `${entity} no es competente para resolver su ${what} ${r} y la remitió a ${to} (Ley 1755 de 2015, art. 21).`,
          linked
            ? `Allí quedó radicada con el número ${linked}; el término de respuesta corre desde el día siguiente a su recepción por ${to}.`
            : `El término de respuesta corre desde el día siguiente a su recepción por ${to}.`,
          `Radicado de origen: ${r}.${linked ? ` Radicado en ${to}: ${linked}.` : ''}`,
          reason && '',
          reason && `Motivos: ${reason}`,
        ),
      );
    }
    case 'no_competent_authority':
      return draft(
        'Ninguna autoridad es competente para su solicitud',
        lines(
          `${entity} examinó su ${what} ${r} y ninguna autoridad es competente para resolverla (Ley 1755 de 2015, art. 21).`,
          reason && '',
          reason && `Motivos: ${reason}`,
        ),
      );
    case 'answered': {
      const reserve = str(d.legalReserve);
      return draft(
        `Respuesta a su ${what}`,
        lines(
          `${entity} responde su ${what} ${r}${str(d.outcome) ? ` (sentido: ${OUTCOME_LABEL[String(d.outcome)] ?? String(d.outcome)})` : ''}:`,
          '',
          str(d.answer) ?? '',
          d.basis === 'disrespectful' &&
            'La petición se rechaza por irrespetuosa (Ley 1755 de 2015, art. 19); puede presentarla de nuevo en términos respetuosos.',
          d.basis === 'repeated' &&
            `Su petición repite la radicada como ${str(d.reference)}, ya respondida: la entidad se remite a esa respuesta (Ley 1755 de 2015, art. 19).`,
          reserve && '',
          reserve && `Motivos de la negativa: ${reserve}`,
          str(d.legalGroundText) && `Fundamento legal: ${str(d.legalGroundText)}`,
          str(d.withheld) && `Información que se retiene: ${str(d.withheld)}`,
          insistenceText(d),
          d.deemedAccepted === true &&
            'La respuesta se dio después del vencimiento: su solicitud de información se entiende aceptada (Ley 1755 de 2015, art. 14 num. 1).',
        ),
      );
    }
    case 'withdrawn':
      return draft(
        'Desistimiento tácito de su solicitud',
        lines(
          `${entity} decretó el desistimiento tácito de su ${what} ${r}: el plazo para completarla o aclararla venció el ${spanishDate(d.petitionerRespondBy)} sin respuesta (Ley 1755 de 2015, art. 17).`,
          reason && `Motivos: ${reason}`,
          'Contra este acto procede únicamente el recurso de reposición. Puede presentar de nuevo su solicitud con los requisitos completos.',
        ),
      );
    case 'closures_applied':
      return draft(
        'Cambió la fecha de su caso por un cierre o suspensión de términos',
        lines(
          `${entity} declaró días en que sus términos no corren (cierre o suspensión de términos), y eso mueve las fechas de su ${what} ${r}.`,
          d.dueDate ? `La entidad debe responderle a más tardar el ${spanishDate(d.dueDate)}.` : '',
          d.petitionerRespondBy
            ? `Usted tiene hasta el ${spanishDate(d.petitionerRespondBy)} para responder lo que se le pidió.`
            : '',
        ),
      );
    case 'deemed_accepted':
      return draft(
        'Su solicitud de información se entiende aceptada',
        lines(
          `Su solicitud de información ${r} no fue respondida a más tardar el ${spanishDate(d.dueDate)}.`,
          'Por ley se entiende aceptada: la entidad ya no puede negar la entrega de los documentos (Ley 1755 de 2015, art. 14 num. 1).',
          `Las copias deben entregársele a más tardar el ${spanishDate(d.copiesDue)}.`,
        ),
      );
  }
}

/** Whether the event is an act of the petitioner (an express withdrawal; a tacit one is the office's). */
export function isPetitionerAct(event: Pick<AuditEvent, 'type' | 'actor' | 'data'>): boolean {
  if (event.type === 'withdrawn') return event.data.express === true;
  return (PETITIONER_ACT_EVENTS as readonly string[]).includes(event.type);
}

/**
 * The notice to the office of a petitioner's act: to the assigned officer, else the office, else
 * the supervisors. No text of the petitioner's reply (the officer reads it in the case).
 */
export function petitionerActNotice(record: CaseRecord, event: AuditEvent): NoticePlan {
  const r = record.radicado;
  const what = KIND_LABEL[record.kind];
  const audience: StaffAudience = record.officer
    ? { kind: 'officer', entityId: record.entityId, subject: record.officer }
    : record.office
      ? { kind: 'office', entityId: record.entityId, office: record.office }
      : { kind: 'supervisors', entityId: record.entityId };
  const type = event.type as (typeof PETITIONER_ACT_EVENTS)[number];
  const d = event.data;
  const text: Record<typeof type, [string, ...string[]]> = {
    replied: [
      'El peticionario respondió',
      `El peticionario respondió el requerimiento del caso ${r} (${what}); el término corre de nuevo${str(d.dueDate) ? ` y vence el ${spanishDate(d.dueDate)}` : ''}.`,
      'Revise la respuesta en el caso (Ley 1755 de 2015, arts. 17 y 19).',
    ],
    insisted: [
      'El peticionario insiste',
      `El peticionario insiste en su solicitud ${r} (${what}), negada por reserva legal.`,
      'Envíe el expediente al tribunal o juez administrativo competente y registre el envío (acción send_to_court; Ley 1755 de 2015, art. 26).',
    ],
    withdrawn: [
      'El peticionario desistió',
      `El peticionario desistió expresamente de su ${what} ${r} (Ley 1755 de 2015, art. 18).`,
      'La entidad puede continuar de oficio la actuación si la considera necesaria por razones de interés público, mediante resolución motivada (acción continue_ex_officio).',
    ],
  };
  const [subject, ...body] = text[type];
  return {
    send: { kind: ACT_KIND[type], audience, subject: `${subject} — ${r}`, text: staffLines(...body) },
  };
}

const AUDIENCE_LABEL: Readonly<Record<StaffAudience['kind'], string>> = {
  officer: 'el funcionario asignado',
  office: 'la dependencia',
  supervisors: 'los supervisores',
};

/**
 * The notice of an alert to the entity's staff: the case's clock and routing, no personal data
 * and no text of the petition (the officer opens the case in the inbox).
 */
export function alertNotice(alert: CaseAlert): NoticePlan {
  const r = alert.radicado;
  const what = KIND_LABEL[alert.kind];
  const office = alert.office ? `, dependencia ${alert.office}` : '';
  const days = `${alert.businessDaysUsed} de ${alert.totalTermDays} días hábiles usados`;
  const kind: NoticeKind = `alert_${alert.alert}`;
  // Priority cases say so first (Ley 1755 art. 20; CPACA art. 5 num. 6).
  const draft = (subject: string, ...text: string[]): NoticePlan => ({
    send: {
      kind,
      audience: alert.audience,
      subject: `${alert.priority ? 'PRIORITARIO · ' : ''}${subject} — ${r}`,
      text: staffLines(
        ...(alert.priority
          ? ['Caso de atención prioritaria (Ley 1755 de 2015, art. 20; Ley 1437 de 2011, art. 5 num. 6).', '']
          : []),
        ...text,
      ),
    },
  });
  switch (alert.alert) {
    case 'yellow':
      return draft(
        'Semáforo amarillo',
        `El caso ${r} (${what}${office}) pasó a amarillo: ${days}; vence el ${spanishDate(alert.date)}, quedan ${alert.businessDaysLeft} días hábiles.`,
        `Aviso para ${AUDIENCE_LABEL[alert.audience.kind]}.`,
      );
    case 'red':
      return draft(
        'Semáforo rojo',
        `El caso ${r} (${what}${office}) pasó a rojo: ${days}; vence el ${spanishDate(alert.date)}, quedan ${alert.businessDaysLeft} días hábiles.`,
        'Si no puede responder a tiempo, la ampliación del plazo debe notificarse al peticionario antes del vencimiento (Ley 1755 de 2015, art. 14, parágrafo).',
        `Aviso para ${AUDIENCE_LABEL[alert.audience.kind]}.`,
      );
    case 'overdue':
      return draft(
        'Caso vencido sin respuesta',
        `El caso ${r} (${what}${office}) venció el ${spanishDate(alert.date)} sin respuesta (${alert.businessDaysOverdue} días hábiles de mora).`,
        'Se escala a los supervisores de la entidad.',
      );
    case 'withdrawal_candidate':
      return draft(
        'Candidato a desistimiento tácito',
        `El plazo del peticionario para completar o aclarar el caso ${r} (${what}${office}) venció el ${spanishDate(alert.date)}.`,
        'Puede decretarse el desistimiento tácito mediante acto motivado (acción withdraw; Ley 1755 de 2015, art. 17).',
        `Aviso para ${AUDIENCE_LABEL[alert.audience.kind]}.`,
      );
    case 'legend_due':
      return draft(
        'Leyenda "reclamo en trámite"',
        `El reclamo sobre datos personales ${r}${office} debe quedar marcado con la leyenda "reclamo en trámite" y su motivo a más tardar el ${spanishDate(alert.date)} (Ley 1581 de 2012, art. 15 num. 2).`,
        'Regístrelo con la acción record_legend.',
        `Aviso para ${AUDIENCE_LABEL[alert.audience.kind]}.`,
      );
    case 'copies_due':
      return draft(
        'Copias de una solicitud aceptada',
        `La solicitud de información ${r}${office} no se respondió a tiempo y se entiende aceptada: las copias deben entregarse a más tardar el ${spanishDate(alert.date)} (Ley 1755 de 2015, art. 14 num. 1).`,
        'Entréguelas con la acción respond (sentido favorable), que registra la entrega.',
        `Aviso para ${AUDIENCE_LABEL[alert.audience.kind]}.`,
      );
  }
}
