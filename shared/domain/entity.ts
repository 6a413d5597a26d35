/**
 * A public body (entity), its offices, its routing rules and its clock settings. Pure.
 */
import * as z from 'zod';
import { CATEGORY_IDS, type CategoryId } from './categories.ts';
import { FIRST_DATE, LAST_DATE, ORDINARY, parseDay } from './clock/index.ts';
import { checkedSuspension } from './clock/schema.ts';
import { pattern, refinement } from './issues.ts';
import { DEFAULT_TERM_CLASS, KINDS, type Kind, TERM_CLASSES, type TermClass } from './vocabulary.ts';

export const ENTITY_ID = pattern(
  /^[A-Z][A-Z0-9_]{1,19}$/,
  'el id de una entidad, en mayúsculas, como MINTIC',
  'an entity id in capitals, such as MINTIC',
);
export const OFFICE_ID = pattern(
  /^[a-z0-9][a-z0-9-]{0,39}$/,
  'el id de una dependencia, en minúsculas, como atencion-ciudadano',
  'an office id in lower case, such as atencion-ciudadano',
);
const HHMM = pattern(
  /^([01]\d|2[0-3]):[0-5]\d$/,
  'una hora HH:MM de 24 horas, como 08:00',
  'a 24-hour time HH:MM, such as 08:00',
);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const OfficeSchema = z.strictObject({
  id: z.string().regex(OFFICE_ID),
  name: z.string().min(1).max(200),
});

const RoutingRuleSchema = z.strictObject({
  office: z.string().regex(OFFICE_ID),
  kinds: z.array(z.enum(KINDS)).min(1).optional(),
  categories: z
    .array(z.enum(CATEGORY_IDS as [CategoryId, ...CategoryId[]]))
    .min(1)
    .optional(),
  keywords: z.array(z.string().min(2).max(60)).min(1).optional(),
});

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Opening hours (Bogota), the same on every business day (the legal clock knows one window): a
 * filing after closing time is deemed received on the next business day (`afterHoursNextDay`).
 */
export const OfficeHoursSchema = z
  .strictObject({
    open: z.string().regex(HHMM),
    close: z.string().regex(HHMM),
  })
  .refine((h) => !HHMM.test(h.open) || !HHMM.test(h.close) || minutesOf(h.open) < minutesOf(h.close), {
    ...refinement(
      'invalid_value',
      'la hora de cierre debe ser posterior a la de apertura (open)',
      'close must be later than open',
    ),
    path: ['close'],
  });

/** A closure day: a real calendar date the legal clock's calendar covers. */
const ClosureDaySchema = z.string().refine(
  (s) => {
    if (!DAY.test(s)) return false;
    const day = parseDay(s);
    return day !== undefined && s >= FIRST_DATE && s <= LAST_DATE;
  },
  refinement(
    'invalid_format',
    `escriba una fecha real del calendario, AAAA-MM-DD, entre ${FIRST_DATE} y ${LAST_DATE}`,
    `expected a real calendar date YYYY-MM-DD between ${FIRST_DATE} and ${LAST_DATE}`,
  ),
);

const ClosureText = z.string().trim().min(1).max(300);

/** Fractions of the term used: yellow from `yellow`, red from `red` or with `redDaysLeft` days or fewer left. */
export const SemaforoThresholdsSchema = z
  .strictObject({
    yellow: z.number().gt(0).lt(1),
    red: z.number().gt(0).lt(1),
    redDaysLeft: z.number().int().min(0).max(30),
  })
  .refine((t) => t.yellow < t.red, {
    ...refinement(
      'invalid_value',
      'el umbral rojo (red) debe ser mayor que el amarillo (yellow)',
      'red must be greater than yellow',
    ),
    path: ['red'],
  });
export type SemaforoThresholds = z.infer<typeof SemaforoThresholdsSchema>;
/** DESIGN.md: yellow ≥ 50 % of the term used, red ≥ 80 % or ≤ 2 business days left. */
export const DEFAULT_SEMAFORO: SemaforoThresholds = { yellow: 0.5, red: 0.8, redDaysLeft: 2 };

