/**
 * Rule sets: the response terms in force, dated by the day a filing is received. A case stores the
 * id of the rule set it was received under and keeps it (RULES.md, "Rules change").
 *
 * Modelled:
 * - `co-ley1755-2015`: Ley 1755 de 2015 (statutory law on the right of petition, replacing arts.
 *   13–33 of Ley 1437 de 2011), with Ley 1712 de 2014 (access to public information) and Ley 1581
 *   de 2012 (personal data). In force from its promulgation, 2015-06-30; it governs again from
 *   2022-05-19 after the emergency regime.
 * - `co-decreto491-2020`: Decreto Legislativo 491 de 2020, art. 5, for filings received
 *   2020-03-28 … 2022-05-18 (inclusive), repealed by Ley 2207 de 2022.
 *
 * Receipts before 2015-06-30 are refused (out of range): the regimes before Ley 1755 (Decreto 01
 * de 1984, Ley 1437 de 2011 before and after sentence C-818 de 2011) are not modelled, and the clock
 * never guesses.
 *
 * Reading of Decreto 491/2020 art. 5 (why only three classes change):
 * - It "amplía los términos señalados en el artículo 14 de la Ley 1437 de 2011": general petitions
 *   15 → 30, documents and information 10 → 20, queries 30 → 35; an extension may reach double the
 *   term "inicialmente previsto en este artículo" (so 60, 40, 70).
 * - Requests between authorities (art. 30 of Ley 1437, as replaced by Ley 1755) are not in art. 14:
 *   the decree does not touch them; they stay at 10 days.
 * - Personal data (Ley 1581 de 2012, arts. 14 and 15) is a special statutory norm; art. 5 opens
 *   with "salvo norma especial", so habeas-data queries and claims keep 10 (+5) and 15 (+8).
 * - Its parágrafo excludes "peticiones relativas a la efectividad de otros derechos fundamentales":
 *   a filing flagged `fundamentalRight` keeps the ordinary Ley 1755 terms under that regime.
 * - Arts. 17 (completion), 19 (clarification) and 21 (forwarding) are not amended.
 */
import type { TermClass } from '../vocabulary.ts';
import { formatDay, parseDay } from './dates.ts';
import { ClockError } from './errors.ts';

/** A legal citation. */
export interface Citation {
  readonly law: string;
  readonly article: string;
}

export type ExtensionRule =
  /** Ley 1755 art. 14 parágrafo: a new date no later than double the term, counted from receipt. */
  | (Citation & { readonly kind: 'double' })
  /** Ley 1581 arts. 14–15: at most `days` business days after the first term expires. */
  | (Citation & { readonly kind: 'fixed'; readonly days: number });

export interface CompletionRule extends Citation {
  /** Business days after receipt within which the entity may ask to complete or clarify. */
  readonly requestWithinDays: number;
  /** Calendar months the petitioner has to complete, counted from the request. */
  readonly petitionerMonths: number;
  /** Further months the petitioner may obtain on request (0: none). */
  readonly extendableMonths: number;
}

export interface TermRule extends Citation {
  readonly termClass: TermClass;
  /** Business days. */
  readonly days: number;
  /** One line, Spanish, for the explanation. */
  readonly text: string;
  readonly extension: ExtensionRule;
  readonly completion: CompletionRule;
  /** Art. 21 (or Ley 1581 art. 15): forward to the competent entity within these business days. */
  readonly forward: Citation & { readonly withinDays: number };
  /** Information requests: copies within these business days after an unanswered due date. */
  readonly copies?: Citation & { readonly withinDays: number };
  /** Ley 1581 art. 15 num. 2: the "reclamo en trámite" legend within these business days of the complete claim. */
  readonly legend?: Citation & { readonly withinDays: number };
}

/**
 * Ley 1755 art. 19: an unclear petition is returned to be clarified "dentro de los diez (10) días
 * siguientes"; if it is not, it is archived. Days of a law are business days (Ley 4 de 1913 art. 62),
 * and the period has no extension (art. 17's extra month is for completion only).
 */
export const CLARIFICATION = { law: 'Ley 1755 de 2015', article: 'art. 19', petitionerDays: 10 } as const;

/** Ley 1755 art. 26: the insistence on a denial citing a reserve, within 10 days of its notice. */
export const INSISTENCE_DAYS = 10;

