/**
 * EventBridge event patterns over table stream records, and the messages made from them: the
 * Outbox pipe's filter is such patterns, matched the same way by the local pipe
 * (infra/local/pipe.ts) and by the Relay (shared/queue/outbox.ts), which renders the messages.
 * Exact values only: content filters (prefix, anything-but, numeric…) are left out so that nothing
 * here guesses at them.
 */

/**
 * An EventBridge event pattern: every field named must be present and equal one of the listed
 * values (nested objects match nested fields).
 */
export interface EventPattern {
  readonly [field: string]: readonly (string | number | boolean | null)[] | EventPattern;
}

/**
 * A message: a JSON object whose every field takes the string found at a JSON path of the stream
 * record (`$.dynamodb.NewImage.<attr>.S`).
 */
export type MessageTemplate = Readonly<Record<string, `$.${string}`>>;

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

function isPattern(rule: EventPattern[string]): rule is EventPattern {
  return !Array.isArray(rule);
}

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws when a pattern is one EventBridge would reject (an empty list of values). */
export function checkPattern(pattern: EventPattern, at = '$'): void {
  for (const [key, rule] of Object.entries(pattern)) {
    if (isPattern(rule)) checkPattern(rule, `${at}.${key}`);
    else if (rule.length === 0) throw new Error(`event pattern: ${at}.${key} lists no value`);
  }
}

/** A pattern on one line: `eventName=INSERT dynamodb.NewImage.sk.S=CASE` (alternatives joined by |). */
export function describePattern(pattern: EventPattern, at = ''): string {
  return Object.entries(pattern)
    .map(([key, rule]) =>
      isPattern(rule)
        ? describePattern(rule, `${at}${key}.`)
        : `${at}${key}=${rule.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('|')}`,
    )
    .join(' ');
}

/**
 * EventBridge matching of exact-value patterns: every field of the pattern must be in the event
 * and equal one of its values (an array in the event matches if one of its elements does); nested
 * patterns match nested objects.
 */
export function matchesPattern(pattern: EventPattern, event: Json | undefined): boolean {
  if (!isObject(event)) return false;
  for (const [key, rule] of Object.entries(pattern)) {
    const field = event[key];
    if (isPattern(rule)) {
      if (!matchesPattern(rule, field)) return false;
      continue;
    }
    if (field === undefined) return false;
    const values = Array.isArray(field) ? field : [field];
    if (!values.some((value) => rule.some((wanted) => wanted === value))) return false;
  }
  return true;
}

/** The value at a JSON path (`$.a.b`, `$.a[0].b`) of an event, or undefined. */
export function valueAt(event: Json, path: string): Json | undefined {
  if (!path.startsWith('$')) throw new Error(`JSON path ${path} does not start with $`);
  const steps = path
    .slice(1)
    .split(/\.|(?=\[)/)
    .filter((s) => s !== '');
  let here: Json | undefined = event;
  for (const step of steps) {
    const index = /^\[(\d+)\]$/.exec(step);
    if (index?.[1] !== undefined) {
      here = Array.isArray(here) ? here[Number(index[1])] : undefined;
    } else {
      here = isObject(here) ? here[step] : undefined;
    }
    if (here === undefined) return undefined;
  }
  return here;
}

/**
 * The message body for a record: the template's fields, each the string at its path (`""` and
 * listed in `missing` when the path holds no string).
 */
export function renderMessage(message: MessageTemplate, event: Json): { body: string; missing: string[] } {
  const out: Record<string, string> = {};
  const missing: string[] = [];
  for (const [field, path] of Object.entries(message)) {
    const value = valueAt(event, path);
    if (typeof value === 'string') out[field] = value;
    else {
      out[field] = value === undefined || value === null ? '' : JSON.stringify(value);
      missing.push(path);
    }
  }
  return { body: JSON.stringify(out), missing };
}