/** Everything of an entity an admin sets (all but its id). */
const settingsFields = {
  name: z.string().min(1).max(200),
  kinds: z.array(z.enum(KINDS)).min(1),
  categories: z.array(z.enum(CATEGORY_IDS as [CategoryId, ...CategoryId[]])),
  offices: z.array(OfficeSchema).min(1).max(500),
  defaultOffice: z.string().regex(OFFICE_ID),
  routing: z.array(RoutingRuleSchema).max(500),
  termClassByKind: z.partialRecord(z.enum(KINDS), z.enum(TERM_CLASSES)).optional(),
  terms: z.partialRecord(z.enum(TERM_CLASSES), z.number().int().min(1)).optional(),
  officeHours: OfficeHoursSchema.optional(),
  afterHoursNextDay: z.boolean().optional(),
  /**
   * Days the entity's terms do not run: closure days (a date, or { date, reason }) and acts
   * suspending terms ({ from, to, reference, reason? }). They reach every pending case (RULES.md).
   */
  closures: z
    .array(
      z.union([
        ClosureDaySchema,
        z.strictObject({ date: ClosureDaySchema, reason: ClosureText.optional() }),
        checkedSuspension(
          z.strictObject({
            from: ClosureDaySchema,
            to: ClosureDaySchema,
            reason: ClosureText.optional(),
            reference: ClosureText,
          }),
        ),
      ]),
    )
    .max(10_000)
    .optional(),
  semaforo: SemaforoThresholdsSchema.optional(),
  /** Supports that turn a citizens' proposal into a petition (default 100: participation/proposal.ts). */
  proposalThreshold: z.number().int().min(1).max(10_000_000).optional(),
};
const SettingsObject = z.strictObject(settingsFields);

const NOT_AN_OFFICE = refinement(
  'not_found',
  'debe ser el id de una de las dependencias de offices',
  'must be one of the offices',
);

/** The rules across fields: what a single field's schema cannot see. */
function checkSettings(e: z.output<typeof SettingsObject>, ctx: z.RefinementCtx): void {
  const offices = new Set(e.offices.map((o) => o.id));
  if (offices.size !== e.offices.length)
    ctx.addIssue({
      code: 'custom',
      path: ['offices'],
      ...refinement(
        'conflict',
        'los ids de las dependencias deben ser únicos: cambie o quite los repetidos',
        'office ids must be unique',
      ),
    });
  if (!offices.has(e.defaultOffice)) {
    ctx.addIssue({ code: 'custom', path: ['defaultOffice'], ...NOT_AN_OFFICE });
  }
  for (const [termClass, days] of Object.entries(e.terms ?? {}) as [TermClass, number][]) {
    const law = ORDINARY.terms[termClass];
    if (days > law.days) {
      ctx.addIssue({
        code: 'custom',
        path: ['terms', termClass],
        ...refinement(
          'too_large',
          `${days} días hábiles supera el término legal de ${law.days} (${law.law}, ${law.article}): una entidad puede acortar los términos, nunca ampliarlos`,
          `${days} business days is longer than the legal ${law.days} (${law.law}, ${law.article}): an entity may shorten terms, never lengthen them`,
        ),
      });
    }
  }
  // Mapping a kind to another term class must not lengthen its term either (a petition answered
  // in a query's 30 days would be late under art. 14).
  for (const [kind, termClass] of Object.entries(e.termClassByKind ?? {}) as [Kind, TermClass][]) {
    const law = ORDINARY.terms[DEFAULT_TERM_CLASS[kind]];
    const days = e.terms?.[termClass] ?? ORDINARY.terms[termClass].days;
    if (days > law.days) {
      ctx.addIssue({
        code: 'custom',
        path: ['termClassByKind', kind],
        ...refinement(
          'not_allowed',
          `${termClass} da ${days} días hábiles, más que el término legal de ${law.days} para ${kind} (${law.law}, ${law.article}): una entidad puede acortar los términos, nunca ampliarlos`,
          `${termClass} gives ${days} business days, longer than the legal ${law.days} for a ${kind} (${law.law}, ${law.article}): an entity may shorten terms, never lengthen them`,
        ),
      });
    }
  }
  e.routing.forEach((r, i) => {
    if (!offices.has(r.office)) {
      ctx.addIssue({
        code: 'custom',
        path: ['routing', i, 'office'],
        ...NOT_AN_OFFICE,
      });
    }
  });
}

/** An entity's settings as an admin reads and replaces them (`PUT /v1/entities/{id}/settings`). */
export const EntitySettingsSchema = SettingsObject.superRefine(checkSettings);
export type EntitySettings = z.infer<typeof EntitySettingsSchema>;

export const EntitySchema = z
  .strictObject({ id: z.string().regex(ENTITY_ID), ...settingsFields })
  .superRefine(checkSettings);
