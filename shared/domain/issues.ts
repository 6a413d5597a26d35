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

/** The stable codes of field issues (documented in the OpenAPI document). */
export const ISSUE_CODES = [
  'required',
  'too_long',
  'too_short',
  'too_large',
  'too_small',
  'too_many',
  'too_few',
  'invalid_format',
  'invalid_type',
  'not_allowed',
  'unknown_field',
  'invalid_value',
  'not_found',
  'conflict',
  'too_late',
  'too_early',
  'mismatch',
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

export function fieldIssue(field: string, code: IssueCode, es: string, en: string): FieldIssue {
  return { field, code, message: { es: `${field}: ${es}`, en: `${field}: ${en}` } };
}

/** What a well-formed value of a field looks like, by the field's last name or the format. */
const HINTS: Readonly<Record<string, Phrase>> = {
  radicado: phrase('un radicado como MINTIC-2026-000001', 'a radicado such as MINTIC-2026-000001'),
  entityId: phrase('el id de una entidad, como MINTIC', 'an entity id such as MINTIC'),
  toEntityId: phrase('el id de una entidad, como MINTIC', 'an entity id such as MINTIC'),
  office: phrase('el id de una dependencia, como atencion-ciudadano', 'an office id such as atencion-ciudadano'),
  email: phrase('un correo electrónico como ana@ejemplo.com', 'an email address such as ana@example.com'),
  phone: phrase('un teléfono de 7 a 15 dígitos, como +57 300 123 4567', 'a phone number of 7 to 15 digits'),
  sha256: phrase('el SHA-256 del archivo: 64 dígitos hexadecimales en minúscula', 'the SHA-256 of the file: 64 hex digits'),
  'idempotency-key': phrase('de 16 a 128 letras, dígitos o _ . : - (un UUID sirve)', '16 to 128 letters, digits or _ . : - (a UUID will do)'),
  'x-device-key': phrase('de 16 a 128 letras, dígitos, _ o -', '16 to 128 letters, digits, _ or -'),
  datetime: phrase('una fecha y hora ISO 8601 con zona, como 2026-12-03T10:00:00-05:00', 'an ISO 8601 instant with offset, such as 2026-12-03T10:00:00-05:00'),
  date: phrase('una fecha AAAA-MM-DD, como 2026-12-03', 'a date YYYY-MM-DD, such as 2026-12-03'),
  url: phrase('una URL https://…', 'an https://… URL'),
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

function hintFor(field: string, format: string | undefined): Phrase | undefined {
  const last = field.split('.').at(-1) ?? field;
  return HINTS[last] ?? (format ? HINTS[format] : undefined);
}

/**
 * A zod error as field issues, each with its code and a message in both languages that names the
 * field and says what it takes. `input`: what was parsed (to tell a missing field from a wrong one).
 */
export function issuesOf(error: z.ZodError, prefix: readonly string[] = [], input?: unknown): FieldIssue[] {
  return error.issues.map((i): FieldIssue => {
    const path = [...prefix, ...i.path.map(String)];
    const field = path.join('.') || 'body';
    const custom = ZOD_DEFAULT.test(i.message) ? undefined : i.message;
    switch (i.code) {
      case 'unrecognized_keys': {
        const key = [...path, i.keys[0] ?? ''].join('.');
        return fieldIssue(key, 'unknown_field', 'campo desconocido: quítelo', `unknown field(s): ${i.keys.join(', ')}`);
      }
      case 'invalid_type': {
        if (valueAt(input, i.path) === undefined) {
          return fieldIssue(field, 'required', 'es obligatorio', custom ?? 'is required');
        }
        const type = TYPE_NAMES[i.expected] ?? phrase(i.expected, i.expected);
        return fieldIssue(field, 'invalid_type', `debe ser ${type.es}`, custom ?? `must be ${type.en}`);
      }
      case 'too_big': {
        const max = String(i.maximum);
        if (i.origin === 'string') {
          return fieldIssue(field, 'too_long', `admite como máximo ${max} caracteres`, custom ?? `must be at most ${max} characters`);
        }
        if (i.origin === 'array' || i.origin === 'set') {
          return fieldIssue(field, 'too_many', `admite como máximo ${max} elementos`, custom ?? `must have at most ${max} items`);
        }
        return fieldIssue(field, 'too_large', `debe ser como máximo ${max}`, custom ?? `must be at most ${max}`);
      }
      case 'too_small': {
        const min = String(i.minimum);
        if (i.origin === 'string') {
          return Number(i.minimum) <= 1
            ? fieldIssue(field, 'required', 'no puede estar vacío', custom ?? 'must not be empty')
            : fieldIssue(field, 'too_short', `debe tener al menos ${min} caracteres`, custom ?? `must be at least ${min} characters`);
        }
        if (i.origin === 'array' || i.origin === 'set') {
          return fieldIssue(field, 'too_few', `debe tener al menos ${min} elementos`, custom ?? `must have at least ${min} items`);
        }
        return fieldIssue(field, 'too_small', `debe ser al menos ${min}`, custom ?? `must be at least ${min}`);
      }
      case 'invalid_format': {
        const hint = hintFor(field, i.format === 'regex' ? undefined : i.format);
        return fieldIssue(
          field,
          'invalid_format',
          hint ? `escriba ${hint.es}` : 'no tiene el formato esperado',
          custom ?? (hint ? `must be ${hint.en}` : 'has not the expected format'),
        );
      }
      case 'invalid_value': {
        const values = i.values.map(String).join(', ');
        return fieldIssue(field, 'not_allowed', `debe ser uno de: ${values}`, custom ?? `must be one of: ${values}`);
      }
      case 'custom': {
        const params = (i.params ?? {}) as { code?: IssueCode; es?: string };
        return fieldIssue(field, params.code ?? 'invalid_value', params.es ?? i.message, i.message);
      }
      default:
        return fieldIssue(field, 'invalid_value', 'no es válido', custom ?? 'is not valid');
    }
  });
}
