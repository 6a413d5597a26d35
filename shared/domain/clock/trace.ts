/**
 * The explanation: one entry per calendar day from the filing to the due date, each counted day
 * numbered, each skipped day with its reason (weekend, the holiday's name and law, the entity's
 * closure, the suspension), and the case events on the day they took effect.
 */
import { WEEKDAY_NAMES_ES, weekday } from './dates.ts';
import { type Computation, type EventOutcome, suspensionCitation } from './engine.ts';
import { HOLIDAY_RULES } from './holidays.ts';

export type TraceKind =
  /** The filing instant, when the office-hours rule moved the receipt to a later day. */
  | 'filed'
  /** The (deemed) day of receipt: day 0, not counted. */
  | 'received'
  /** A business day counted towards the term, numbered. */
  | 'counted'
  /** A day not counted: weekend, holiday or closure. */
  | 'skipped'
  /** A day inside a completion/clarification suspension. */
  | 'suspended'
  /** A business day counted and later discarded (restart reading, forward to the competent entity). */
  | 'discarded'
  /** A day after the due date (shown because an event happened then). */
  | 'after_due'
  /** A case event, on the day it took effect. */
  | 'event';

export type TraceReason = 'weekend' | 'holiday' | 'closure' | 'suspension';

export interface TraceEntry {
  readonly date: string;
  readonly weekday: string;
  readonly kind: TraceKind;
  /** `counted` / `discarded`: the day's number in the term. */
  readonly day?: number;
  /** `counted`: the day lies beyond the legal term, inside an extension. */
  readonly extension?: true;
  readonly reason?: TraceReason;
  /** National holidays on that date (two can coincide). */
  readonly holidays?: readonly string[];
  /** The entity's closure reason (empty when none was given). */
  readonly closure?: string;
  /** `event`: which input event, and whether it was accepted. */
  readonly event?: { readonly index: number; readonly type: string; readonly accepted: boolean };
  /** One readable line (Spanish terms of art). */
  readonly text: string;
}

const HOLIDAY_LAW = new Map<string, string>(HOLIDAY_RULES.map((r) => [r.name, r.law]));

function holidayText(names: readonly string[]): string {
  return names.map((n) => `${n} (${HOLIDAY_LAW.get(n) ?? 'festivo nacional'})`).join(' y ');
}

function hhmm(second: number): string {
  const h = Math.floor(second / 3600);
  const m = Math.floor((second % 3600) / 60);
  return `${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}`;
}

const EVENT_LABEL: Record<string, string> = {
  completion_requested: 'Requerimiento para completar la petición',
  completion_extension_requested: 'Solicitud de prórroga del plazo para completar',
  completed: 'El peticionario completa la petición',
  clarification_requested: 'Requerimiento para aclarar la petición',
  clarified: 'El peticionario aclara la petición',
  extended: 'Prórroga notificada al peticionario',
  forward_received: 'Recepción por la autoridad competente (remisión)',
};

export function eventLabel(type: string): string {
  return EVENT_LABEL[type] ?? type;
}

