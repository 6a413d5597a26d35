/**
 * Text hygiene for anything a citizen types. Pure.
 */
import { hash } from 'node:crypto';
import * as z from 'zod';
import { refinement } from './issues.ts';

/**
 * The start of markup, closed or not: `<` followed by a letter, `/`, `!` or `?` (a tag, an end
 * tag, a comment or doctype, a processing instruction). An unclosed `<img src=x onerror=…` is
 * refused as well as `<b>`, and so is `Juan <juan@x.co>` (a price of plain text we accept).
 * `/`, `!` and `?` are refused after whitespace too (`< /b>`, `< !--`); a letter only right after
 * `<`, because no HTML parser opens a tag on `< b`, and prose needs `a < b` and `5 <= 6`.
 * `javascript:` is no longer refused: without a tag or attribute it is inert text.
 */
const MARKUP = /<(?:[\p{L}/!?]|\s+[/!?])/u;
/** Control characters other than tab, line feed and carriage return. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** Bidirectional embedding, override and isolate controls (they can make text display reordered). */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
/** A UTF-16 surrogate that is not half of a pair (with the `u` flag, a pair is one code point). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
/** The 66 code points Unicode keeps out of interchange (U+FDD0–U+FDEF, U+FFFE, U+FFFF, U+1FFFE…). */
const NONCHARACTER = /\p{Noncharacter_Code_Point}/u;

const NO_MARKUP = refinement(
  'invalid_format',
  'debe ser texto plano: no se admiten etiquetas (un "<" seguido de una letra, "/", "!" o "?"); para una comparación escriba "< " con un espacio',
  'must be plain text: markup is not accepted (a "<" right before a letter, "/", "!" or "?"); write "< " with a space for a comparison',
);
const NO_CONTROL = refinement(
  'invalid_format',
  'no debe contener caracteres de control: quítelos',
  'must not contain control characters',
);
const NO_BIDI = refinement(
  'invalid_format',
  'no debe contener caracteres que invierten o aíslan la dirección del texto (U+202A a U+202E, U+2066 a U+2069): quítelos',
  'must not contain bidirectional override or isolate characters (U+202A to U+202E, U+2066 to U+2069)',
);
const NO_BROKEN = refinement(
  'invalid_format',
  'debe ser texto Unicode válido: contiene un carácter dañado (un sustituto suelto); escríbalo de nuevo',
  'must be valid Unicode text: it contains an unpaired surrogate (a broken character)',
);
const NO_NONCHARACTER = refinement(
  'invalid_format',
  'no debe contener no-caracteres Unicode (U+FDD0 a U+FDEF, U+FFFE, U+FFFF y sus pares en otros planos): quítelos',
  'must not contain Unicode noncharacters (U+FDD0 to U+FDEF, U+FFFE, U+FFFF and their kin in other planes)',
);

/**
 * A trimmed, non-empty string of at most `max` characters, markup kept as inert text (citizens'
 * comments: a `<script>` is stored and shown as typed, and escaped wherever it is rendered).
 * Control, bidirectional-override, broken and noncharacters are refused; emoji are text.
 */
export function freeText(max: number, min = 1) {
  return z
    .string()
    .trim()
    .min(min, { message: min === 1 ? 'must not be empty' : `must have at least ${min} characters` })
    .max(max, { message: `must have at most ${max} characters` })
    .refine((s) => !CONTROL.test(s), NO_CONTROL)
    .refine((s) => !BIDI_CONTROL.test(s), NO_BIDI)
    .refine((s) => !LONE_SURROGATE.test(s), NO_BROKEN)
    .refine((s) => !NONCHARACTER.test(s), NO_NONCHARACTER);
}

/** Like freeText, and markup is refused: a plain-text string. */
export function plainText(max: number, min = 1) {
  return freeText(max, min).refine((s) => !MARKUP.test(s), NO_MARKUP);
}

/** JSON with sorted keys, so that equal data gives equal text (for hashes and signatures). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * SHA-256 of the UTF-8 text, hex. node:crypto's one-shot `hash` (Node ≥ 20.12): half the cost of a
 * createHash object per call, and the filing path hashes several times per case.
 */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

/** Keys that would reach an object's prototype if merged naively. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * How deeply objects and arrays may nest in a JSON body (the outermost one is level 1). Far more
 * than any request of this API needs; a bound so that no walk over the data can exhaust the stack.
 */
export const MAX_JSON_DEPTH = 32;

/** Why parsed JSON is refused: a forbidden key (its path) or nesting past MAX_JSON_DEPTH. */
export type JsonKeyProblem =
  | { kind: 'forbidden_key'; path: string }
  | { kind: 'too_deep'; path: string; maxDepth: number };

interface Frame {
  value: object;
  keys: string[];
  next: number;
  path: string[];
}

/**
 * The first problem in parsed JSON, in document order, or undefined: a key that would reach an
 * object's prototype, or an object or array nested deeper than `maxDepth`. Iterative (an explicit
 * stack), so any input, however deep, gives an answer rather than a RangeError. A `too_deep` path
 * names the first container past the limit.
 */
export function checkJsonKeys(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonKeyProblem | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (maxDepth < 1) return { kind: 'too_deep', path: '', maxDepth };
  const stack: Frame[] = [{ value, keys: Object.keys(value), next: 0, path: [] }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next >= frame.keys.length) {
      stack.pop();
      continue;
    }
    const key = frame.keys[frame.next++]!;
    if (FORBIDDEN_KEYS.has(key)) return { kind: 'forbidden_key', path: [...frame.path, key].join('.') };
    const child: unknown = (frame.value as Record<string, unknown>)[key];
    if (child === null || typeof child !== 'object') continue;
    const path = [...frame.path, key];
    if (stack.length >= maxDepth) return { kind: 'too_deep', path: path.join('.'), maxDepth };
    stack.push({ value: child, keys: Object.keys(child), next: 0, path });
  }
  return undefined;
}