export type Entity = z.infer<typeof EntitySchema>;

/**
 * Ley 1581 arts. 14–15: a query or a claim in the personal-data category is a habeas-data query
 * (10 days, + 5) or claim (15 days, + 8), whatever the entity maps the kind to.
 */
const PERSONAL_DATA_TERMS: Partial<Record<Kind, TermClass>> = {
  query: 'data_protection_query',
  claim: 'data_protection_claim',
};

/** The term class of a filing: personal data first (the special law), then the entity's mapping. */
export function termClassFor(entity: Entity, kind: Kind, category?: string): TermClass {
  return (
    (category === 'personal_data' ? PERSONAL_DATA_TERMS[kind] : undefined) ??
    entity.termClassByKind?.[kind] ??
    DEFAULT_TERM_CLASS[kind]
  );
}

const clockSettingsOf = new WeakMap<Entity, ReturnType<typeof buildClockSettings>>();

function buildClockSettings(entity: Entity) {
  return {
    ...(entity.terms ? { terms: entity.terms } : {}),
    ...(entity.officeHours ? { officeHours: entity.officeHours } : {}),
    ...(entity.afterHoursNextDay !== undefined ? { afterHoursNextDay: entity.afterHoursNextDay } : {}),
    ...(entity.closures ? { closures: entity.closures } : {}),
  };
}

/**
 * The clock settings of an entity, in the shape the legal clock takes. One object per entity
 * object: the clock validates and indexes a settings object once and caches it by identity.
 */
export function clockSettings(entity: Entity) {
  let settings = clockSettingsOf.get(entity);
  if (!settings) {
    settings = buildClockSettings(entity);
    clockSettingsOf.set(entity, settings);
  }
  return settings;
}

/** What a portal shows to offer the choice of entity: no internal settings. */
export function publicEntity(entity: Entity) {
  return {
    id: entity.id,
    name: entity.name,
    kinds: entity.kinds,
    categories: entity.categories,
    offices: entity.offices.map((o) => ({ id: o.id, name: o.name })),
  };
}

function normalize(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function mentions(text: string, keyword: string): boolean {
  const k = normalize(keyword).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}])${k}($|[^\\p{L}\\p{N}])`, 'u').test(text);
}

export interface RoutingInput {
  kind: Kind;
  category?: string | undefined;
  subject: string;
  description: string;
}

export interface RoutingDecision {
  office: string;
  /** Index of the rule that matched, or `default`. */
  rule: number | 'default';
  /** Set when the kind or category is outside the entity's competence (art. 21: forward within 5 days). */
  forwardSuggested?: ForwardSuggestion;
}

/** What is outside the entity's competence, and the entities whose competence covers it all. */
export interface ForwardSuggestion {
  kind?: Kind;
  category?: string;
  suggestedEntities: string[];
}

/**
 * Routes a case to an office: the first rule whose kinds, categories and keywords all match
 * (an absent condition matches anything; keywords match whole words, case and accent blind);
 * the default office otherwise. A category outside the entity's competence goes to the default
 * office, marked "forward suggested" with the entities whose competence covers it.
 */
export function routeCase(
  entity: Entity,
  input: RoutingInput,
  others: readonly Entity[] = [],
): RoutingDecision {
  const kind = entity.kinds.includes(input.kind) ? undefined : input.kind;
  const category =
    input.category !== undefined && !(entity.categories as string[]).includes(input.category)
      ? input.category
      : undefined;
  if (kind !== undefined || category !== undefined) {
    return {
      office: entity.defaultOffice,
      rule: 'default',
      forwardSuggested: {
        ...(kind !== undefined ? { kind } : {}),
        ...(category !== undefined ? { category } : {}),
        suggestedEntities: others
          .filter(
            (o) =>
              o.id !== entity.id &&
              (kind === undefined || o.kinds.includes(kind)) &&
              (category === undefined || (o.categories as string[]).includes(category)),
          )
          .map((o) => o.id),
      },
    };
  }
  const text = normalize(`${input.subject}\n${input.description}`);
  const index = entity.routing.findIndex(
    (r) =>
      (!r.kinds || r.kinds.includes(input.kind)) &&
      (!r.categories ||
        (input.category !== undefined && (r.categories as string[]).includes(input.category))) &&
      (!r.keywords || r.keywords.some((k) => mentions(text, k))),
  );
  const rule = entity.routing[index];
  return rule ? { office: rule.office, rule: index } : { office: entity.defaultOffice, rule: 'default' };
}