/** Whether an answer may be insisted on (art. 26): a full or partial denial citing a reserve. */
export const insistable = (answer: {
  readonly legalReserve?: unknown;
  readonly outcome?: unknown;
}): boolean =>
  typeof answer.legalReserve === 'string' && answer.legalReserve !== '' && answer.outcome !== 'granted';

export interface RuleSet {
  readonly id: string;
  readonly name: string;
  /** Receipt-date periods (inclusive) in which this rule set governs. `to: null` = open-ended. */
  readonly periods: readonly { readonly from: string; readonly to: string | null }[];
  readonly terms: Readonly<Record<TermClass, TermRule>>;
  /** Terms for petitions excluded from the regime (Decreto 491 art. 5 parágrafo), if any. */
  readonly fundamentalRightTerms?: Readonly<Record<TermClass, TermRule>>;
  readonly notes: readonly string[];
}

const L1755 = 'Ley 1755 de 2015';
const L1581 = 'Ley 1581 de 2012';
const D491 = 'Decreto 491 de 2020';

const EXT_1755: ExtensionRule = { kind: 'double', law: L1755, article: 'art. 14, parágrafo' };
const COMPLETION_1755: CompletionRule = {
  law: L1755,
  article: 'art. 17',
  requestWithinDays: 10,
  petitionerMonths: 1,
  extendableMonths: 1,
};
const FORWARD_1755 = { law: L1755, article: 'art. 21', withinDays: 5 } as const;

const ORDINARY_TERMS: Readonly<Record<TermClass, TermRule>> = {
  general: {
    termClass: 'general',
    days: 15,
    law: L1755,
    article: 'art. 14',
    text: 'Toda petición (interés general o particular, queja, reclamo, sugerencia, denuncia) se resuelve dentro de los 15 días siguientes a su recepción.',
    extension: EXT_1755,
    completion: COMPLETION_1755,
    forward: FORWARD_1755,
  },
  information: {
    termClass: 'information',
    days: 10,
    law: `${L1755}; Ley 1712 de 2014`,
    article: 'art. 14 num. 1 (Ley 1755); art. 26 (Ley 1712)',
    text: 'Las peticiones de documentos y de información se resuelven dentro de los 10 días siguientes a su recepción; sin respuesta en ese plazo, se entienden aceptadas y las copias se entregan dentro de los 3 días siguientes.',
    extension: EXT_1755,
    completion: COMPLETION_1755,
    forward: FORWARD_1755,
    copies: { law: L1755, article: 'art. 14 num. 1', withinDays: 3 },
  },
  query: {
    termClass: 'query',
    days: 30,
    law: L1755,
    article: 'art. 14 num. 2',
    text: 'Las consultas a las autoridades sobre materias a su cargo se resuelven dentro de los 30 días siguientes a su recepción.',
    extension: EXT_1755,
    completion: COMPLETION_1755,
    forward: FORWARD_1755,
  },
  between_authorities: {
    termClass: 'between_authorities',
    days: 10,
    law: L1755,
    article: 'art. 30',
    text: 'La petición de información o documentos de una autoridad a otra se resuelve en un término no mayor de 10 días.',
    // Art. 30 has no extension clause of its own; the art. 14 parágrafo is applied as the general
    // rule of the right of petition (double the term, counted from receipt).
    extension: EXT_1755,
    completion: COMPLETION_1755,
    forward: FORWARD_1755,
  },
  data_protection_query: {
    termClass: 'data_protection_query',
    days: 10,
    law: L1581,
    article: 'art. 14',
    text: 'La consulta sobre datos personales se atiende en un máximo de 10 días hábiles desde su recibo; prorrogable hasta 5 días hábiles más, informando antes del vencimiento.',
    extension: { kind: 'fixed', days: 5, law: L1581, article: 'art. 14' },
    // Ley 1581 has no completion rule for queries: art. 17 of Ley 1755 applies.
    completion: COMPLETION_1755,
    forward: FORWARD_1755,
  },
  data_protection_claim: {
    termClass: 'data_protection_claim',
    days: 15,
    law: L1581,
    article: 'art. 15',
    text: 'El reclamo sobre datos personales se atiende en un máximo de 15 días hábiles desde el día siguiente a su recibo; prorrogable hasta 8 días hábiles más, informando antes del vencimiento.',
    extension: { kind: 'fixed', days: 8, law: L1581, article: 'art. 15' },
    // Art. 15: an incomplete claim is returned within 5 days; 2 months to complete, no extension.
    completion: {
      law: L1581,
      article: 'art. 15',
      requestWithinDays: 5,
      petitionerMonths: 2,
      extendableMonths: 0,
    },
    // Art. 15: whoever receives a claim it is not competent for forwards it within 2 business days.
    forward: { law: L1581, article: 'art. 15', withinDays: 2 },
    legend: { law: L1581, article: 'art. 15 num. 2', withinDays: 2 },
  },
};

