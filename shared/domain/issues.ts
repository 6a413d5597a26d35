/**
 * What is wrong with an input, field by field: what a refusal names (HTTP problems, intake
 * rejections). Citizens read Spanish: every message is a Phrase (Spanish, and English on request),
 * and every issue has a stable machine-readable `code` a portal can word its own way.
 */
import type * as z from 'zod';

export type Locale = 'es' | 'en';

/** A text in the languages the API speaks. */
export interface Phrase {
  readonly es: string;
  readonly en: string;
}

export const phrase = (es: string, en: string): Phrase => ({ es, en });

/**
 * The stable codes of field issues (documented in the OpenAPI document, `errors[].code`). A code
 * says what kind of fix the field needs; the message says it in words. Never renamed or reused.
 */
export const ISSUE_CODES = [
  /** Missing, or empty where a value is needed. */
  'required',
  /** A text longer than the maximum. */
  'too_long',
  /** A text shorter than the minimum. */
  'too_short',
  /** A number (or a file) above the maximum. */
  'too_large',
  /** A number below the minimum. */
  'too_small',
  /** A list with more items than allowed. */
  'too_many',
  /** A list with fewer items than needed. */
  'too_few',
  /** The value does not have the form the field takes (a pattern, a date, an email address). */
  'invalid_format',
  /** The value is of another JSON type (a number where a text goes). */
  'invalid_type',
  /** Not one of the values the field allows (an enumeration: the message lists the ids). */
  'not_allowed',
  /** A field the request does not take: remove it. */
  'unknown_field',
  /** Well formed, but not acceptable (a rule across fields, a value with no effect). */
  'invalid_value',
  /** It names something that does not exist (an entity, an office, a section, an upload). */
  'not_found',
  /** It contradicts what is stored (a key reused with another request, a changed ETag). */
  'conflict',
  /** Too late for the law or the period (an expired term, a closed period). */
  'too_late',
  /** Too early for the law (the petitioner's period has not ended yet). */
  'too_early',
  /** It does not match what it must match (a declared SHA-256, the entity of the caller). */
  'mismatch',
  /** A kind of content or a way of sending it this API does not take. */
  'unsupported',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

export interface FieldIssue {
  /** Where: a dotted path (`petitioner.email`), prefixed `query.`, `path.` or `header.` outside the body. */
  field: string;
  code: IssueCode;
  /** Names the field and says how to fix it. */
  message: Phrase;
}

/** An issue of one field; both messages are prefixed with the field (`petitioner.email: …`). */
export function fieldIssue(field: string, code: IssueCode, es: string, en: string): FieldIssue {
  return { field, code, message: { es: `${field}: ${es}`, en: `${field}: ${en}` } };
}

/**
 * The options of a zod refinement (`.refine(check, refinement(…))`) or the rest of a custom issue
 * (`ctx.addIssue({ code: 'custom', path, ...refinement(…) })`): zod keeps the English as the
 * message and `params` for issuesOf, which gives the Spanish and the code.
 */
export function refinement(
  code: IssueCode,
  es: string,
  en: string,
): { message: string; params: { code: IssueCode; es: string } } {
  return { message: en, params: { code, es } };
}

/** What a value of a pattern looks like, by the pattern's text (`/^…$/`): see `pattern`. */
const PATTERNS = new Map<string, Phrase>();

/**
 * A pattern with what a value matching it looks like (a noun phrase in both languages, "an entity
 * id such as MINTIC"): a value that does not match is refused as `invalid_format` with that hint.
 * Returns the pattern itself, for `z.string().regex(pattern(RE, …))`.
 */
export function pattern(regex: RegExp, es: string, en: string): RegExp {
  PATTERNS.set(String(regex), phrase(es, en));
  return regex;
}

/** What a well-formed value of a field looks like, by the field's last name or the format. */
const HINTS: Readonly<Record<string, Phrase>> = {
  email: phrase('un correo electrónico como ana@ejemplo.com', 'an email address such as ana@example.com'),
  datetime: phrase(
    'una fecha y hora ISO 8601 con zona horaria, como 2026-12-03T10:00:00-05:00',
    'an ISO 8601 instant with offset, such as 2026-12-03T10:00:00-05:00',
  ),
  date: phrase('una fecha AAAA-MM-DD, como 2026-12-03', 'a date YYYY-MM-DD, such as 2026-12-03'),
  url: phrase('una dirección https://…', 'an https://… URL'),
};

const TYPE_NAMES: Readonly<Record<string, Phrase>> = {
  string: phrase('un texto', 'a string'),
  number: phrase('un número', 'a number'),
  int: phrase('un número entero', 'an integer'),
  boolean: phrase('true o false', 'true or false'),
  object: phrase('un objeto JSON', 'a JSON object'),
  array: phrase('una lista', 'a list'),
};

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** zod's own wording, which says nothing a citizen can act on. */
const ZOD_DEFAULT = /^(Invalid|Too (big|small)|Unrecognized|Expected)/;

function hintFor(field: string, format: string, regex: string | undefined): Phrase | undefined {
  const byPattern = regex === undefined ? undefined : PATTERNS.get(regex);
  if (byPattern) return byPattern;
  const last = field.split('.').at(-1) ?? field;
  return HINTS[last] ?? HINTS[format];
}

/** Values as a list a person reads: `a, b, c`. */
const listOf = (values: readonly unknown[]) => values.map(String).join(', ');

/**
 * A zod error as field issues, each with its code and a message in both languages that names the
 * field and says what it takes. `input`: what was parsed (to tell a missing field from a wrong one).
 */
export function issuesOf(error: z.ZodError, prefix: readonly string[] = [], input?: unknown): FieldIssue[] {
  return error.issues.flatMap((i): FieldIssue[] => {
    const path = [...prefix, ...i.path.map(String)];
    const field = path.join('.') || 'body';
    const custom = ZOD_DEFAULT.test(i.message) ? undefined : i.message;
    const missing = valueAt(input, i.path) === undefined;
    switch (i.code) {
      case 'unrecognized_keys':
        // One issue per key: each names the field to remove.
        return i.keys.map((key) =>
          fieldIssue(
            [...path, key].join('.'),
            'unknown_field',
            'no es un campo de esta solicitud: quítelo',
            'is not a field of this request: remove it',
          ),
        );
      case 'invalid_type': {
        if (missing) return [fieldIssue(field, 'required', 'es obligatorio', custom ?? 'is required')];
        const type = TYPE_NAMES[i.expected] ?? phrase(i.expected, i.expected);
        return [fieldIssue(field, 'invalid_type', `debe ser ${type.es}`, custom ?? `must be ${type.en}`)];
      }
      case 'too_big': {
        const max = String(i.maximum);
        if (i.origin === 'string') {
          return [
            fieldIssue(
              field,
              'too_long',
              `admite como máximo ${max} caracteres: acórtelo`,
              custom ?? `must have at most ${max} characters`,
            ),
          ];
        }
        if (i.origin === 'array' || i.origin === 'set') {
          return [
            fieldIssue(
              field,
              'too_many',
              `admite como máximo ${max} elementos`,
              custom ?? `must have at most ${max} items`,
            ),
          ];
        }
        return [
          i.inclusive === false
            ? fieldIssue(
                field,
                'too_large',
                `debe ser menor que ${max}`,
                custom ?? `must be less than ${max}`,
              )
            : fieldIssue(
                field,
                'too_large',
                `debe ser como máximo ${max}`,
                custom ?? `must be at most ${max}`,
              ),
        ];
      }
      case 'too_small': {
        const min = String(i.minimum);
        if (i.origin === 'string') {
          return [
            Number(i.minimum) <= 1
              ? fieldIssue(field, 'required', 'no puede estar vacío', custom ?? 'must not be empty')
              : fieldIssue(
                  field,
                  'too_short',
                  `debe tener al menos ${min} caracteres`,
                  custom ?? `must have at least ${min} characters`,
                ),
          ];
        }
        if (i.origin === 'array' || i.origin === 'set') {
          return [
            fieldIssue(
              field,
              'too_few',
              `debe tener al menos ${min} ${min === '1' ? 'elemento' : 'elementos'}`,
              custom ?? `must have at least ${min} ${min === '1' ? 'item' : 'items'}`,
            ),
          ];
        }
        return [
          i.inclusive === false
            ? fieldIssue(
                field,
                'too_small',
                `debe ser mayor que ${min}`,
                custom ?? `must be greater than ${min}`,
              )
            : fieldIssue(field, 'too_small', `debe ser al menos ${min}`, custom ?? `must be at least ${min}`),
        ];
      }
      case 'invalid_format': {
        const hint = hintFor(field, i.format, 'pattern' in i ? String(i.pattern) : undefined);
        return [
          fieldIssue(
            field,
            'invalid_format',
            hint ? `escriba ${hint.es}` : 'no tiene la forma esperada',
            hint ? `must be ${hint.en}` : (custom ?? 'does not have the expected form'),
          ),
        ];
      }
      case 'invalid_value': {
        if (i.values.length === 1) {
          const only = String(i.values[0]);
          return [fieldIssue(field, 'not_allowed', `debe ser ${only}`, custom ?? `must be ${only}`)];
        }
        const values = listOf(i.values);
        return [
          fieldIssue(
            field,
            'not_allowed',
            `debe ser uno de estos valores: ${values}`,
            custom ?? `must be one of: ${values}`,
          ),
        ];
      }
      case 'invalid_union': {
        // A tagged union (an action's `type`): the tags it takes.
        const options = 'options' in i && Array.isArray(i.options) ? (i.options as unknown[]) : undefined;
        if (options) {
          const values = listOf(options);
          return [
            missing
              ? fieldIssue(
                  field,
                  'required',
                  `es obligatorio: uno de estos valores: ${values}`,
                  `is required: one of ${values}`,
                )
              : fieldIssue(
                  field,
                  'not_allowed',
                  `debe ser uno de estos valores: ${values}`,
                  `must be one of: ${values}`,
                ),
          ];
        }
        return [fieldIssue(field, 'invalid_value', 'no es válido', custom ?? 'is not valid')];
      }
      case 'custom': {
        const params = (i.params ?? {}) as { code?: IssueCode; es?: string };
        return [fieldIssue(field, params.code ?? 'invalid_value', params.es ?? 'no es válido', i.message)];
      }
      default:
        return [fieldIssue(field, 'invalid_value', 'no es válido', custom ?? 'is not valid')];
    }
  });
}
