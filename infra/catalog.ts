/**
 * The one source of truth for what the system is made of: the table, the queues and the
 * functions with their triggers. The CDK stack (infra/stacks) and the local runtime
 * (infra/local) both build from this file, so what runs locally is what deploys.
 *
 * Single-table design. Access patterns (every read served by a key, never a scan):
 *  - case by radicado ............ pk=CASE#<radicado>            sk=CASE
 *  - case audit trail ............ pk=CASE#<radicado>            sk=EVENT#<seq:6>
 *  - radicado counter ............ pk=COUNTER#<entity>#<year>    sk=COUNTER
 *  - idempotency record .......... pk=IDEMPOTENCY#<scope>#<key>  sk=IDEMPOTENCY   (TTL)
 *  - intake rejection ............ pk=INTAKE#<channel>#<extId>   sk=REJECTED
 *  - entity settings ............. pk=ENTITY#<id>                sk=ENTITY
 *  - list entities ............... gsi1pk=ENTITIES               gsi1sk=<id>
 *  - office inbox by due date .... gsi1pk=INBOX#<entity>#<office> gsi1sk=<P0|P1>#<due>#<radicado>
 *  - routing outbox (unrouted) ... gsi2pk=OUTBOX#ROUTING         gsi2sk=<receivedAt>#<radicado>
 *
 * Change feed: the table's stream (NEW_IMAGE) is the transactional outbox. A case item is written
 * in the filing's transaction, and its INSERT record is what asks for routing: the `CaseCreated`
 * pipe (PIPES below) turns it into a routing message. No dual write; the outbox index above stays
 * as the sweep's backstop (a case the pipe could not deliver is still unrouted, so the sweep
 * relays it).
 */

export const TABLE = {
  /** Logical id in CDK and the default table name locally. */
  name: 'urna',
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  indexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
  /**
   * The table's stream view (read by PIPES). NEW_IMAGE: the pipes filter on and map from the item
   * as written; nothing compares before and after, so the old image would only cost bytes.
   */
  stream: 'NEW_IMAGE',
} as const;

export type QueueName = 'intake' | 'routing';

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
];

/**
 * An EventBridge event pattern: every field named must be present and equal one of the listed
 * values (nested objects match nested fields). Only exact values: the local pipe evaluates the same
 * pattern, and content filters (prefix, anything-but, numeric…) are left out so it never has to
 * guess at them.
 */
export interface EventPattern {
  readonly [field: string]: readonly (string | number | boolean | null)[] | EventPattern;
}

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
  /** Which stream records go through: an EventBridge pattern over the DynamoDB stream record. */
  filter: EventPattern;
  /** The queue each matching record becomes a message on. */
  target: QueueName;
  /**
   * The message body: a JSON object whose every field takes the string found at a JSON path of
   * the stream record (`$.dynamodb.NewImage.<attr>.S`). The CDK pipe turns it into its input
   * template (`{"radicado":"<$.dynamodb.NewImage.radicado.S>"}`); the local pipe resolves the paths.
   */
  message: Readonly<Record<string, `$.${string}`>>;
  /** Records per target call: at most 10 for an SQS target (SendMessageBatch). */
  batchSize: number;
  /** Seconds to wait for a fuller batch (0: deliver as soon as read). */
  maximumBatchingWindowSeconds: number;
  /**
   * Retries of a record the target refused before it is dead-lettered (the shard is blocked
   * meanwhile, so the number is small). Failed batches are bisected down to the failing record.
   */
  maximumRetryAttempts: number;
  /**
   * The pipe's own dead-letter queue (local name `urna-<ns>-<deadLetterQueue>`), 14 days, alarmed.
   * Not the target's DLQ: what a stream pipe dead-letters is not the record but a pointer to it
   * (`DDBStreamBatchInfo`: shard and sequence numbers, readable from the stream for 24 h), so
   * redriving the routing DLQ into the routing queue (an operator's usual fix there) would turn it
   * into poison; and its own alarm says the break is between the table and the queue (permissions,
   * a missing queue), not in the routing consumer. The case itself is not lost: it stays in the
   * routing outbox index until routed, and the sweep relays it.
   */
  deadLetterQueue: string;
}

