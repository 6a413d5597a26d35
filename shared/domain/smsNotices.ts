/**
 * The SMS of each notice: GSM-7, one 160-character part where the facts fit, then the tracking link
 * (never the code: URLs end up in logs). Reasons and requests the law says to tell go whole, in more
 * parts if need be. Pure.
 */
import type { AuditEvent } from './case/audit.ts';
import type { CaseRecord } from './case/case.ts';
import { toGsm7, trackingLink } from './channels.ts';
import { OUTCOME_LABEL, shortDate, str } from './noticeText.ts';

export interface SmsContext {
  /** A channel filing's tracking code (nobody was shown it), for the `filed` SMS. */
  readonly trackingCode?: string;
  /** The tracking view's URL template (`…{radicado}…`); without it the SMS has no link. */
  readonly trackingUrl?: string;
}

/** The text of the SMS for one notified event (`kind`, already known to be a citizen notice). */
export function smsText(record: CaseRecord, event: AuditEvent, kind: string, context: SmsContext): string {
  const r = record.radicado;
  const d = event.data;
  // "PQRSD", the word every Colombian filing form uses: shorter than most kinds' labels.
  const what = 'PQRSD';
  const link = context.trackingUrl ? trackingLink(context.trackingUrl, r) : undefined;
  const reason = str(d.reason);
  const sentence = (...parts: (string | false | undefined)[]) =>
    parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' ');
  let text: string;
  switch (kind) {
    case 'filed':
      text = context.trackingCode
        ? sentence(
            `Radicado ${r}.`,
            `Codigo ${context.trackingCode}.`,
            `Respuesta hasta ${shortDate(d.dueDate ?? record.dueDate)}.`,
          )
        : sentence(
            `Radicado ${r}.`,
            `Respuesta hasta ${shortDate(d.dueDate ?? record.dueDate)}.`,
            `Siga su caso con su codigo${link ? ':' : '.'}`,
          );
      break;
    case 'completion_requested':
    case 'clarification_requested': {
      const completion = kind === 'completion_requested';
      text = sentence(
        `${r}: ${completion ? 'complete' : 'aclare'} su ${what} a mas tardar ${shortDate(d.petitionerRespondBy)}`,
        `(Ley 1755 art. ${completion ? '17' : '19'}): ${str(d.what) ?? ''}`,
      );
      break;
    }
    case 'completion_extended':
      text = `${r}: su plazo para completar va hasta ${shortDate(d.petitionerRespondBy)} (Ley 1755 art. 17).`;
      break;
    case 'extended':
      text = sentence(
        `${r}: la respuesta se amplio hasta ${shortDate(d.newDueDate)} (Ley 1755 art. 14 par.).`,
        reason && `Motivos: ${reason}`,
      );
      break;
    case 'forwarded': {
      const to = str(d.toEntityId) ?? record.forwardedTo?.entityId ?? 'la entidad competente';
      const linked = str(d.linkedRadicado) ?? record.forwardedTo?.radicado;
      // The new radicado starts with the competent entity's id.
      text = `${r} remitida por competencia a ${linked ?? to} (Ley 1755 art. 21).`;
      break;
    }
    case 'no_competent_authority':
      text = sentence(
        `${r}: ninguna autoridad es competente para su ${what} (Ley 1755 art. 21).`,
        reason && `Motivos: ${reason}`,
      );
      break;
    case 'answered': {
      const outcome = str(d.outcome);
      text = sentence(
        `${r}: respuesta a su ${what}${outcome ? ` (${OUTCOME_LABEL[outcome] ?? outcome})` : ''}.`,
        link ? 'Vela con su codigo:' : 'Vela con su codigo de seguimiento.',
      );
      break;
    }
    case 'withdrawn':
      text = `${r}: se decreto desistimiento tacito (Ley 1755 art. 17). Procede reposicion.`;
      break;
    case 'closures_applied':
      text = d.dueDate
        ? `${r}: por cierre o suspension de terminos, la respuesta va hasta ${shortDate(d.dueDate)}.`
        : `${r}: por cierre o suspension de terminos, su plazo va hasta ${shortDate(d.petitionerRespondBy)}.`;
      break;
    case 'deemed_accepted':
      text = `${r}: se entiende aceptada (Ley 1755 art. 14). Copias hasta ${shortDate(d.copiesDue)}.`;
      break;
    default:
      text = `${r}: hay novedades en su ${what}.`;
  }
  return toGsm7(link ? `${text} ${link}` : text);
}
