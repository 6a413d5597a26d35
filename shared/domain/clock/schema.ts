/**
 * The clock's input, validated with zod: one case (term class, receipt instant, the entity's clock
 * settings, the case events), as the CLI and the use cases pass it.
 */
import * as z from 'zod';

type ZodError = z.ZodError;

import { refinement } from '../issues.ts';
import { TERM_CLASSES } from '../vocabulary.ts';
import { parseDay, parseHhmm, parseInstant } from './dates.ts';
import { ClockError } from './errors.ts';

const INSTANT_HELP =
  'expected an ISO 8601 instant with offset (e.g. 2026-03-30T09:00:00-05:00) or a Bogota date YYYY-MM-DD';

/** An ISO 8601 instant with offset, or a bare Bogota date. */
export const InstantSchema = z
  .string()
  .refine(
    (s) => parseInstant(s) !== undefined,
    refinement(
      'invalid_format',
      'escriba una fecha y hora ISO 8601 con zona horaria (como 2026-03-30T09:00:00-05:00) o una fecha de Bogotá AAAA-MM-DD',
      INSTANT_HELP,
    ),
  );

/** A real calendar date `YYYY-MM-DD`. */
export const DateSchema = z
  .string()
  .refine(
    (s) => parseDay(s) !== undefined,
    refinement(
      'invalid_format',
      'escriba una fecha real del calendario, AAAA-MM-DD, como 2026-03-30',
      'expected a real calendar date YYYY-MM-DD',
    ),
  );

const HhmmSchema = z
  .string()
  .refine(
    (s) => parseHhmm(s) !== undefined,
    refinement(
      'invalid_format',
      'escriba una hora HH:MM de 24 horas, como 08:00',
      'expected a time HH:MM (24 h)',
    ),
  );

export const SUSPENSION_READINGS = ['resume', 'restart'] as const;
export type SuspensionReading = (typeof SUSPENSION_READINGS)[number];

const ClosureReason = z.string().trim().min(1).max(300);

/** The longest act suspending terms that one entry may declare (days, inclusive). */
export const MAX_SUSPENSION_DAYS = 366;

/** An act suspending terms checked: `to` not before `from`, at most MAX_SUSPENSION_DAYS days. */
export function checkedSuspension<T extends z.ZodType<{ from: string; to: string }>>(act: T) {
  return act
    .refine((r) => r.from <= r.to, {
      ...refinement(
        'invalid_value',
        'la fecha final debe ser igual o posterior a from',
        'to must not be before from',
      ),
      path: ['to'],
    })
    .refine((r) => (parseDay(r.to) ?? 0) - (parseDay(r.from) ?? 0) < MAX_SUSPENSION_DAYS, {
      ...refinement(
        'too_large',
        `una suspensión abarca a lo sumo ${MAX_SUSPENSION_DAYS} días: declare varias`,
        `a suspension spans at most ${MAX_SUSPENSION_DAYS} days: declare several`,
      ),
      path: ['to'],
    });
}

/**
 * A day the entity's terms do not run: a closure day, or an act suspending terms over a date range
 * (inclusive) with its reference (RULES.md, "Second pass": it reaches every case pending on them).
 */
export const ClosureSchema = z.union([
  DateSchema,
  z.strictObject({ date: DateSchema, reason: ClosureReason.optional() }),
  checkedSuspension(
    z.strictObject({
      from: DateSchema,
      to: DateSchema,
      reason: ClosureReason.optional(),
      /** The act that suspends terms ("Resolución 123 de 2026"). */
      reference: ClosureReason.optional(),
    }),
  ),
]);
export type ClosureInput = z.infer<typeof ClosureSchema>;

/** An entity's clock settings (per-entity data; see DESIGN.md). */
export const EntityClockSchema = z.strictObject({
  /** Shorter terms, in business days, per term class. Longer than the law: refused. */
  terms: z.partialRecord(z.enum(TERM_CLASSES), z.number().int().min(1).max(365)).optional(),
  /** Opening hours (Bogota). */
  officeHours: z
    .strictObject({ open: HhmmSchema, close: HhmmSchema })
    .refine((h) => (parseHhmm(h.open) ?? 0) < (parseHhmm(h.close) ?? 0), {
      ...refinement(
        'invalid_value',
        'la hora de cierre debe ser posterior a la de apertura (open)',
        'close must be later than open',
      ),
      path: ['close'],
    })
    .optional(),
  /**
   * Office-hours rule: a filing received after closing time or on a non-business day is deemed
   * received on the next business day. When absent, the rule applies if `officeHours` is given.
   */
  afterHoursNextDay: z.boolean().optional(),
  /** Days the entity's offices are closed (YYYY-MM-DD, { date, reason }, or an act { from, to, reference }). */
  closures: z.array(ClosureSchema).max(10_000).optional(),
  /** Reading of "the term is reactivated" after completion (Ley 1755 art. 17): default resume. */
  suspensionReading: z.enum(SUSPENSION_READINGS).optional(),
});
export type EntityClock = z.infer<typeof EntityClockSchema>;

