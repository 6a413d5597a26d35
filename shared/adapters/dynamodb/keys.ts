import { RADICADO_PATTERN } from '#domain/case/radicado.ts';
import { InvalidCursorError } from '#ports/index.ts';

/** The sort date of a case without one (suspended: no due date): after every real date. */
export const NO_DATE = '9999-12-31';

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
  /** The entity's own audit trail (settings changes), chained like a case's. */
  entityEvent: (id: string, seq: number) => ({
    pk: `ENTITY#${id}`,
    sk: `EVENT#${String(seq).padStart(6, '0')}`,
  }),
  inbox: (entityId: string, office: string) => `INBOX#${entityId}#${office}`,
  inboxSort: (priority: boolean, due: string, radicado: string) =>
    `${priority ? 'P0' : 'P1'}#${due}#${radicado}`,
  /** The sweeper's index of pending cases of an entity, by the date to watch (gsi3). */
  watch: (entityId: string) => `WATCH#${entityId}`,
  watchSort: (date: string, radicado: string) => `${date}#${radicado}`,
  entitiesIndex: 'ENTITIES',
  routingOutbox: 'OUTBOX#ROUTING',
  proposal: (id: string) => ({ pk: `PROPOSAL#${id}`, sk: 'PROPOSAL' }),
  /** gsi1: an entity's proposals, by creation. */
  proposals: (entityId: string) => `PROPOSALS#${entityId}`,
  proposalsSort: (createdAt: string, id: string) => `${createdAt}#${id}`,
  /** gsi3 (sparse): proposals that reached their threshold and are not converted yet, by when. */
  proposalsToConvert: 'PROPOSALS#TO_CONVERT',
  proposalsToConvertSort: (reachedAt: string, id: string) => `${reachedAt}#${id}`,
  /** One citizen's support; spread over the counter's shards (the same shard as its increment). */
  supportShard: (proposalId: string, shard: number) => `PROPOSAL#${proposalId}#SUPPORTS#${shard}`,
  support: (proposalId: string, shard: number, citizenHash: string) => ({
    pk: `PROPOSAL#${proposalId}#SUPPORTS#${shard}`,
    sk: `SUPPORT#${citizenHash}`,
  }),
  consultation: (id: string) => ({ pk: `CONSULTATION#${id}`, sk: 'CONSULTATION' }),
  /** gsi1: consultations that are not drafts, by when comments open. */
  consultationsIndex: 'CONSULTATIONS',
  /** gsi3: open consultations by closesAt (the scheduler closes them). */
  openConsultations: 'CONSULTATIONS#OPEN',
  /** gsi3: closed consultations whose campaign groups are to be computed, by closedAt. */
  groupingDue: 'CONSULTATIONS#GROUPING',
  /** A comment; a consultation's comments spread over COMMENT_PARTITIONS partition keys. */
  comment: (consultationId: string, reference: string) => ({
    pk: `COMMENTS#${consultationId}#${commentPartition(reference)}`,
    sk: reference,
  }),
  commentPartition: (consultationId: string, partition: number) => `COMMENTS#${consultationId}#${partition}`,
  /** gsi1: the members of a campaign group. */
  commentGroupIndex: (consultationId: string, groupKey: string) => `CGROUP#${consultationId}#${groupKey}`,
  commentGroup: (consultationId: string, groupKey: string) => ({
    pk: `GROUPS#${consultationId}`,
    sk: groupKey,
  }),
  commentGroups: (consultationId: string) => `GROUPS#${consultationId}`,
  /** A notice published by aviso (CPACA art. 69), under its case: one per notice source. */
  publication: (radicado: string, sourceSk: string) => ({
    pk: `CASE#${radicado}`,
    sk: `PUBLICATION#${sourceSk}`,
  }),
  /** gsi1: an entity's published notices, by their last day shown. */
  publications: (entityId: string) => `NOTICES#${entityId}`,
  publicationsSort: (until: string, publishedAt: string, radicado: string) =>
    `${until}#${publishedAt}#${radicado}`,
  /** The sharded-counter group of a consultation (shardedCounter.ts). */
  consultationCounters: (consultationId: string) => `CONSULTATION#${consultationId}`,
} as const;

/** Partition keys a consultation's comments spread over (a burst on one consultation is not one hot key). */
export const COMMENT_PARTITIONS = 16;
const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The partition of a comment: from the first character of its (random or hashed) reference. */
export function commentPartition(reference: string): number {
  return Math.max(0, BASE32.indexOf(reference.charAt(0))) % COMMENT_PARTITIONS;
}

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
  gsi3pk: /^WATCH#[^#]+$/,
  gsi3sk: new RegExp(`^\\d{4}-\\d{2}-\\d{2}#${RADICADO}$`),
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
  const position = value.gsi1sk ?? value.gsi3sk;
  if (typeof pk === 'string' && typeof position === 'string') {
    return pk.slice('CASE#'.length) === position.slice(position.lastIndexOf('#') + 1);
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
