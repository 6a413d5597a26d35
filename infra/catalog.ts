/**
 * The one source of truth for what the system is made of: the table, the queues and the
 * functions with their triggers. The CDK stack (infra/stacks) and the local runtime
 * (infra/local) both build from this file, so what runs locally is what deploys.
 *
 * Single-table design. Access patterns (every read served by a key, never a scan):
 *  - case by radicado ............ pk=CASE#<radicado>            sk=CASE
 *  - case audit trail ............ pk=AUDIT#CASE#<radicado>      sk=EVENT#<seq:6>   (put only: docs/adr/0018)
 *  - case alert (sweeper) ........ pk=CASE#<radicado>            sk=ALERT#<kind>#<date>   (once per kind and date)
 *  - notice mark ................. pk=CASE#<radicado>            sk=NOTICE#<source sk>    (pending, claimed, sent or skipped)
 *  - published notice (aviso) .... pk=CASE#<radicado>            sk=PUBLICATION#<source sk> (CPACA art. 69, once per source)
 *  - entity's notices in force ... gsi1pk=NOTICES#<entity>       gsi1sk=<until>#<publishedAt>#<radicado>  (sk ≥ today)
 *  - counted case (report) ....... pk=CASE#<radicado>            sk=COUNTED  (version, cells, register entry, notified)
 *  - entity's register by month .. gsi1pk=REGISTER#<entity>#<YYYY-MM> gsi1sk=<radicado>  (docs/adr/0014)
 *  - report counter shard ........ pk=COUNTS#REPORT#<ENTITY#id|NATIONAL>#<YYYY-MM>#<shard> sk=COUNTS (docs/adr/0013)
 *  - radicado counter ............ pk=COUNTER#<entity>#<year>    sk=COUNTER
 *  - idempotency record .......... pk=IDEMPOTENCY#<scope>#<key>  sk=IDEMPOTENCY   (TTL)
 *  - intake rejection ............ pk=INTAKE#<channel>#<extId>   sk=REJECTED
 *  - entity settings ............. pk=ENTITY#<id>                sk=ENTITY
 *  - entity audit trail .......... pk=AUDIT#ENTITY#<id>          sk=EVENT#<seq:6>
 *  - list entities ............... gsi1pk=ENTITIES#<0..3>        gsi1sk=<id>  (shard fnv1a(id) % 4; read: every shard, merged)
 *  - office inbox by due date .... gsi1pk=INBOX#<entity>#<office> gsi1sk=<P0|P1>#<due>#<radicado>
 *  - routing outbox (unrouted) ... gsi2pk=OUTBOX#ROUTING#<n>     gsi2sk=<receivedAt>#<radicado>  (16 shards)
 *  - notice outbox (unsent) ...... gsi2pk=OUTBOX#NOTICE#<0..15>  gsi2sk=<at>#<radicado>#<source sk>
 *      (sparse: the notice mark while pending or claimed, written with its source; off once sent
 *      or skipped. The sweep relays what the Outbox pipe never delivered: docs/adr/0011)
 *  - pending cases by next alert . gsi3pk=WATCH#<entity>          gsi3sk=<UTC instant | 9999-12-31>#<radicado>
 *      (sparse: only cases still to be answered; the instant the sweeper must look next, placed by
 *      every write, moved on by the sweeper; 9999-12-31: nothing more to come. The sweeper reads
 *      sk ≤ now, per entity; closures read the whole partition. docs/adr/0017)
 *  - sweeper state ............... pk=SWEEP#STATE                sk=SWEEP  (start entity, settled settings)
 *  - sharded counter shard ....... pk=COUNTS#<group>#<shard>      sk=COUNTS
 *      (shared/adapters/dynamodb/shardedCounter.ts: a group's named counters spread over
 *      COUNTER_SHARDS = 32 items, ADD in the same transaction as what is counted; a total is one
 *      BatchGet of the 32 shards summed: O(shards), never O(what was counted))
 *  - proposal .................... pk=PROPOSAL#<id>               sk=PROPOSAL
 *  - proposals of an entity ...... gsi1pk=PROPOSALS#<entity>     gsi1sk=<createdAt>#<id>
 *  - proposals to convert ........ gsi3pk=PROPOSALS#TO_CONVERT#<0..15> gsi3sk=<reachedAt>#<id>  (shard fnv1a(id) % 16)
 *      (sparse: set when a proposal's supports reach its threshold, removed when it becomes a
 *      case; the Publish schedule retries a conversion that failed)
 *  - support of a proposal ....... pk=PROPOSAL#<id>#SUPPORTS#<shard> sk=SUPPORT#<citizenHash>
 *      (one per citizen: conditional put + counter ADD on the same shard, one transaction; the
 *      supports are sharded like the counter so a hot proposal spreads over 32 partition keys;
 *      a recount is 32 queries)
 *  - consultation ................ pk=CONSULTATION#<id>           sk=CONSULTATION   (versioned)
 *  - public consultations ........ gsi1pk=CONSULTATIONS#<0..3>   gsi1sk=<opensAt UTC>#<id>  (not drafts)
 *  - open consultations by close . gsi3pk=CONSULTATIONS#OPEN#<0..3> gsi3sk=<closesAt UTC>#<id> (the Publish schedule)
 *  - groups to compute ........... gsi3pk=CONSULTATIONS#GROUPING#<0..3> gsi3sk=<closedAt UTC>#<id> (the Publish schedule)
 *      (shard fnv1a(id) % 4; readers query every shard and merge by the sort key; a page's cursor
 *      is its last item's key, from which every shard goes on: Table.pageAcross)
 *  - comment ..................... pk=COMMENTS#<id>#<0..15>      sk=<reference>
 *      (16 partition keys per consultation, from the reference; counters in the sharded group
 *      CONSULTATION#<id>: comment partition p's counts in shard p, added from the stream by
 *      CountComments with the last sequence number counted, `countedThrough`; counting.ts)
 *  - campaign group members ...... gsi1pk=CGROUP#<id>#<groupKey> gsi1sk=<reference>
 *  - campaign groups (sizes) ..... pk=GROUPS#<id>                sk=<groupKey>
 *      (groups of two or more, tallied when the consultation closes: grouping.ts)
 * Each item kind's key and index attributes are made by one function (caseItem, consultationItem…
 * in shared/adapters/dynamodb/keys.ts and participationItems.ts), next to its cursors' shapes.
 * No index partition key is one constant for the whole country (issue 17): each takes an id or
 * a shard (keys.ts INDEX_PARTITIONS; test/infra/indexPartitions.test.ts).
 *
 * Change feed: the table's stream (NEW_IMAGE) is the transactional outbox (PIPES below); the
 * routing outbox index and the sweep are its backstop. Why: docs/adr/0002-table-stream-as-outbox.md
 */

