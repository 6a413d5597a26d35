/**
 * Text hygiene for anything a citizen types. Pure.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

/** A markup tag, an HTML comment or a script URL: not accepted in plain-text fields. */
const MARKUP = /<\s*\/?\s*[a-z!][^>]*>|javascript\s*:/i;
/** Control characters other than tab, line feed and carriage return. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** A trimmed, non-empty, plain-text string of at most `max` characters. */
export function plainText(max: number, min = 1) {
  return z
    .string()
    .trim()
    .min(min, { message: min === 1 ? 'must not be empty' : `must have at least ${min} characters` })
    .max(max, { message: `must have at most ${max} characters` })
    .refine((s) => !MARKUP.test(s), {
      message: 'must be plain text: markup (HTML tags, scripts) is not accepted',
    })
    .refine((s) => !CONTROL.test(s), { message: 'must not contain control characters' });
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

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Keys that would reach an object's prototype if merged naively. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The path of the first forbidden key in parsed JSON, or undefined. */
export function findForbiddenKey(value: unknown, path: string[] = []): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return [...path, key].join('.');
    const found = findForbiddenKey((value as Record<string, unknown>)[key], [...path, key]);
    if (found) return found;
  }
  return undefined;
}
