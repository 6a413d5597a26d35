import { RADICADO_PATTERN } from '#domain/case/radicado.ts';
import { InvalidCursorError } from '#ports/index.ts';

/** Key shapes of the single table (access patterns listed in infra/catalog.ts). */
export const keys = {
  case: (radicado: string) => ({ pk: `CASE#${radicado}`, sk: 'CASE' }),
  event: (radicado: string, seq: number) => ({
    pk: `CASE#${radicado}`,
    sk: `EVENT#${String(seq).padStart(6, '0')}`,
  }),
  counter: (entityId: string, year: number) => ({ pk: `COUNTER#${entityId}#${year}`, sk: 'COUNTER' }),
  idempotency: (scope: string, key: string) => ({ pk: `IDEMPOTENCY#${scope}#${key}`, sk: 'IDEMPOTENCY' }),
  rejection: (channel: string, externalId: string) => ({
    pk: `INTAKE#${channel}#${externalId}`,
    sk: 'REJECTED',
  }),
  entity: (id: string) => ({ pk: `ENTITY#${id}`, sk: 'ENTITY' }),
  inbox: (entityId: string, office: string) => `INBOX#${entityId}#${office}`,
  inboxSort: (priority: boolean, due: string, radicado: string) =>
    `${priority ? 'P0' : 'P1'}#${due}#${radicado}`,
  entitiesIndex: 'ENTITIES',
  routingOutbox: 'OUTBOX#ROUTING',
} as const;

/** An opaque pagination cursor: the LastEvaluatedKey, base64url-encoded JSON. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;
}

/** Radicado `<ENTITY>-<YYYY>-<NNNNNN>` (the pattern of #domain/case/radicado.ts, unanchored). */
const RADICADO = RADICADO_PATTERN.source.replace(/^\^|\$$/g, '');

/**
 * The shape each key attribute of a cursor must have: what `keys` writes, nothing else. A cursor
 * is client input; DynamoDB answers a malformed ExclusiveStartKey (an empty string, say) with a
 * ValidationException, which would be a 500.
 */
const CURSOR_ATTRIBUTE: Readonly<Record<string, RegExp>> = {
  pk: new RegExp(`^CASE#${RADICADO}$`),
  sk: /^CASE$/,
  gsi1pk: /^INBOX#[^#]+#[^#]+$/,
  gsi1sk: new RegExp(`^P[01]#\\d{4}-\\d{2}-\\d{2}#${RADICADO}$`),
};

function wellFormed(value: Record<string, unknown>, expected: readonly string[]): boolean {
  if (Object.keys(value).length !== expected.length) return false;
  for (const k of expected) {
    const v = value[k];
    if (typeof v !== 'string' || v === '') return false;
    const shape = CURSOR_ATTRIBUTE[k];
    if (shape && !shape.test(v)) return false;
  }
  // The inbox position and the case key name the same case.
  const pk = value.pk;
  const gsi1sk = value.gsi1sk;
  if (typeof pk === 'string' && typeof gsi1sk === 'string') {
    return pk.slice('CASE#'.length) === gsi1sk.slice(gsi1sk.lastIndexOf('#') + 1);
  }
  return true;
}

/**
 * A cursor back as the key it encodes, or InvalidCursorError: it must be base64url JSON of
 * exactly the `expected` attributes, each a non-empty string of the shape `keys` gives it (a case
 * key `CASE#<radicado>` / `CASE`, an inbox `INBOX#<entity>#<office>`, an inbox position
 * `P0|P1#YYYY-MM-DD#<radicado>` of that same case).
 */
export function decodeCursor(
  cursor: string | undefined,
  expected: readonly string[],
): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      wellFormed(value as Record<string, unknown>, expected)
    ) {
      return value as Record<string, string>;
    }
  } catch {
    // fall through
  }
  throw new InvalidCursorError('cursor is not one this API gave');
}