import type { TableAccess } from '../shared/adapters/dynamodb/tableAccess.ts';
import { WATCH_VIEW_FIELDS } from '../shared/domain/case/watch.ts';
import type { Access, HttpMethod, RouteSpec } from '../shared/http/route.ts';
import { ROUTES } from '../shared/http/routes/index.ts';
import type { EventPattern } from '../shared/queue/eventPattern.ts';
import { OUTBOX_ROUTES } from '../shared/queue/outbox.ts';

/** What an index copies of each item besides the table's and its own keys. */
export type IndexProjection = { type: 'KEYS_ONLY' } | { type: 'INCLUDE'; attributes: readonly string[] };

export const TABLE = {
  /** Logical id in CDK and the default table name locally. */
  name: 'urna',
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  /**
   * Each index copies only what its readers use besides the keys (docs/adr/0020); a reader that
   * needs more fetches the items whole (Table.whole: BatchGetItem). None projects ALL: a case
   * (~1.8 KB) would be written again into every index it is on, at every write.
   */
  indexes: [
    {
      name: 'gsi1',
      partitionKey: 'gsi1pk',
      sortKey: 'gsi1sk',
      projection: {
        type: 'INCLUDE',
        attributes: [
          // The inbox's status filter (the page's cases are then fetched whole).
          'status',
          // The entity list: every entity's settings (Route, Sweep, the reports read it often).
          'settings',
          // The register: its row and notified day, read a month at a time.
          'entry',
          'notified',
          // Published notices, listed whole by a public function that may not read a case (ADR
          // 0018). Their text is `noticeText`: every comment is on gsi1 with a `text` of ≤ 50 KB.
          'id',
          'radicado',
          'entityId',
          'entityName',
          'kind',
          'caseKind',
          'title',
          'noticeText',
          'publishedAt',
          'publishedOn',
          'until',
          'notifiedOn',
        ],
      },
    },
    // The outboxes: the radicado of an unrouted case, of a pending notice mark (its source: the sk).
    {
      name: 'gsi2',
      partitionKey: 'gsi2pk',
      sortKey: 'gsi2sk',
      projection: { type: 'INCLUDE', attributes: ['radicado'] },
    },
    // Proposals and consultations due are read by id. A watched case is read from the index
    // alone: the sweeper's fields of it, a few hundred bytes against its ~2 KB whole.
    {
      name: 'gsi3',
      partitionKey: 'gsi3pk',
      sortKey: 'gsi3sk',
      projection: { type: 'INCLUDE', attributes: ['id', ...WATCH_VIEW_FIELDS] },
    },
  ],
  /**
   * The table's stream view (read by PIPES). NEW_IMAGE: the pipes filter on and map from the item
   * as written; nothing compares before and after, so the old image would only cost bytes.
   */
  stream: 'NEW_IMAGE',
} as const;

/**
 * The table's key families: what a leading key (an item's partition key, or an index's partition
 * key when a function queries it) starts with. A function's `table` names the families it reads and
 * writes; its IAM policy (`dynamodb:LeadingKeys`) and the table-access guard
 * (shared/adapters/dynamodb/tableAccess.ts) are built from that alone. docs/adr/0018.
 */