export const PIPES: readonly PipeSpec[] = [
  {
    // A filed case asks to be routed: the INSERT of its case item (written in the filing's
    // transaction) becomes `{"radicado": …}` on the routing queue. Updates of the case, its audit
    // events, counters and idempotency records are not case INSERTs, so they pass by.
    name: 'CaseCreated',
    source: 'tableStream',
    // LATEST: a pipe created over a live table starts at its head; a case filed in the seconds
    // before the pipe runs (first deploy, a replaced pipe) is relayed by the sweep. TRIM_HORIZON
    // would close that gap by replaying up to 24 h on a replacement (harmless, routing is
    // idempotent, but a burst).
    startingPosition: 'LATEST',
    filter: { eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: ['CASE'] } } } },
    target: 'routing',
    message: { radicado: '$.dynamodb.NewImage.radicado.S' },
    batchSize: 10,
    maximumBatchingWindowSeconds: 0,
    maximumRetryAttempts: 5,
    deadLetterQueue: 'case-created-pipe-dlq',
  },
];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRouteSpec {
  method: HttpMethod;
  path: string;
  /**
   * `jwt`: only an officer's access token gets through (on AWS the HTTP API's JWT authorizer on the
   * Cognito user pool; the handler verifies the token again and reads the actor from it). The
   * function gets AUTH_ISSUER and AUTH_CLIENT_ID. Absent: a public route (UrnaStack says why).
   */
  auth?: 'jwt';
}

export type Trigger =
  | { type: 'http'; routes: readonly HttpRouteSpec[] }
  | { type: 'queue'; queue: QueueName; batchSize: number; maxBatchingWindowSeconds?: number }
  | { type: 'schedule'; everyMinutes: number };

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
  /** Whether the function writes the table (otherwise read-only access is granted). */
  writes?: boolean;
  /** Whether the function needs the receipt signing key. */
  signs?: boolean;
}

export const FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'FileCase',
    entry: 'functions/http/fileCase.ts',
    trigger: { type: 'http', routes: [{ method: 'POST', path: '/v1/cases' }] },
    writes: true,
    signs: true,
  },
  {
    name: 'GetCase',
    entry: 'functions/http/getCase.ts',
    trigger: { type: 'http', routes: [{ method: 'GET', path: '/v1/cases/{radicado}' }] },
  },
  {
    name: 'ListInbox',
    entry: 'functions/http/listInbox.ts',
    trigger: { type: 'http', routes: [{ method: 'GET', path: '/v1/inbox', auth: 'jwt' }] },
  },
  {
    name: 'PublicEntities',
    entry: 'functions/http/listEntities.ts',
    trigger: { type: 'http', routes: [{ method: 'GET', path: '/v1/public/entities' }] },
  },
  {
    name: 'Receipts',
    entry: 'functions/http/receipts.ts',
    trigger: {
      type: 'http',
      routes: [
        { method: 'GET', path: '/v1/receipts/verify' },
        { method: 'GET', path: '/.well-known/jwks.json' },
      ],
    },
    signs: true,
  },
  {
    name: 'OpenApi',
    entry: 'functions/http/openapi.ts',
    trigger: { type: 'http', routes: [{ method: 'GET', path: '/openapi.json' }] },
  },
  {
    name: 'Intake',
    entry: 'functions/queue/intake.ts',
    trigger: { type: 'queue', queue: 'intake', batchSize: 10, maxBatchingWindowSeconds: 1 },
    writes: true,
    signs: true,
  },
  {
    name: 'Route',
    entry: 'functions/queue/route.ts',
    trigger: { type: 'queue', queue: 'routing', batchSize: 10, maxBatchingWindowSeconds: 1 },
    writes: true,
  },
  {
    name: 'Sweep',
    entry: 'functions/schedule/sweep.ts',
    trigger: { type: 'schedule', everyMinutes: 5 },
    sendsTo: ['routing'],
    writes: true,
  },
];

/** Environment every function gets (values differ between AWS and local). */
export const COMMON_ENV = {
  tableName: 'TABLE_NAME',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  receiptKey: 'RECEIPT_SIGNING_KEY',
  /** In AWS: the ARN of the Secrets Manager secret holding that JWK (instead of the JWK itself). */
  receiptKeySecretArn: 'RECEIPT_SIGNING_KEY_SECRET_ARN',
} as const;

/** Environment of the functions that serve a route with `auth: 'jwt'`. */
export const AUTH_ENV = {
  /** The token issuer (Cognito user pool URL, or the local dev issuer); JWKS at `${issuer}/.well-known/jwks.json`. */
  issuer: 'AUTH_ISSUER',
  /** The app client whose access tokens are accepted. */
  clientId: 'AUTH_CLIENT_ID',
} as const;
