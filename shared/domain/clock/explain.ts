/**
 * The explanation as readable text: what an officer shows to defend a date.
 */
import { PAST_CALENDAR } from './calendar.ts';
import { parseDay, WEEKDAY_NAMES_ES, weekday } from './dates.ts';
import type { ClockResult } from './result.ts';
import { ruleSetById } from './rules.ts';

const CLASS_NAMES: Record<string, string> = {
  general: 'petición general (interés general o particular, queja, reclamo, sugerencia, denuncia)',
  information: 'petición de documentos e información',
  query: 'consulta',
  between_authorities: 'petición entre autoridades',
  data_protection_query: 'consulta sobre datos personales (habeas data)',
  data_protection_claim: 'reclamo sobre datos personales (habeas data)',
};

function withWeekday(date: string | null): string {
  if (date === null) return '—';
  const d = parseDay(date);
  return d === undefined ? date : `${date} (${WEEKDAY_NAMES_ES[weekday(d)]})`;
}

/** The result as text, in Spanish terms of art: rule, dates, then every day with its reason. */
export function explainText(r: ClockResult): string {
  const lines: string[] = [];
  const set = ruleSetById(r.ruleSet);
  lines.push(`Cálculo del término — ${CLASS_NAMES[r.termClass] ?? r.termClass}`);
  lines.push(`Régimen aplicable: ${r.ruleSetName} [${r.ruleSet}], elegido por la fecha de recepción.`);
  lines.push(`Norma: ${r.rule.law}, ${r.rule.article}. ${r.rule.text}`);
  if (r.fundamentalRight) {
    lines.push(
      'Decreto 491 de 2020, art. 5, parágrafo: la petición se refiere a la efectividad de otro derecho fundamental; conserva los términos ordinarios.',
    );
  }
  const termLine =
    r.termSource === 'entity'
      ? `Término: ${r.termDays} días hábiles, fijado por la entidad (más corto que el legal de ${r.legalTermDays}; una entidad puede acortar los términos, nunca ampliarlos).`
      : `Término: ${r.termDays} días hábiles.`;
  lines.push(termLine);
  lines.push(
    'Cómputo: días hábiles (lunes a viernes, sin festivos nacionales ni cierres de la entidad), hora de Bogotá; el día 1 es el primer día hábil siguiente al de la recepción.',
  );
  if (r.officeHoursRule) {
    lines.push(
      `Regla de horario de la entidad (${r.officeHoursRule.hours}${r.officeHoursRule.defaulted ? ', horario por defecto' : ''}): lo recibido después del cierre o en día no hábil se entiende recibido el día hábil siguiente.`,
    );
  }
  lines.push('');
  lines.push(`Radicación: ${r.filed}${r.filedOn !== r.receivedOn ? `, ${withWeekday(r.filedOn)}` : ''}`);
  lines.push(`Recepción (día 0): ${withWeekday(r.receivedOn)}`);
  if (r.forwarded) {
    lines.push(
      `Recibida por la autoridad competente: ${withWeekday(r.forwarded.receivedOn)} — el término corre desde el día hábil siguiente (art. 21).`,
    );
  }
  if (r.suspended) {
    lines.push(
      `TÉRMINO SUSPENDIDO desde ${withWeekday(r.suspended.since)} (${r.suspended.provision}); días hábiles usados: ${r.suspended.businessDaysUsed}. El peticionario tiene hasta ${withWeekday(r.suspended.respondBy)} a medianoche; después ${r.suspended.kind === 'completion' ? 'procede el desistimiento tácito' : 'la petición se archiva (Ley 1755 de 2015, art. 19)'}.`,
    );
  } else {
    lines.push(`Vencimiento: ${withWeekday(r.due)} — una respuesta ese día es oportuna.`);
    if (r.extension) {
      lines.push(
        `Prórroga notificada el ${r.extension.notifiedOn}: nueva fecha ${withWeekday(r.extension.until)} (vencimiento legal sin prórroga: ${withWeekday(r.legalDue)}).`,
      );
    }
    lines.push(
      `Prórroga máxima: ${r.maxExtendedDue === null ? PAST_CALENDAR : withWeekday(r.maxExtendedDue)} — ${
        r.termClass === 'data_protection_query'
          ? 'hasta 5 días hábiles después del primer término (Ley 1581 de 2012, art. 14), informando antes del vencimiento'
          : r.termClass === 'data_protection_claim'
            ? 'hasta 8 días hábiles después del primer término (Ley 1581 de 2012, art. 15), informando antes del vencimiento'
            : 'hasta el doble del término inicial contado desde la recepción, informando antes del vencimiento (Ley 1755 de 2015, art. 14, parágrafo)'
      }.`,
    );
    if (r.legendBy) {
      lines.push(
        `Leyenda "reclamo en trámite" con su motivo, a más tardar: ${withWeekday(r.legendBy)} (Ley 1581 de 2012, art. 15 num. 2: 2 días hábiles desde el reclamo completo).`,
      );
    }
    if (r.copiesDue) {
      lines.push(
        `Sin respuesta al vencimiento, la solicitud se entiende aceptada y las copias se entregan a más tardar el ${withWeekday(r.copiesDue)} (Ley 1755 de 2015, art. 14 num. 1).`,
      );
    }
  }
  lines.push(
    `Remisión a la autoridad competente, a más tardar: ${withWeekday(r.forwardBy)} (${r.termClass === 'data_protection_claim' ? 'Ley 1581 de 2012, art. 15: 2 días' : 'Ley 1755 de 2015, art. 21: 5 días'}).`,
  );
  lines.push(
    `Requerimiento para completar o aclarar, a más tardar: ${withWeekday(r.completionRequestBy)} (${r.termClass === 'data_protection_claim' ? 'Ley 1581 de 2012, art. 15: 5 días; 2 meses para completar' : 'Ley 1755 de 2015, art. 17: 10 días; 1 mes para completar, prorrogable por 1 mes a solicitud; art. 19: 10 días para aclarar'}).`,
  );
  lines.push(
    `Lectura de la reactivación tras completar: ${
      r.suspensionReading === 'resume'
        ? '"reanudar" — los días usados antes del requerimiento siguen usados; el resto corre desde el día siguiente a completar'
        : '"reiniciar" — el término completo corre de nuevo desde el día siguiente a completar'
    } (Ley 1755 de 2015, art. 17).`,
  );
  if (r.withdrawalFrom) {
    const clarification = r.suspended?.kind === 'clarification' || lastLapse(r) === 'clarified';
    lines.push(
      clarification
        ? `Archivo de la petición no aclarada: procede desde el ${withWeekday(r.withdrawalFrom)} (Ley 1755 de 2015, art. 19).`
        : `Desistimiento tácito: puede declararse por acto motivado desde el ${withWeekday(r.withdrawalFrom)} (${r.termClass === 'data_protection_claim' ? 'Ley 1581 de 2012, art. 15' : 'Ley 1755 de 2015, art. 17'}).`,
    );
  }
  if (r.refusedEvents.length > 0) {
    lines.push('');
    lines.push('Eventos rechazados:');
    for (const e of r.refusedEvents) lines.push(`  - events[${e.index}] ${e.type} (${e.at}): ${e.note}`);
  }
  lines.push('');
  lines.push('Día por día:');
  for (const t of r.trace) {
    const tag =
      t.kind === 'counted' || t.kind === 'discarded'
        ? `día ${String(t.day).padStart(2, ' ')}`
        : t.kind === 'event'
          ? 'evento'
          : '';
    lines.push(`  ${t.date} ${t.weekday.padEnd(9, ' ')} ${tag.padEnd(7, ' ')} ${t.text}`.trimEnd());
  }
  if (set) {
    lines.push('');
    for (const n of set.notes) lines.push(`Nota: ${n}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The type of the last refused completion or clarification (the lapse behind `withdrawalFrom`). */
function lastLapse(r: ClockResult): string | undefined {
  return r.refusedEvents.filter((e) => e.type === 'completed' || e.type === 'clarified').at(-1)?.type;
}