export const TABLE_FAMILIES = {
  /** A case and what hangs off it: counted entry, alerts, notice marks, publications. */
  case: { pattern: 'CASE#*' },
  /** Audit trails of cases and entities: appended (PutItem), never updated by any role. */
  audit: { pattern: 'AUDIT#*' },
  entity: { pattern: 'ENTITY#*' },
  radicadoCounter: { pattern: 'COUNTER#*' },
  /** Sharded counters: PQRSD report, consultations, proposals. */
  counts: { pattern: 'COUNTS#*' },
  idempotency: { pattern: 'IDEMPOTENCY#*' },
  intakeRejection: { pattern: 'INTAKE#*' },
  upload: { pattern: 'UPLOAD#*' },
  rate: { pattern: 'RATE#*' },
  /** Proposals and their supports (`PROPOSAL#<id>#SUPPORTS#<n>`). */
  proposal: { pattern: 'PROPOSAL#*' },
  consultation: { pattern: 'CONSULTATION#*' },
  comments: { pattern: 'COMMENTS#*' },
  campaignGroups: { pattern: 'GROUPS#*' },
  /** An identified citizen's links to their cases (keyed hash). */
  citizenCases: { pattern: 'CITIZEN#*' },
  /** Satisfaction ratings, with no radicado. */
  ratings: { pattern: 'RATINGS#*' },
  /** What a filing receipt attests, apart from the case: the public receipt check reads only it. */
  receipt: { pattern: 'RECEIPT#*' },
  /** The sweeper's state (where its next run starts). */
  sweep: { pattern: 'SWEEP#*' },
  /** Index entries (queried only). */
  entityList: { index: 'gsi1', pattern: 'ENTITIES*' },
  inbox: { index: 'gsi1', pattern: 'INBOX#*' },
  register: { index: 'gsi1', pattern: 'REGISTER#*' },
  publishedNotices: { index: 'gsi1', pattern: 'NOTICES#*' },
  entityProposals: { index: 'gsi1', pattern: 'PROPOSALS#*' },
  publicConsultations: { index: 'gsi1', pattern: 'CONSULTATIONS*' },
  campaignMembers: { index: 'gsi1', pattern: 'CGROUP#*' },
  outboxes: { index: 'gsi2', pattern: 'OUTBOX#*' },
  watch: { index: 'gsi3', pattern: 'WATCH#*' },
  proposalsToConvert: { index: 'gsi3', pattern: 'PROPOSALS#TO_CONVERT*' },
  consultationsToClose: { index: 'gsi3', pattern: 'CONSULTATIONS#*' },
} as const satisfies Record<string, { pattern: string; index?: string }>;
export type TableFamily = keyof typeof TABLE_FAMILIES;

/** A function's access to the table as the guard and IAM take it (TableAccess), from its declaration. */
export function tableAccessOf(spec: Pick<FunctionSpec, 'table' | 'batchWrites'>): TableAccess {
  const reads = spec.table?.reads ?? [];
  const writes = spec.table?.writes ?? [];
  const patterns = (families: readonly TableFamily[], index?: string) =>
    families
      .map((f) => TABLE_FAMILIES[f] as { pattern: string; index?: string })
      .filter((f) => f.index === index)
      .map((f) => f.pattern);
  const query: Record<string, string[]> = {};
  for (const index of ['table', ...TABLE.indexes.map((i) => i.name)]) {
    const found = patterns(reads, index === 'table' ? undefined : index);
    if (found.length > 0) query[index] = found;
  }
  return {
    read: patterns(reads),
    write: patterns(writes.filter((f) => f !== 'audit')),
    append: writes.includes('audit') ? patterns(['audit']) : [],
    query,
    batchWrites: spec.batchWrites === true,
  };
}

export type QueueName = 'intake' | 'routing' | 'participation' | 'notifications' | 'deliveries';

export interface QueueSpec {
  name: QueueName;
  /** Seconds a received message stays hidden; ≥ 6× the consumer's timeout on AWS. */
  visibilityTimeout: number;
  /** Receives before SQS moves a message to the queue's DLQ. */
  maxReceiveCount: number;
  /** Environment variable that carries the queue URL to producers. */
  urlEnv: string;
  /** Environment variable that carries the DLQ URL (consumers that dead-letter on purpose). */
  dlqUrlEnv: string;
}

export const QUEUES: readonly QueueSpec[] = [
  {
    name: 'intake',
    visibilityTimeout: 180,
    maxReceiveCount: 5,
    urlEnv: 'INTAKE_QUEUE_URL',
    dlqUrlEnv: 'INTAKE_DLQ_URL',
  },
  {
    name: 'routing',
    visibilityTimeout: 180,
    maxReceiveCount: 5,
    urlEnv: 'ROUTING_QUEUE_URL',
    dlqUrlEnv: 'ROUTING_DLQ_URL',
  },
  {
    // Citizens' comments on consultations: accepted by the API (202), written by the consumer in
    // batches, so a national burst waits in the queue instead of throttling the table.
    name: 'participation',
    visibilityTimeout: 180,
    maxReceiveCount: 5,
    urlEnv: 'PARTICIPATION_QUEUE_URL',
    dlqUrlEnv: 'PARTICIPATION_DLQ_URL',
  },
  {
    // Notices to petitioners and alerts to officers, fed by the Outbox pipe (Relay). Visibility
    // (180 s) > the notice claim's lease (NOTICE_CLAIM_LEASE_SECONDS, 90 s) > the consumer's timeout.
    name: 'notifications',
    visibilityTimeout: 180,
    maxReceiveCount: 5,
    urlEnv: 'NOTIFICATIONS_QUEUE_URL',
    dlqUrlEnv: 'NOTIFICATIONS_DLQ_URL',
  },
  {
    // The providers' delivery reports on notices (SES and SMS events, through EventBridge rules on
    // the default bus): the day each notice reached the petitioner, or its bounce. docs/adr/0012.
    name: 'deliveries',
    visibilityTimeout: 180,
    maxReceiveCount: 5,
    urlEnv: 'DELIVERIES_QUEUE_URL',
    dlqUrlEnv: 'DELIVERIES_DLQ_URL',
  },
];