const EXT_491: ExtensionRule = { kind: 'double', law: D491, article: 'art. 5, inciso final' };

const COVID_TERMS: Readonly<Record<TermClass, TermRule>> = {
  ...ORDINARY_TERMS,
  general: {
    ...ORDINARY_TERMS.general,
    days: 30,
    law: D491,
    article: 'art. 5',
    text: 'Durante la emergencia sanitaria, salvo norma especial, toda petición se resuelve dentro de los 30 días siguientes a su recepción.',
    extension: EXT_491,
  },
  information: {
    ...ORDINARY_TERMS.information,
    days: 20,
    law: D491,
    article: 'art. 5 num. (i)',
    text: 'Durante la emergencia sanitaria, las peticiones de documentos y de información se resuelven dentro de los 20 días siguientes a su recepción.',
    extension: EXT_491,
  },
  query: {
    ...ORDINARY_TERMS.query,
    days: 35,
    law: D491,
    article: 'art. 5 num. (ii)',
    text: 'Durante la emergencia sanitaria, las consultas se resuelven dentro de los 35 días siguientes a su recepción.',
    extension: EXT_491,
  },
};

export const ORDINARY: RuleSet = {
  id: 'co-ley1755-2015',
  name: 'Régimen ordinario: Ley 1755 de 2015, Ley 1712 de 2014, Ley 1581 de 2012',
  periods: [
    { from: '2015-06-30', to: '2020-03-27' },
    { from: '2022-05-19', to: null },
  ],
  terms: ORDINARY_TERMS,
  notes: [
    'Días hábiles: lunes a viernes, sin festivos nacionales (Ley 51 de 1983, Ley 2578 de 2026) ni cierres declarados por la entidad.',
    'El día 1 es el primer día hábil siguiente al de la recepción; la respuesta el día del vencimiento es oportuna.',
  ],
};

export const COVID: RuleSet = {
  id: 'co-decreto491-2020',
  name: 'Emergencia sanitaria: Decreto Legislativo 491 de 2020, art. 5 (derogado por la Ley 2207 de 2022)',
  periods: [{ from: '2020-03-28', to: '2022-05-18' }],
  terms: COVID_TERMS,
  fundamentalRightTerms: ORDINARY_TERMS,
  notes: [
    'Aplica a las peticiones recibidas entre el 2020-03-28 y el 2022-05-18, inclusive.',
    'Amplía solo los términos del art. 14 (general, documentos e información, consultas). Las peticiones entre autoridades (art. 30) y las de datos personales (Ley 1581 de 2012, norma especial: "salvo norma especial") conservan sus términos.',
    'Parágrafo: no aplica a las peticiones relativas a la efectividad de otros derechos fundamentales, que conservan los términos de la Ley 1755 de 2015.',
  ],
};

export const RULE_SETS: readonly RuleSet[] = [ORDINARY, COVID];

interface Period {
  readonly from: number;
  readonly to: number;
  readonly set: RuleSet;
}

const PERIODS: readonly Period[] = RULE_SETS.flatMap((set) =>
  set.periods.map((p) => ({
    from: parseDay(p.from)!,
    to: p.to === null ? Number.POSITIVE_INFINITY : parseDay(p.to)!,
    set,
  })),
).sort((a, b) => a.from - b.from);

/** Earliest receipt date any rule set covers. */
export const FIRST_RULE_DAY = PERIODS[0]!.from;

/** The rule set governing a filing received on `day` (Bogota), or an out-of-range ClockError. */
export function ruleSetFor(day: number, field = 'filed'): RuleSet {
  for (const p of PERIODS) {
    if (day >= p.from && day <= p.to) return p.set;
  }
  throw new ClockError(
    'out_of_range',
    field,
    `no rule set for a receipt on ${formatDay(day)}: the clock covers receipts from ${formatDay(FIRST_RULE_DAY)} (Ley 1755 de 2015); earlier regimes are not modelled`,
  );
}

export function ruleSetById(id: string): RuleSet | undefined {
  return RULE_SETS.find((s) => s.id === id);
}