/** Builds the day-by-day trace of a computation. */
export function buildTrace(c: Computation): TraceEntry[] {
  const cal = c.cal;
  const nat = cal.national;
  const out: TraceEntry[] = [];
  const startDay = c.filed.day;

  let endDay = c.due ?? c.receivedDay;
  for (const s of c.suspensions) endDay = Math.max(endDay, s.to ?? s.from);
  for (const o of c.outcomes) endDay = Math.max(endDay, o.on);

  const byDay = new Map<number, EventOutcome[]>();
  const early: EventOutcome[] = [];
  for (const o of c.outcomes) {
    if (o.on < startDay) {
      early.push(o);
      continue;
    }
    const list = byDay.get(o.on);
    if (list) list.push(o);
    else byDay.set(o.on, [o]);
  }
  const pushEvent = (o: EventOutcome, day: number) => {
    const moved =
      o.deemed === 'after_hours'
        ? ` (recibido el ${nat.format(o.atDay)} después del cierre: se entiende recibido este día)`
        : o.deemed === 'non_business_day'
          ? ` (recibido el ${nat.format(o.atDay)}, día no hábil: se entiende recibido este día)`
          : '';
    out.push({
      date: nat.format(day),
      weekday: WEEKDAY_NAMES_ES[weekday(day)]!,
      kind: 'event',
      event: { index: o.index, type: o.type, accepted: o.accepted },
      text: `${eventLabel(o.type)}${moved}: ${o.accepted ? 'aceptado' : 'RECHAZADO'}. ${o.note}`,
    });
  };
  for (const o of early) pushEvent(o, o.atDay);

  const runs = c.runs;
  let counter = -1;
  let counterRun = -1;
  const hours = c.entity.officeHours;

  for (let d = startDay; d <= endDay; d++) {
    const date = nat.format(d);
    const wd = WEEKDAY_NAMES_ES[weekday(d)]!;
    const info = cal.info(d);
    const nonBusiness = (): Pick<TraceEntry, 'reason' | 'holidays' | 'closure'> & { why: string } => {
      const parts: string[] = [];
      if (info.weekend) parts.push('fin de semana');
      if (info.holidays.length > 0) parts.push(`festivo: ${holidayText(info.holidays)}`);
      if (info.closure)
        parts.push(`cierre de la entidad${info.closure.reason ? `: ${info.closure.reason}` : ''}`);
      return {
        ...(info.reason ? { reason: info.reason } : {}),
        ...(info.holidays.length > 0 ? { holidays: info.holidays } : {}),
        ...(info.closure ? { closure: info.closure.reason } : {}),
        why: parts.join('; '),
      };
    };

    if (d === c.filed.day && d !== c.receivedDay) {
      const time = c.filed.dateOnly ? '' : ` a las ${hhmm(c.filed.second)}`;
      const why =
        c.deemed === 'after_hours'
          ? `después del cierre (${hours?.label ?? ''})`
          : `en día no hábil (${nonBusiness().why})`;
      out.push({
        date,
        weekday: wd,
        kind: 'filed',
        ...(info.business ? {} : nonBusiness()),
        text: `Radicada${time}, ${why}: por la regla de horario de la entidad se entiende recibida el ${nat.format(c.receivedDay)}.`,
      });
    } else if (d === c.receivedDay) {
      const time = c.filed.dateOnly || d !== c.filed.day ? '' : ` a las ${hhmm(c.filed.second)}`;
      out.push({
        date,
        weekday: wd,
        kind: 'received',
        text: `Recepción${time}${c.deemed ? ' (fecha en que se entiende recibida)' : ''}: día 0, no se cuenta; el día 1 es el primer día hábil siguiente.`,
      });
    } else if (d < c.receivedDay) {
      const nb = nonBusiness();
      out.push({ date, weekday: wd, kind: 'skipped', ...stripWhy(nb), text: `No hábil: ${nb.why}.` });
    } else {
      const span = c.suspensions.find((s) => d >= s.from && d <= (s.to ?? endDay));
      const run = runs.find((r) => r.start < d && d <= r.end);
      if (span) {
        const nb = info.business ? '' : ` (${nonBusiness().why})`;
        const edge =
          d === span.from
            ? ' Día del requerimiento: no se cuenta.'
            : d === span.to
              ? span.discarded
                ? ' Termina con la remisión a la autoridad competente.'
                : ` Día en que el peticionario ${span.kind === 'completion' ? 'completa' : 'aclara'}: no se cuenta; se reactiva el término al día siguiente.`
              : '';
        out.push({
          date,
          weekday: wd,
          kind: 'suspended',
          reason: 'suspension',
          ...(info.holidays.length > 0 ? { holidays: info.holidays } : {}),
          text: `Suspendido (${suspensionCitation(c.rule, span.kind)})${nb}.${edge}`,
        });
      } else if (run) {
        if (info.business) {
          const idx = runs.indexOf(run);
          if (counterRun !== idx) {
            counterRun = idx;
            counter = run.used0 + cal.count(run.start, d) - 1;
          }
          counter++;
          const n = counter;
          if (run.discarded) {
            out.push({
              date,
              weekday: wd,
              kind: 'discarded',
              day: n,
              text: `Día ${n} contado y luego descartado (${c.forwarded && d <= c.forwarded.on ? 'término de la autoridad que remitió' : 'lectura "reiniciar": el término corre de nuevo'}).`,
            });
          } else {
            const ext = n > c.termDays;
            out.push({
              date,
              weekday: wd,
              kind: 'counted',
              day: n,
              ...(ext ? { extension: true as const } : {}),
              text: `Día ${n}${ext ? ' (prórroga)' : ''}${c.due === d ? ' — vencimiento: la respuesta este día es oportuna' : c.extension && c.legalDue === d ? ' — fin del término legal, prorrogado' : ''}.`,
            });
          }
        } else {
          const nb = nonBusiness();
          out.push({ date, weekday: wd, kind: 'skipped', ...stripWhy(nb), text: `No hábil: ${nb.why}.` });
        }
      } else if (c.due !== null && d > c.due) {
        out.push({
          date,
          weekday: wd,
          kind: 'after_due',
          ...(info.business ? {} : stripWhy(nonBusiness())),
          text: `Posterior al vencimiento (${nat.format(c.due)}).`,
        });
      } else {
        const nb = info.business ? undefined : nonBusiness();
        out.push({
          date,
          weekday: wd,
          kind: 'skipped',
          ...(nb ? stripWhy(nb) : {}),
          text: nb ? `No hábil: ${nb.why}.` : 'No se cuenta.',
        });
      }
    }
    for (const o of byDay.get(d) ?? []) pushEvent(o, d);
  }
  return out;
}

function stripWhy<T extends { why: string }>(x: T): Omit<T, 'why'> {
  const { why: _why, ...rest } = x;
  return rest;
}
