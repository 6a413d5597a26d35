/**
 * Notificación por aviso (Ley 1437 de 2011, CPACA, art. 69): a notice nobody can be sent is published
 * five days with the radicado and no personal data (Ley 1581 de 2012); art. 69 asks for a copy of the
 * act, but an answer may name the petitioner, so the notice points to the tracking view. Pure.
 */
import type { AuditEvent } from './case/audit.ts';
import type { CaseRecord } from './case/case.ts';
import { publicationPeriod } from './channels.ts';
import { bogotaDay } from './clock/dates.ts';
import type { CalendarOptions } from './clock/index.ts';
import { insistenceText, KIND_WITH_ARTICLE, spanishDate, str } from './noticeText.ts';
import type { Kind } from './vocabulary.ts';

/** What to publish for one notice of a case, before it has a date. */
export interface PublicationDraft {
  readonly kind: string;
  readonly radicado: string;
  readonly entityId: string;
  readonly entityName: string;
  readonly caseKind: Kind;
  readonly title: string;
  /** What happened, without dates of the publication (publishNotice adds them). */
  readonly body: string;
}

/** A published notice, as the entity's public notices list shows it. No personal data. */
export interface PublicNotice {
  /** `<radicado>/<source sort key>`: one notice per source, for good. */
  readonly id: string;
  readonly radicado: string;
  readonly entityId: string;
  readonly entityName: string;
  /** The notice's kind (the audit event: answered, extended …). */
  readonly kind: string;
  /** What was filed (petition, report …). */
  readonly caseKind: Kind;
  readonly title: string;
  readonly text: string;
  /** When it was published (ISO instant) and that day in Bogota. */
  readonly publishedAt: string;
  readonly publishedOn: string;
  /** The last day it is shown: five business days after publication (CPACA art. 69). */
  readonly until: string;
  /** Notification is deemed done at the end of this day: the business day after `until`. */
  readonly notifiedOn: string;
}

/** Whether a notice is shown on a day (Bogota date): from its publication through `until`. */
export function inForce(notice: Pick<PublicNotice, 'publishedOn' | 'until'>, day: string): boolean {
  return notice.publishedOn <= day && day <= notice.until;
}

/** The notice of a draft, published at `at` for the source `sourceSk` of its case. */
export function publishNotice(
  draft: PublicationDraft,
  sourceSk: string,
  at: Date,
  calendar: CalendarOptions = {},
): PublicNotice {
  const publishedOn = bogotaDay(at);
  const { until, notifiedOn } = publicationPeriod(publishedOn, calendar);
  return {
    id: `${draft.radicado}/${sourceSk}`,
    radicado: draft.radicado,
    entityId: draft.entityId,
    entityName: draft.entityName,
    kind: draft.kind,
    caseKind: draft.caseKind,
    title: draft.title,
    text: [
      draft.body,
      `Aviso publicado el ${spanishDate(publishedOn)} por cinco (5) días hábiles, hasta el ${spanishDate(until)} (Ley 1437 de 2011, art. 69).`,
      `La notificación se considera surtida al finalizar el ${spanishDate(notifiedOn)}, día siguiente al retiro de este aviso.`,
    ].join(' '),
    publishedAt: at.toISOString(),
    publishedOn,
    until,
    notifiedOn,
  };
}

const TRACKING = 'con el radicado y el código de seguimiento';

/**
 * What is published for one notified event; nothing for the filing (not an act to notify: its
 * radicado was given at filing). Dates are said; officers' free text (reasons, requests, answers) not.
 */
export function publicationDraft(
  record: CaseRecord,
  event: AuditEvent,
  kind: string,
  entityName: string,
): PublicationDraft | undefined {
  const r = record.radicado;
  const d = event.data;
  const what = KIND_WITH_ARTICLE[record.kind];
  const draft = (title: string, body: string): PublicationDraft => ({
    kind,
    radicado: r,
    entityId: record.entityId,
    entityName,
    caseKind: record.kind,
    title: `${title} — radicado ${r}`,
    body: `${body} El caso puede consultarse ${TRACKING}.`,
  });
  switch (kind) {
    case 'filed':
      return undefined;
    case 'completion_requested':
    case 'clarification_requested': {
      const completion = kind === 'completion_requested';
      return draft(
        completion ? 'Solicitud de completar' : 'Solicitud de aclarar',
        `${entityName} pidió ${completion ? 'completar' : 'aclarar'} ${what} con radicado ${r}; el plazo para hacerlo vence el ${spanishDate(d.petitionerRespondBy)} (Ley 1755 de 2015, art. ${completion ? '17' : '19'}). Mientras tanto el término de respuesta está suspendido.`,
      );
    }
    case 'completion_extended':
      return draft(
        'Prórroga del plazo para completar',
        `${entityName}: el plazo para completar ${what} con radicado ${r} se amplió hasta el ${spanishDate(d.petitionerRespondBy)} (Ley 1755 de 2015, art. 17).`,
      );
    case 'extended':
      return draft(
        'Ampliación del plazo de respuesta',
        `${entityName} amplió hasta el ${spanishDate(d.newDueDate)} el plazo para responder ${what} con radicado ${r} (Ley 1755 de 2015, art. 14, parágrafo).`,
      );
    case 'forwarded': {
      const to = str(d.toEntityId) ?? record.forwardedTo?.entityId ?? 'la entidad competente';
      const linked = str(d.linkedRadicado) ?? record.forwardedTo?.radicado;
      return draft(
        'Remisión por competencia',
        `${entityName} remitió ${what} con radicado ${r} a ${to}${linked ? `, donde quedó con el radicado ${linked}` : ''} (Ley 1755 de 2015, art. 21).`,
      );
    }
    case 'no_competent_authority':
      return draft(
        'Ninguna autoridad es competente',
        `${entityName} declaró que ninguna autoridad es competente para resolver ${what} con radicado ${r} (Ley 1755 de 2015, art. 21).`,
      );
    case 'answered':
      return draft(
        'Respuesta',
        [
          `${entityName} respondió ${what} con radicado ${r}. La respuesta está disponible en el seguimiento del caso.`,
          insistenceText(d),
        ]
          .filter(Boolean)
          .join(' '),
      );
    case 'withdrawn':
      return draft(
        'Desistimiento tácito',
        `${entityName} decretó, para ${what} con radicado ${r}, el desistimiento tácito (Ley 1755 de 2015, art. 17). Contra este acto procede el recurso de reposición.`,
      );
    case 'deemed_accepted':
      return draft(
        'Solicitud de información aceptada',
        `La solicitud de información con radicado ${r}, presentada ante ${entityName}, no fue respondida a tiempo y se entiende aceptada; las copias deben entregarse a más tardar el ${spanishDate(d.copiesDue)} (Ley 1755 de 2015, art. 14 num. 1).`,
      );
    case 'closures_applied':
      return draft(
        'Cambio de fechas por cierre o suspensión de términos',
        d.dueDate
          ? `Por un cierre o una suspensión de términos que declaró ${entityName}, ${what} con radicado ${r} debe responderse a más tardar el ${spanishDate(d.dueDate)}.`
          : `Por un cierre o una suspensión de términos que declaró ${entityName}, el plazo del peticionario en ${what} con radicado ${r} vence el ${spanishDate(d.petitionerRespondBy)}.`,
      );
    default:
      return undefined;
  }
}