export const EVENT_TYPES = [
  'completion_requested',
  'completion_extension_requested',
  'completed',
  'clarification_requested',
  'clarified',
  'extended',
  'forward_received',
] as const;
export type ClockEventType = (typeof EVENT_TYPES)[number];

/** The new date of an `extended` event, under any of its accepted names, with the name used. */
export function extensionDate(e: {
  until?: string | undefined;
  newDue?: string | undefined;
  newDate?: string | undefined;
  due?: string | undefined;
  to?: string | undefined;
}): { date: string; field: string } | undefined {
  for (const field of ['until', 'newDue', 'newDate', 'due', 'to'] as const) {
    const v = e[field];
    if (v !== undefined) return { date: v, field };
  }
  return undefined;
}

function extensionDates(e: Parameters<typeof extensionDate>[0]): string[] {
  return [e.until, e.newDue, e.newDate, e.due, e.to].filter((v): v is string => v !== undefined);
}

const eventBase = { at: InstantSchema, note: z.string().max(1000).optional() };

/** The case events that move the clock. Other properties are kept but ignored. */
export const ClockEventSchema = z.discriminatedUnion('type', [
  /** Ley 1755 art. 17: the entity asks the petitioner to complete the petition (suspends the term). */
  z.looseObject({ type: z.literal('completion_requested'), ...eventBase }),
  /** Art. 17: the petitioner asks for one more month to complete or clarify. */
  z.looseObject({ type: z.literal('completion_extension_requested'), ...eventBase }),
  /** Art. 17: the petitioner completes it; the term is reactivated from the next day. */
  z.looseObject({ type: z.literal('completed'), ...eventBase }),
  /** Art. 19: the entity asks the petitioner to clarify (same suspension). */
  z.looseObject({ type: z.literal('clarification_requested'), ...eventBase }),
  /** Art. 19: the petitioner clarifies. */
  z.looseObject({ type: z.literal('clarified'), ...eventBase }),
  /** Art. 14 parágrafo: the entity notifies an extension with the new date (`until`; default the maximum). */
  z
    .looseObject({
      type: z.literal('extended'),
      ...eventBase,
      until: DateSchema.optional(),
      // Other names callers use for the new date; `until` is the canonical one.
      newDue: DateSchema.optional(),
      newDate: DateSchema.optional(),
      due: DateSchema.optional(),
      to: DateSchema.optional(),
    })
    .refine((e) => new Set(extensionDates(e)).size <= 1, {
      ...refinement(
        'conflict',
        'la nueva fecha se da dos veces, con valores distintos: indique solo until',
        'the new date is given twice, with different values',
      ),
      path: ['until'],
    }),
  /** Art. 21: the competent entity receives the forwarded petition; its term starts the next day. */
  z.looseObject({ type: z.literal('forward_received'), ...eventBase }),
]);
export type ClockEvent = z.infer<typeof ClockEventSchema>;

/** One case, as the CLI reads it (extra properties such as `name` and `expect` are allowed). */
export const ClockInputSchema = z.looseObject({
  termClass: z.enum(TERM_CLASSES),
  /** The receipt instant (with offset) or date. */
  filed: InstantSchema,
  entity: EntityClockSchema.optional(),
  events: z.array(ClockEventSchema).max(1000).optional(),
  /**
   * Decreto 491/2020 art. 5 parágrafo: the petition concerns the effectiveness of another
   * fundamental right, so the emergency terms do not apply to it.
   */
  fundamentalRight: z.boolean().optional(),
});
export type ClockInput = z.input<typeof ClockInputSchema>;
export type ParsedClockInput = z.output<typeof ClockInputSchema>;

/** `events[2].at`-style field path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

/** The first zod issue as a ClockError naming its field. */
export function clockErrorFromZod(error: ZodError): ClockError {
  const issue = error.issues[0];
  if (issue === undefined) return new ClockError('invalid', 'input', 'invalid input');
  const path = [...issue.path];
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) path.push(issue.keys[0]);
  const field = fieldPath(path) || 'input';
  let message = issue.message;
  if (issue.code === 'invalid_union' && 'discriminator' in issue) {
    message = `unknown event type; expected one of ${EVENT_TYPES.join(', ')}`;
  } else if (issue.code === 'unrecognized_keys') {
    message = 'unknown setting';
  }
  return new ClockError('invalid', field, message.replace(/\s+/g, ' '));
}

/** Validates one case or throws a ClockError naming the field. */
export function parseClockInput(input: unknown): ParsedClockInput {
  const r = ClockInputSchema.safeParse(input);
  if (!r.success) throw clockErrorFromZod(r.error);
  return r.data;
}

const CaseSchema = ClockInputSchema.omit({ entity: true });

/**
 * Validates a case except its entity settings, which the engine validates and indexes once per
 * settings object (a closure list of hundreds of days is not re-validated on every call).
 */
export function parseCase(input: unknown): z.output<typeof CaseSchema> {
  const r = CaseSchema.safeParse(input);
  if (!r.success) throw clockErrorFromZod(r.error);
  return r.data;
}