/**
 * A pipe from the table's stream to a function: invoked synchronously (REQUEST_RESPONSE) with each
 * batch, a JSON array of the matching records as they are on the stream (no input template), in
 * stream order per shard. A thrown error fails the whole batch: it is retried (the shard waits) and
 * finally dead-lettered, so the function must be idempotent over a batch seen twice. Queue targets
 * are gone: the outbox's routes live in shared/queue/outbox.ts and the Relay sends them (docs/adr/0019).
 */
export interface PipeSpec {
  /** Logical name: CDK construct id, the pipe's name on AWS (`urna-<stage>-<name>`), the local label. */
  name: string;
  /** Where records come from: the table's stream (TABLE.stream). */
  source: 'tableStream';
  /**
   * Where a new pipe starts reading. AWS: when the pipe is created. Locally: a table whose stream
   * was created by this start is read from TRIM_HORIZON (nothing is missed); an existing one from
   * this position, as a pipe created over an existing stream would.
   */
  startingPosition: 'LATEST' | 'TRIM_HORIZON';
  /**
   * Which stream records go through: an EventBridge pattern over the DynamoDB stream record, or
   * several (a record passes when any matches; a pipe takes at most 5).
   */
  filter: EventPattern | readonly EventPattern[];
  /**
   * Records per invocation: up to 10,000 (the stream source's limit); the whole batch travels in
   * one synchronous invocation and so must also fit Lambda's 6 MB payload.
   */
  batchSize: number;
  /** Seconds to wait for a fuller batch (0: deliver as soon as read). */
  maximumBatchingWindowSeconds: number;
  /**
   * Retries of a batch the target refused before it is dead-lettered (the shard is blocked
   * meanwhile, so the number is small). Failed batches are bisected down to the failing record.
   */
  maximumRetryAttempts: number;
  /**
   * The pipe's own dead-letter queue (local name `urna-<ns>-<deadLetterQueue>`), 14 days, alarmed.
   * It holds pointers into the stream (readable 24 h), not records: never redrive it into the
   * target queue. Why: docs/adr/0003-routing-via-eventbridge-pipes.md
   */
  deadLetterQueue: string;
  /** The catalog function (FUNCTIONS, trigger `pipe`) invoked with each batch. */
  target: { function: string };
}

/** The patterns of a pipe's filter (a record passes when any matches). */
export function patternsOf(filter: PipeSpec['filter']): readonly EventPattern[] {
  return Array.isArray(filter) ? filter : [filter as EventPattern];
}

export const PIPES: readonly PipeSpec[] = [
  {
    // The transactional outbox's fast path: a filed case to route, an event or alert to notify of
    // (shared/queue/outbox.ts OUTBOX_ROUTES: its filter is their patterns) → Relay, which sends each
    // as a message to the routing or the notifications queue. One pipe for both: a stream shard
    // should have at most two readers (this one and Counting). Why: docs/adr/0019.
    name: 'Outbox',
    source: 'tableStream',
    // LATEST: a case filed (or a notice asked) before the pipe runs is relayed by the sweep.
    // Why: docs/adr/0003-routing-via-eventbridge-pipes.md
    startingPosition: 'LATEST',
    filter: OUTBOX_ROUTES.map((r) => r.pattern),
    target: { function: 'Relay' },
    // Deliver at once; a busy stream fills batches by itself (a Relay invocation per batch).
    batchSize: 100,
    maximumBatchingWindowSeconds: 0,
    maximumRetryAttempts: 5,
    deadLetterQueue: 'outbox-pipe-dlq',
  },
  {
    // What is counted from the stream → Count, synchronously, in stream order per shard: comment
    // INSERTs (a consultation's counters, docs/adr/0004-counting-comments-from-stream.md) and every
    // write of a case (its PQRSD report, docs/adr/0013-pqrsd-report-counters.md). A failed batch is
    // retried while the shard waits, then dead-lettered. One pipe for both: a stream shard should
    // have at most two readers.
    name: 'Counting',
    source: 'tableStream',
    // TRIM_HORIZON: nothing else counts what was written before the pipe ran, and checkpoints
    // (comments) and counted versions (cases) make the replay harmless.
    startingPosition: 'TRIM_HORIZON',
    filter: [
      { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['comment'] } } } },
      { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { sk: { S: ['CASE'] } } } },
      // An answer's notice mark as it moves (sent, delivered, bounced back to pending, skipped):
      // the register's notified day. Only notice marks carry `state`.
      {
        eventName: ['INSERT', 'MODIFY'],
        dynamodb: {
          NewImage: { kind: { S: ['answered'] }, state: { S: ['pending', 'sending', 'sent', 'skipped'] } },
        },
      },
    ],
    target: { function: 'Count' },
    // 500: a batch costs one checkpoint read and an update per comment partition, so bigger is
    // cheaper; a batch over Lambda's 6 MB is bisected. Why: docs/adr/0004-counting-comments-from-stream.md
    batchSize: 500,
    maximumBatchingWindowSeconds: 1,
    maximumRetryAttempts: 10,
    deadLetterQueue: 'counting-pipe-dlq',
  },
];

