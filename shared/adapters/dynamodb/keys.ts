import type { CaseRecord } from '#domain/case/case.ts';
import { watchInstant } from '#domain/case/nextAlert.ts';
import { RADICADO_PATTERN } from '#domain/case/radicado.ts';
import { isOpen } from '#domain/case/status.ts';
import type { SemaforoThresholds } from '#domain/clock/index.ts';
import { InvalidCursorError } from '#ports/index.ts';

/** The sort date of a case without one (suspended: no due date): after every real date. */
export const NO_DATE = '9999-12-31';

/** Key shapes of the single table (access patterns listed in infra/catalog.ts). */
export const keys = {
  case: (radicado: string) => ({ pk: `CASE#${radicado}`, sk: 'CASE' }),
  /** What the PQRSD report's counters hold of a case (reportCounters.ts). */
  counted: (radicado: string) => ({ pk: `CASE#${radicado}`, sk: 'COUNTED' }),
  /** gsi1: an entity's open-data register of a month of receipt, by radicado (reportCounters.ts). */
  register: (entityId: string, month: string) => `REGISTER#${entityId}#${month}`,
  /** The counter group of a scope's report month (`ENTITY#MINTIC`, `NATIONAL`; `YYYY-MM`). */
  reportGroup: (scope: string, month: string) => `REPORT#${scope}#${month}`,
  /**
   * A case's audit event: in a partition of its own (`AUDIT#`), so IAM can let roles put events
   * and never update them (dynamodb:LeadingKeys sees only the partition key): docs/adr/0018.
   */
  event: (radicado: string, seq: number) => ({
    pk: `AUDIT#CASE#${radicado}`,
    sk: `EVENT#${String(seq).padStart(6, '0')}`,
  }),
  caseTrail: (radicado: string) => `AUDIT#CASE#${radicado}`,
  /** What a case's filing receipt attests (public receipt check), apart from the case. */
  receipt: (radicado: string) => ({ pk: `RECEIPT#${radicado}`, sk: 'RECEIPT' }),
  counter: (entityId: string, year: number) => ({ pk: `COUNTER#${entityId}#${year}`, sk: 'COUNTER' }),
  idempotency: (scope: string, key: string) => ({ pk: `IDEMPOTENCY#${scope}#${key}`, sk: 'IDEMPOTENCY' }),
  rejection: (channel: string, externalId: string) => ({
    pk: `INTAKE#${channel}#${externalId}`,
    sk: 'REJECTED',
  }),
  entity: (id: string) => ({ pk: `ENTITY#${id}`, sk: 'ENTITY' }),
  /** The entity's own audit trail (settings changes), chained like a case's. */
  entityEvent: (id: string, seq: number) => ({
    pk: `AUDIT#ENTITY#${id}`,
    sk: `EVENT#${String(seq).padStart(6, '0')}`,
  }),
  entityTrail: (id: string) => `AUDIT#ENTITY#${id}`,
  inbox: (entityId: string, office: string) => `INBOX#${entityId}#${office}`,
  inboxSort: (priority: boolean, due: string, radicado: string) =>
    `${priority ? 'P0' : 'P1'}#${due}#${radicado}`,
  /** The sweeper's index of pending cases of an entity, by the instant of their next alert (gsi3). */
  watch: (entityId: string) => `WATCH#${entityId}`,
  /** `at`: an instant as toISOString writes it, or NO_DATE (never due; still listed for closures). */
  watchSort: (at: string, radicado: string) => `${at}#${radicado}`,
  /** The sweeper's state: where its next run starts, the settings it settled (one small item). */
  sweepState: { pk: 'SWEEP#STATE', sk: 'SWEEP' },
  /** gsi1: every entity's settings, by id, over ENTITY_LIST_SHARDS keys (entityShard). */
  entitiesIndex: (shard: number) => `ENTITIES#${shard}`,
  /** gsi2 (sparse): cases received and not routed yet, over ROUTING_OUTBOX_SHARDS keys. */
  routingOutbox: (shard: number) => `OUTBOX#ROUTING#${shard}`,
  /** gsi2 (sparse): notices neither sent nor skipped yet, over NOTICE_OUTBOX_SHARDS keys. */
  noticeOutbox: (shard: number) => `OUTBOX#NOTICE#${shard}`,
  proposal: (id: string) => ({ pk: `PROPOSAL#${id}`, sk: 'PROPOSAL' }),
  /** gsi1: an entity's proposals, by creation. */
  proposals: (entityId: string) => `PROPOSALS#${entityId}`,
  proposalsSort: (createdAt: string, id: string) => `${createdAt}#${id}`,
  /**
   * gsi3 (sparse): proposals that reached their threshold and are not converted yet, by when, over
   * PROPOSALS_TO_CONVERT_SHARDS keys (proposalShard).
   */
  proposalsToConvert: (shard: number) => `PROPOSALS#TO_CONVERT#${shard}`,
  proposalsToConvertSort: (reachedAt: string, id: string) => `${reachedAt}#${id}`,
  /** One citizen's support; spread over the counter's shards (the same shard as its increment). */
  supportShard: (proposalId: string, shard: number) => `PROPOSAL#${proposalId}#SUPPORTS#${shard}`,
  support: (proposalId: string, shard: number, citizenHash: string) => ({
    pk: `PROPOSAL#${proposalId}#SUPPORTS#${shard}`,
    sk: `SUPPORT#${citizenHash}`,
  }),
  consultation: (id: string) => ({ pk: `CONSULTATION#${id}`, sk: 'CONSULTATION' }),
  /** gsi1: consultations that are not drafts, by when comments open (CONSULTATION_SHARDS keys). */
  consultationsIndex: (shard: number) => `CONSULTATIONS#${shard}`,
  /** gsi3: open consultations by closesAt (the scheduler closes them; CONSULTATION_SHARDS keys). */
  openConsultations: (shard: number) => `CONSULTATIONS#OPEN#${shard}`,
  /** gsi3: closed consultations whose campaign groups are to be computed, by closedAt (sharded too). */
  groupingDue: (shard: number) => `CONSULTATIONS#GROUPING#${shard}`,
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
  /** An upload target given out (documents), until it expires (TTL). */
  upload: (id: string) => ({ pk: `UPLOAD#${id}`, sk: 'UPLOAD' }),
  /** A rate limit's count of one bucket in one window (TTL): rateLimiter.ts. */
  rate: (bucket: string, window: string) => ({ pk: `RATE#${bucket}#${window}`, sk: 'RATE' }),
  /** An identified citizen's cases (their keyed hash): filed with their token or linked. */
  citizenCases: (citizenHash: string) => `CITIZEN#${citizenHash}`,
  /** Satisfaction ratings of an entity's answers in a month, with no radicado. */
  ratings: (entityId: string, month: string) => `RATINGS#${entityId}#${month}`,
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

/** Partition keys of the notice outbox: a burst of notices is not one hot key. */
export const NOTICE_OUTBOX_SHARDS = 16;

/**
 * FNV-1a, 32 bits: a deterministic, evenly spread number for an id, the shard of a counter's
 * increment (shardedCounter.ts shardFor) or of a radicado's notices.
 */
export function fnv1a(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * Partition keys of the routing outbox: every filing writes one entry, so one key for the whole
 * country would cap filings at one partition's write rate (issue 17).
 */
export const ROUTING_OUTBOX_SHARDS = 16;

/** A radicado's routing-outbox shard. */
export function routingShard(radicado: string): number {
  return fnv1a(radicado) % ROUTING_OUTBOX_SHARDS;
}

/** A radicado's notice-outbox shard. */
export function noticeShard(radicado: string): number {
  return fnv1a(radicado) % NOTICE_OUTBOX_SHARDS;
}

/** Keys of the entity list: entities are a few thousand at most, written by admins: 4 keys suffice. */
export const ENTITY_LIST_SHARDS = 4;
/**
 * Keys of each consultation index: consultations change state a handful of times each, and every
 * page of the public listing queries each key, so 4 (not 16) keys.
 */
export const CONSULTATION_SHARDS = 4;
/** Keys of the proposals to convert: a campaign may push many proposals over their thresholds at once. */
export const PROPOSALS_TO_CONVERT_SHARDS = 16;

export const entityShard = (id: string): number => fnv1a(id) % ENTITY_LIST_SHARDS;
export const consultationShard = (id: string): number => fnv1a(id) % CONSULTATION_SHARDS;
export const proposalShard = (id: string): number => fnv1a(id) % PROPOSALS_TO_CONVERT_SHARDS;

/** The partition keys `0..shards-1` of a sharded index, every one of which a reader queries. */
export function shardKeys(shards: number, key: (shard: number) => string): string[] {
  return Array.from({ length: shards }, (_, shard) => key(shard));
}

/**
 * Every index partition-key family, by its `keys` name. None is one key for the whole country: each
 * takes an id or a shard (issue 17), and test/infra/indexPartitions.test.ts checks that this list
 * is complete and that each key varies with what it takes.
 */
export const INDEX_PARTITIONS = {
  register: { index: 'gsi1', key: keys.register },
  entitiesIndex: { index: 'gsi1', key: keys.entitiesIndex },
  inbox: { index: 'gsi1', key: keys.inbox },
  proposals: { index: 'gsi1', key: keys.proposals },
  consultationsIndex: { index: 'gsi1', key: keys.consultationsIndex },
  commentGroupIndex: { index: 'gsi1', key: keys.commentGroupIndex },
  publications: { index: 'gsi1', key: keys.publications },
  routingOutbox: { index: 'gsi2', key: keys.routingOutbox },
  noticeOutbox: { index: 'gsi2', key: keys.noticeOutbox },
  watch: { index: 'gsi3', key: keys.watch },
  proposalsToConvert: { index: 'gsi3', key: keys.proposalsToConvert },
  openConsultations: { index: 'gsi3', key: keys.openConsultations },
  groupingDue: { index: 'gsi3', key: keys.groupingDue },
} as const satisfies { [K in keyof typeof keys]?: { index: IndexName; key: (typeof keys)[K] } };

/**
 * A notice's mark, `NOTICE#<source sk>` under its case. Written `pending` in the transaction that
 * inserts its source (an audit event or an alert), and on the notice outbox (gsi2) until the
 * notice is sent or skipped, so the sweep relays what the Outbox pipe never delivered.
 * Why: docs/adr/0011-notice-outbox.md
 */
export const noticeMarkItem = {
  key: (radicado: string, sourceSk: string) => ({ pk: `CASE#${radicado}`, sk: `NOTICE#${sourceSk}` }),
  /** Its outbox entry, by the instant from which it is overdue (`at`: written or claimed). */
  outbox: (radicado: string, sourceSk: string, at: string) => ({
    gsi2pk: keys.noticeOutbox(noticeShard(radicado)),
    // As UTC (an event's `at` may carry an offset), so that the relay's `below` compares instants.
    gsi2sk: `${new Date(at).toISOString()}#${radicado}#${sourceSk}`,
  }),
  pending(radicado: string, sourceSk: string, kind: string, at: string): Record<string, unknown> {
    return {
      ...noticeMarkItem.key(radicado, sourceSk),
      ...noticeMarkItem.outbox(radicado, sourceSk, at),
      radicado,
      state: 'pending',
      kind,
      at,
    };
  },
};

// ── Item kinds ──────────────────────────────────────────────────────────────────────────────
// Each kind of item on an index has its key attributes made by one function from the item's data
// (ElectroDB-style), next to the shapes a cursor on it may have. The participation kinds are in
// participationItems.ts (their domain modules stay out of the case functions' bundles).

export type IndexName = 'gsi1' | 'gsi2' | 'gsi3';
export type KeyAttribute = 'pk' | 'sk' | `${IndexName}pk` | `${IndexName}sk`;
/** An item's entry in an index: its partition and sort key values. */
export interface IndexKey {
  partition: string;
  sort: string;
}

/**
 * What a key of one item kind looks like: the pattern of each key attribute the kind writes, and
 * whether the attributes of one key name one item (an index position and the item key agree).
 */
export interface KeyShapes {
  patterns: Readonly<Partial<Record<KeyAttribute, RegExp>>>;
  agree?: (key: Readonly<Record<string, string>>) => boolean;
}

/** The attributes of a key of the table, or of an index (what its LastEvaluatedKey holds). */
export function keyAttributes(index?: IndexName): readonly KeyAttribute[] {
  return index ? ['pk', 'sk', `${index}pk`, `${index}sk`] : ['pk', 'sk'];
}

/** Radicado `<ENTITY>-<YYYY>-<NNNNNN>` (the pattern of #domain/case/radicado.ts, unanchored). */
const RADICADO = RADICADO_PATTERN.source.replace(/^\^|\$$/g, '');
const DAY = '\\d{4}-\\d{2}-\\d{2}';
/** An instant as toISOString writes it (milliseconds optional). */
export const ISO_INSTANT = `${DAY}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?Z`;

/** Whether every index sort key of `key` ends with `#<id>`, the id its item key names. */
export function positionsName(key: Readonly<Record<string, string>>, id: string): boolean {
  return (['gsi1sk', 'gsi2sk', 'gsi3sk'] as const).every(
    (a) => key[a] === undefined || key[a].endsWith(`#${id}`),
  );
}

/**
 * A case and the index entries its status calls for: the routing outbox while received, the
 * office inbox while open (not closed) and in an office, the sweeper's watch index while pending
 * (by the instant of its first alert from its last change on, under the entity's semáforo
 * `thresholds`: nextAlert.ts; the sweeper moves it on as it serves it). Why: docs/adr/0017.
 */
export const caseItem = {
  keys(r: CaseRecord, thresholds: SemaforoThresholds): Record<string, string> {
    const out: Record<string, string> = keys.case(r.radicado);
    if (r.status === 'received') {
      out.gsi2pk = keys.routingOutbox(routingShard(r.radicado));
      out.gsi2sk = `${r.receivedAt}#${r.radicado}`;
    }
    if (isOpen(r.status) && r.office !== undefined && r.status !== 'received') {
      out.gsi1pk = keys.inbox(r.entityId, r.office);
      out.gsi1sk = keys.inboxSort(r.priority, r.dueDate ?? NO_DATE, r.radicado);
    }
    const watch = watchInstant(r, thresholds);
    if (watch !== undefined) {
      out.gsi3pk = keys.watch(r.entityId);
      out.gsi3sk = keys.watchSort(watch ?? NO_DATE, r.radicado);
    }
    return out;
  },
  shapes: {
    patterns: {
      pk: new RegExp(`^CASE#${RADICADO}$`),
      sk: /^CASE$/,
      gsi1pk: /^INBOX#[^#]+#[^#]+$/,
      gsi1sk: new RegExp(`^P[01]#${DAY}#${RADICADO}$`),
      gsi2pk: /^OUTBOX#ROUTING#\d{1,2}$/,
      gsi2sk: new RegExp(`^[^#]+#${RADICADO}$`),
      gsi3pk: /^WATCH#[^#]+$/,
      // An instant, NO_DATE, or a due date (placed before issue 17, until the sweep moves it).
      gsi3sk: new RegExp(`^(?:${ISO_INSTANT}|${DAY})#${RADICADO}$`),
    },
    agree: (key) => positionsName(key, key.pk?.slice('CASE#'.length) ?? ''),
  } satisfies KeyShapes,
};

/** An entity's settings (written by updates): on gsi1 in its shard of the entity list, read whole. */
export const entityItem = {
  listed: (id: string): IndexKey => ({ partition: keys.entitiesIndex(entityShard(id)), sort: id }),
};

/**
 * An item: its key attributes, then each part's attributes (a later part wins, as with spreads),
 * copied in rather than spread (Node 20's slow path). Why: docs/adr/0006-bundling-shims.md
 */
export function itemOf(itemKeys: Record<string, string>, ...parts: object[]): Record<string, unknown> {
  return Object.assign(itemKeys, ...parts);
}

/** The key attributes every item may carry: what a store strips before handing an item back. */
const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk'] as const;

/** An item's data without its key attributes (and the `more` attributes named). */
export function withoutKeys<T>(item: Record<string, unknown>, ...more: string[]): T {
  const copy = { ...item };
  for (const k of KEY_ATTRIBUTES) delete copy[k];
  for (const k of more) delete copy[k];
  return copy as T;
}

/**
 * The parts of an UpdateExpression that put an item on an index (SET of its key attributes) or,
 * with no key, take it off (REMOVE): for updates that move an item's index entry.
 */
export function indexUpdate(
  index: IndexName,
  key: IndexKey | undefined,
): { set: string[]; remove: string[]; values: Record<string, string> } {
  if (!key) return { set: [], remove: [`${index}pk`, `${index}sk`], values: {} };
  return {
    set: [`${index}pk = :${index}pk`, `${index}sk = :${index}sk`],
    remove: [],
    values: { [`:${index}pk`]: key.partition, [`:${index}sk`]: key.sort },
  };
}

/** An UpdateExpression of SET and REMOVE actions. */
export function updateExpression(actions: { set?: readonly string[]; remove?: readonly string[] }): string {
  const set = actions.set ?? [];
  const remove = actions.remove ?? [];
  return [
    ...(set.length > 0 ? [`SET ${set.join(', ')}`] : []),
    ...(remove.length > 0 ? [`REMOVE ${remove.join(', ')}`] : []),
  ].join(' ');
}

// ── Cursors ─────────────────────────────────────────────────────────────────────────────────

/** An opaque pagination cursor: the LastEvaluatedKey, base64url-encoded JSON. */
export function encodeCursor(key: Record<string, unknown>): string;
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined;
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;
}

/**
 * A cursor's value, if it is base64url JSON that `accept` takes; InvalidCursorError otherwise. A
 * cursor is client input: DynamoDB answers a malformed ExclusiveStartKey (an empty string, say)
 * with a ValidationException, which would be a 500.
 */
export function readCursor<T>(cursor: string, accept: (value: unknown) => value is T): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (accept(value)) return value;
  } catch {
    // fall through
  }
  throw new InvalidCursorError('cursor is not one this API gave');
}

/**
 * Whether `value` is a key of exactly the `expected` attributes, each a non-empty string of the
 * shape the kind gives it, naming one item.
 */
export function isKeyOf(
  value: unknown,
  expected: readonly string[],
  shapes: KeyShapes,
): value is Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const key = value as Record<string, unknown>;
  if (Object.keys(key).length !== expected.length) return false;
  for (const a of expected) {
    const v = key[a];
    const pattern = shapes.patterns[a as KeyAttribute];
    if (typeof v !== 'string' || v === '' || !pattern?.test(v)) return false;
  }
  return shapes.agree?.(key as Record<string, string>) ?? true;
}

/**
 * A cursor back as the key it encodes, or InvalidCursorError: base64url JSON of exactly the
 * `expected` attributes, each of the shape `shapes` gives it (a case's by default: the inbox
 * `INBOX#<entity>#<office>`, a position `P0|P1#YYYY-MM-DD#<radicado>` of that same case…).
 */
export function decodeCursor(
  cursor: string | undefined,
  expected: readonly string[],
  shapes: KeyShapes = caseItem.shapes,
): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  return readCursor(cursor, (v): v is Record<string, string> => isKeyOf(v, expected, shapes));
}
