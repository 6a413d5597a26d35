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

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type Trigger =
  | { type: 'http'; routes: readonly { method: HttpMethod; path: string }[] }
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
    sendsTo: ['routing'],
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
    trigger: { type: 'http', routes: [{ method: 'GET', path: '/v1/inbox' }] },
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
    sendsTo: ['routing'],
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
