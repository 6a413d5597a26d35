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
      Object.keys(value).length === expected.length &&
      expected.every((k) => typeof (value as Record<string, unknown>)[k] === 'string')
    ) {
      return value as Record<string, string>;
    }
  } catch {
    // fall through
  }
  throw new InvalidCursorError('cursor is not one this API gave');
}