/** A route as the infrastructure sees it (the declaration is in shared/http/routes). */
export interface HttpRouteSpec {
  method: HttpMethod;
  path: string;
  /**
   * Who may call it. Officers only: on AWS the HTTP API's JWT authorizer checks the token first
   * (and the function gets AUTH_ENV); otherwise no authorizer, and `access.public` says why. A
   * route that reads an officer's token gives its function AUTH_ENV, a citizen's CITIZEN_AUTH_ENV.
   */
  access: Access;
}

/** Memory and timeout by trigger where a function does not say (SQS visibility must stay ≥ 6× a consumer's timeout). */
export const FUNCTION_DEFAULTS = {
  http: { memorySize: 1024, timeoutSeconds: 10 },
  queue: { memorySize: 512, timeoutSeconds: 30 },
  schedule: { memorySize: 512, timeoutSeconds: 60 },
  // A batch of up to the pipe's batchSize stream records per invocation.
  pipe: { memorySize: 512, timeoutSeconds: 60 },
} as const satisfies Record<string, { memorySize: number; timeoutSeconds: number }>;

/**
 * What invokes a function. `pipe`: the one catalog pipe whose target names it (PIPES), with a batch
 * of stream records; the function has no event source of its own.
 */
export type Trigger =
  | {
      type: 'http';
      routes: readonly HttpRouteSpec[];
      /** Also the API's `$default` route: what no declared route takes (a 404/405 problem). */
      fallback?: boolean;
    }
  | { type: 'queue'; queue: QueueName; batchSize: number; maxBatchingWindowSeconds?: number }
  | { type: 'schedule'; everyMinutes: number }
  | { type: 'pipe' };

export interface FunctionSpec {
  /** Logical name: CDK construct id and the local runtime's label. */
  name: string;
  /** Handler module, relative to the project root; it exports `handler`. */
  entry: string;
  trigger: Trigger;
  memorySize?: number;
  timeoutSeconds?: number;
  /** Queues this function sends to (their URL env vars are set, send permission granted). */
  sendsTo?: readonly QueueName[];
  /**
   * What it may touch of the table, by key family (TABLE_FAMILIES): `reads` (get, query, condition
   * checks; index families are queried) and `writes` (put and update; `audit` is put only). Absent:
   * no table access at all, and no TABLE_NAME.
   */
  table?: { reads?: readonly TableFamily[]; writes?: readonly TableFamily[] };
  /**
   * Whether it writes with BatchWriteItem (which could also delete: granted only where needed).
   * No function deletes an item (expiry is TTL's): no role gets DeleteItem.
   */
  batchWrites?: boolean;
  /**
   * Receipts (docs/adr/0016-keys-in-kms.md): `sign` — kms:Sign with the current receipt key (and
   * GetPublicKey: the kid); `verify` — kms:GetPublicKey of the current and retired keys only.
   */
  receipts?: 'sign' | 'verify';
  /**
   * Whether it makes pseudonyms (the hashes that stand for citizens, devices and clients) or seals
   * notice codes: kms:GenerateMac on every pseudonym key version, nothing else of them.
   */
  pseudonyms?: boolean;
  /**
   * Whether the function sends notices: SES SendEmail from the configured sender only (NOTIFIER,
   * NOTICE_SENDER), SMS from the configured origination identity only when one is given
   * (SMS_ORIGINATION_IDENTITY), and reads the officers' user pool groups for staff addresses
   * (OFFICER_USER_POOL_ID).
   */
  notifies?: boolean;
  /**
   * Documents' bucket: `serve` gives upload targets (uploads/) and download links (documents/);
   * `accept` reads uploads and writes accepted documents (submissions that carry attachments).
   */
  documents?: 'serve' | 'accept';
}

/**
 * The documents' S3 store, bundled beside the bundle of every function with `documents` and
 * imported only when documents are handled (functions/deps.ts).
 */
export const DOCUMENTS_CHUNK = { file: 's3BlobStore.mjs', entry: 'functions/s3BlobStore.ts' } as const;

/** The trigger of a function that serves routes: those whose declaration names it (shared/http/routes). */
export function httpTrigger(
  name: string,
  options: { fallback?: boolean; routes?: readonly RouteSpec[] } = {},
): Trigger {
  const routes = (options.routes ?? ROUTES)
    .filter((r) => r.fn === name)
    .map(({ method, path, access }) => ({
      method,
      path,
      access,
    }));
  return { type: 'http', routes, ...(options.fallback ? { fallback: true } : {}) };
}

export const FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'FileCase',
    entry: 'functions/http/fileCase.ts',
    trigger: httpTrigger('FileCase'),
    table: {
      reads: ['entity', 'radicadoCounter', 'idempotency', 'upload'],
      writes: ['case', 'audit', 'radicadoCounter', 'idempotency', 'citizenCases', 'receipt'],
    },
    receipts: 'sign',
    pseudonyms: true,
    documents: 'accept',
  },
  {
    // The petitioner's view (tracking code or linked identity) or, with an officer's token, the
    // officer's view and ETag. Pseudonyms: the citizen's list, the wrong-code limit per client.
    name: 'GetCase',
    entry: 'functions/http/getCase.ts',
    trigger: httpTrigger('GetCase'),
    table: { reads: ['case', 'audit', 'citizenCases', 'entity', 'rate'], writes: ['rate'] },
    pseudonyms: true,
  },
  {
    // The petitioner replies, withdraws, insists, rates (issue 13).
    name: 'PetitionerActs',
    entry: 'functions/http/petitionerActs.ts',
    trigger: httpTrigger('PetitionerActs'),
    table: {
      reads: ['case', 'audit', 'citizenCases', 'entity', 'rate', 'upload'],
      writes: ['case', 'audit', 'counts', 'rate', 'ratings'],
    },
    pseudonyms: true,
    documents: 'accept',
  },
  {
    // Documents: upload targets (browser to bucket) and download links (issue 13).
    name: 'Documents',
    entry: 'functions/http/documents.ts',
    trigger: httpTrigger('Documents'),
    // citizenCases: an identified petitioner's own case, with no tracking code.
    table: { reads: ['case', 'audit', 'citizenCases', 'rate', 'upload'], writes: ['rate', 'upload'] },
    pseudonyms: true,
    documents: 'serve',
  },
  {
    // An identified citizen's list of cases.
    name: 'MyCases',
    entry: 'functions/http/myCases.ts',
    trigger: httpTrigger('MyCases'),
    table: { reads: ['citizenCases', 'case', 'rate'], writes: ['citizenCases', 'rate'] },
    pseudonyms: true,
  },
  {
    // Officers act on a case (the lifecycle), read its history, register verbal petitions.
    name: 'CaseActions',
    entry: 'functions/http/caseActions.ts',
    trigger: httpTrigger('CaseActions'),
    table: {
      reads: ['case', 'audit', 'entity', 'radicadoCounter', 'idempotency', 'upload'],
      writes: ['case', 'audit', 'radicadoCounter', 'idempotency', 'receipt'],
    },
    receipts: 'sign',
    documents: 'accept',
  },
  {
    name: 'ListInbox',
    entry: 'functions/http/listInbox.ts',
    trigger: httpTrigger('ListInbox'),
    // The case: an inbox page's cases are fetched whole (gsi1 is lean: docs/adr/0020).
    table: { reads: ['inbox', 'case', 'entity'] },
  },
  {
    // An entity's settings: admins and supervisors read, admins replace (If-Match), audited.
    name: 'EntitySettings',
    entry: 'functions/http/entitySettings.ts',
    trigger: httpTrigger('EntitySettings'),
    // The inbox: an office leaves the settings only once it holds no open case.
    table: { reads: ['entity', 'watch', 'case', 'sweep', 'inbox'], writes: ['entity', 'audit', 'case'] },
  },
  {
    // Verifies a case's audit trail (supervisors and admins).
    name: 'AuditCase',
    entry: 'functions/http/auditCase.ts',
    trigger: httpTrigger('AuditCase'),
    table: { reads: ['case', 'audit', 'entity'] },
  },
  {
    name: 'PublicEntities',
    entry: 'functions/http/listEntities.ts',
    trigger: httpTrigger('PublicEntities'),
    table: { reads: ['entityList'] },
  },
  {
    // The entity's notices by publication (CPACA art. 69), while in force; public and cacheable.
    name: 'PublicNotices',
    entry: 'functions/http/publicNotices.ts',
    trigger: httpTrigger('PublicNotices'),
    table: { reads: ['publishedNotices', 'entity'] },
  },
  {
    // The PQRSD reports (an entity's, the country's) from the counters, and the open-data
    // register; public, cacheable.
    name: 'PqrsdReports',
    entry: 'functions/http/pqrsdReports.ts',
    trigger: httpTrigger('PqrsdReports'),
    table: { reads: ['register', 'counts', 'entity', 'entityList'] },
  },
  {
    // The entity's PQRSD report to its management (Ley 1474 art. 76), from the register; officers' token.
    name: 'PqrsdInternalReport',
    entry: 'functions/http/pqrsdInternalReport.ts',
    trigger: httpTrigger('PqrsdInternalReport'),
    table: { reads: ['register', 'entity'] },
  },
  {
    name: 'Receipts',
    entry: 'functions/http/receipts.ts',
    trigger: httpTrigger('Receipts'),
    table: { reads: ['receipt'] },
    receipts: 'verify',
  },
  {
    // The contract, and the API's $default route (404/405 problems for undeclared routes).
    name: 'OpenApi',
    entry: 'functions/http/openapi.ts',
    trigger: httpTrigger('OpenApi', { fallback: true }),
  },
  {
    // Citizens' proposals (issue 6). A support is a synchronous transaction (support item +
    // counter shard): exact and idempotent at once, 2 items, no queue hop needed at 5,000/s.
    name: 'CreateProposal',
    entry: 'functions/http/proposalsCreate.ts',
    trigger: httpTrigger('CreateProposal'),
    table: { reads: ['entity'], writes: ['proposal'] },
    // The author's pseudonym.
    pseudonyms: true,
  },
  {
    // The support that reaches the threshold files the petition (a receipt is signed).
    name: 'SupportProposal',
    entry: 'functions/http/proposalsSupport.ts',
    trigger: httpTrigger('SupportProposal'),
    table: {
      reads: ['proposal', 'counts', 'entity', 'radicadoCounter', 'idempotency'],
      writes: ['proposal', 'counts', 'case', 'audit', 'radicadoCounter', 'idempotency', 'receipt'],
    },
    receipts: 'sign',
    pseudonyms: true,
  },
  {
    name: 'PublicProposals',
    entry: 'functions/http/proposalsRead.ts',
    trigger: httpTrigger('PublicProposals'),
    table: { reads: ['entityProposals', 'proposal', 'counts'] },
  },
  {
    name: 'Intake',
    entry: 'functions/queue/intake.ts',
    trigger: { type: 'queue', queue: 'intake', batchSize: 10, maxBatchingWindowSeconds: 1 },
    table: {
      reads: ['entity', 'radicadoCounter', 'idempotency', 'intakeRejection'],
      writes: ['case', 'audit', 'radicadoCounter', 'idempotency', 'intakeRejection', 'receipt'],
    },
    receipts: 'sign',
    pseudonyms: true,
  },
  {
    name: 'Route',
    entry: 'functions/queue/route.ts',
    trigger: { type: 'queue', queue: 'routing', batchSize: 10, maxBatchingWindowSeconds: 1 },
    table: { reads: ['case', 'entity', 'entityList'], writes: ['case', 'audit'] },
  },
  {
    name: 'Sweep',
    entry: 'functions/schedule/sweep.ts',
    trigger: { type: 'schedule', everyMinutes: 5 },
    table: {
      reads: ['entityList', 'outboxes', 'watch', 'case', 'entity', 'sweep'],
      writes: ['case', 'audit', 'sweep'],
    },
    sendsTo: ['routing', 'notifications'],
  },
  {
    // Notices to petitioners (SES, SMS, or published by aviso) and officers, once per event or alert.
    name: 'Notify',
    entry: 'functions/queue/notify.ts',
    trigger: { type: 'queue', queue: 'notifications', batchSize: 10, maxBatchingWindowSeconds: 1 },
    table: { reads: ['case', 'audit', 'entity'], writes: ['case'] },
    receipts: 'sign',
    pseudonyms: true,
    notifies: true,
  },
  {
    // The providers' delivery reports: a notice's delivery day, or its bounce sent on by the next
    // channel (a message on the notifications queue).
    name: 'NoticeDeliveries',
    entry: 'functions/queue/deliveries.ts',
    trigger: { type: 'queue', queue: 'deliveries', batchSize: 10, maxBatchingWindowSeconds: 1 },
    table: { reads: ['case'], writes: ['case'] },
    sendsTo: ['notifications'],
  },
  {
    // Communicators run consultations: create, open, answer, publish; read comments and campaign
    // groups; give dispositions.
    name: 'Consultations',
    entry: 'functions/http/consultations.ts',
    trigger: httpTrigger('Consultations'),
    table: {
      reads: ['consultation', 'entity', 'comments', 'counts', 'campaignGroups', 'campaignMembers'],
      writes: ['consultation', 'comments', 'counts'],
    },
  },
  {
    // A citizen's comment: checked and enqueued (202 + reference); the consumer writes it.
    name: 'SubmitComment',
    entry: 'functions/http/consultationsComment.ts',
    trigger: httpTrigger('SubmitComment'),
    table: { reads: ['consultation', 'comments'], writes: ['rate'] },
    sendsTo: ['participation'],
    // The author's pseudonym.(citizen or device).
    pseudonyms: true,
  },
  {
    // Public, cacheable reads: consultations, results (from counters), the global report.
    name: 'PublicConsultations',
    entry: 'functions/http/consultationsPublic.ts',
    trigger: httpTrigger('PublicConsultations'),
    table: {
      reads: ['publicConsultations', 'consultation', 'counts', 'comments', 'campaignGroups', 'entity'],
    },
  },
  {
    // Writes comments in batches (BatchWriteItem while open, conditional puts after); the
    // CommentsCounted pipe counts them. Why: docs/adr/0004-counting-comments-from-stream.md
    name: 'Participation',
    entry: 'functions/queue/participation.ts',
    trigger: { type: 'queue', queue: 'participation', batchSize: 100, maxBatchingWindowSeconds: 1 },
    table: { reads: ['consultation', 'comments'], writes: ['comments', 'consultation'] },
    batchWrites: true,
  },
  {
    // Closes consultations whose period has ended, then tallies their campaign groups: every
    // comment read once, ~200 bytes per distinct group (a million ≈ 200 MB), hence the memory.
    name: 'Publish',
    entry: 'functions/schedule/publish.ts',
    trigger: { type: 'schedule', everyMinutes: 5 },
    table: {
      reads: [
        'consultationsToClose',
        'proposalsToConvert',
        'consultation',
        'comments',
        'campaignGroups',
        'proposal',
        'counts',
        'entity',
        'radicadoCounter',
        'idempotency',
      ],
      writes: [
        'consultation',
        'campaignGroups',
        'proposal',
        'case',
        'audit',
        'radicadoCounter',
        'idempotency',
        'receipt',
      ],
    },
    // It also retries proposals whose conversion to a case failed (a filing signs a receipt, and
    // seals the tracking code for its notice).
    receipts: 'sign',
    pseudonyms: true,
    memorySize: 2048,
    timeoutSeconds: 300,
  },
  {
    // The Outbox pipe's target: each record as its message to routing or notifications. No table.
    name: 'Relay',
    entry: 'functions/stream/relay.ts',
    trigger: { type: 'pipe' },
    memorySize: 256,
    timeoutSeconds: 30,
    sendsTo: ['routing', 'notifications'],
  },
  {
    // Counts from the table stream (the Counting pipe), a batch at a time: consultations' comments
    // (a checkpoint by sequence number per partition key) and cases for the PQRSD report (each
    // case's counted version); idempotent, since the pipe may deliver a batch twice.
    name: 'Count',
    entry: 'functions/stream/count.ts',
    trigger: { type: 'pipe' },
    // The entity: the calendar of a notice published by aviso (the register's notified day).
    table: { reads: ['case', 'counts', 'entity'], writes: ['case', 'counts'] },
  },
];

/** Environment every function gets (values differ between AWS and local). */
export const COMMON_ENV = {
  tableName: 'TABLE_NAME',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
} as const;

/**
 * Keys (docs/adr/0016-keys-in-kms.md). On AWS, KMS key ARNs, given by what a function needs
 * (FunctionSpec `receipts`, `pseudonyms`); locally, file keys, given to every function.
 */
export const KEYS_ENV = {
  /** The Ed25519 key that signs receipts now, and the retired ones (comma-separated), still published. */
  receiptKeyId: 'RECEIPT_KEY_ID',
  retiredReceiptKeyIds: 'RECEIPT_RETIRED_KEY_IDS',
  /** The HMAC key of each pseudonym key version, version 1 first, the current one last (comma-separated). */
  pseudonymKeyIds: 'PSEUDONYM_KEY_IDS',
  /** Local: the current Ed25519 private JWK, the retired JWKs (a JSON array), the pseudonym keys (base64url). */
  receiptKey: 'RECEIPT_SIGNING_KEY',
  retiredReceiptKeys: 'RECEIPT_RETIRED_KEYS',
  pseudonymKeys: 'PSEUDONYM_KEYS',
} as const;

/** Environment of the functions that serve a route with `auth: 'jwt'`. */
export const AUTH_ENV = {
  /** The token issuer (Cognito user pool URL, or the local dev issuer); JWKS at `${issuer}/.well-known/jwks.json`. */
  issuer: 'AUTH_ISSUER',
  /** The app client whose access tokens are accepted. */
  clientId: 'AUTH_CLIENT_ID',
} as const;

/**
 * Environment of the functions that identify citizens (shared/http/citizenAuth.ts): the citizens'
 * OIDC issuer and the audience its ID tokens name. Locally the dev issuer with DEV_CITIZEN_AUDIENCE.
 */
export const CITIZEN_AUTH_ENV = {
  issuer: 'CITIZEN_AUTH_ISSUER',
  audience: 'CITIZEN_AUTH_AUDIENCE',
} as const;

/**
 * What is wrong with how the routes, pipes and functions name each other (empty: nothing): a route
 * declared twice or naming no HTTP function, an HTTP function serving no route, not exactly one
 * `$default` (fallback) function, a pipe name used twice, a function target that is not a catalog
 * function with trigger `pipe`, a `pipe` function that no pipe, or more than one, invokes. The CDK
 * stack and the local runtime refuse to start otherwise.
 */
export function catalogProblems(
  pipes: readonly PipeSpec[] = PIPES,
  functions: readonly FunctionSpec[] = FUNCTIONS,
  routes: readonly { method: string; path: string; fn: string }[] = functions === FUNCTIONS ? ROUTES : [],
): string[] {
  const problems: string[] = [];
  const routeKeys = new Set<string>();
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    if (routeKeys.has(key)) problems.push(`route ${key} is declared twice`);
    routeKeys.add(key);
    const fn = functions.find((f) => f.name === route.fn);
    if (fn?.trigger.type !== 'http') problems.push(`route ${key} names ${route.fn}, no HTTP function`);
  }
  const http = functions.filter((f) => f.trigger.type === 'http');
  for (const fn of http) {
    if (fn.trigger.type === 'http' && fn.trigger.routes.length === 0) {
      problems.push(`function ${fn.name} (trigger http) serves no route`);
    }
  }
  const fallbacks = http.filter((f) => f.trigger.type === 'http' && f.trigger.fallback === true);
  if (http.length > 0 && fallbacks.length !== 1) {
    problems.push(`${fallbacks.length} functions serve the $default route, not 1`);
  }
  // DynamoDB advises at most two readers per stream shard, beyond which they are throttled.
  const readers = pipes.filter((p) => p.source === 'tableStream');
  if (readers.length > 2) problems.push(`${readers.length} pipes read the table's stream, not at most 2`);
  const names = new Set<string>();
  for (const pipe of pipes) {
    if (names.has(pipe.name)) problems.push(`pipe ${pipe.name} is declared twice`);
    names.add(pipe.name);
    const fn = functions.find((f) => f.name === pipe.target.function);
    if (fn === undefined)
      problems.push(`pipe ${pipe.name} targets ${pipe.target.function}, no catalog function`);
    else if (fn.trigger.type !== 'pipe') {
      problems.push(`pipe ${pipe.name} targets ${fn.name}, whose trigger is ${fn.trigger.type}, not pipe`);
    }
  }
  for (const fn of functions) {
    if (fn.trigger.type !== 'pipe') continue;
    const invokers = pipes.filter((p) => p.target.function === fn.name);
    if (invokers.length !== 1) {
      problems.push(`function ${fn.name} (trigger pipe) is the target of ${invokers.length} pipes, not 1`);
    }
  }
  return problems;
}
