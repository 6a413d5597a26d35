/**
 * The composition root: real adapters, created once per process (cold start), lazily, so each
 * function pays only for what it uses. The participation stores are in participationDeps.ts: a
 * module's schemas are built when it is imported, so the case functions do not import them.
 */

import { KMSClient } from '@aws-sdk/client-kms';
import { systemClock } from '#adapters/clock.ts';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import { DynamoCitizenStore } from '#adapters/dynamodb/citizenStore.ts';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { DynamoDocumentUploads } from '#adapters/dynamodb/documentStore.ts';
import { DynamoEntityStore, InvalidStoredEntityError } from '#adapters/dynamodb/entityStore.ts';
import { DynamoNoticeStore } from '#adapters/dynamodb/noticeStore.ts';
import { DynamoPublicationStore } from '#adapters/dynamodb/publicationStore.ts';
import { DynamoRateLimiter } from '#adapters/dynamodb/rateLimiter.ts';
import { DynamoReportCounters } from '#adapters/dynamodb/reportCounters.ts';
import { deriveNoticeSecrets, derivePseudonyms, fileMac } from '#adapters/pseudonyms/derived.ts';
import { kmsMac } from '#adapters/pseudonyms/kmsMac.ts';
import { Ed25519ReceiptSigner } from '#adapters/receipts/ed25519Signer.ts';
import { KmsReceiptSigner } from '#adapters/receipts/kmsSigner.ts';
import { createSqsClient, SqsQueue } from '#adapters/sqs/queue.ts';
import type { NotifyMessage } from '#app/notify.ts';
import { DEFAULT_SEMAFORO } from '#domain/entity.ts';
import { logger, tracer } from '#http/observability.ts';
import type { BlobStore } from '#ports/blobs.ts';
import type { ReceiptSigner, RoutingMessage } from '#ports/index.ts';
import { optional, required } from '#shared/config.ts';

/**
 * Marked free of side effects for the bundler: an adapter a function never asks for (its `once`
 * unused) is left out of that function's bundle with what only it imports (the SQS client in
 * FileCase, the participation stores in the case functions), which shortens the cold start.
 * Why: docs/adr/0006-bundling-shims.md
 * Declared here, not imported from #domain/once.ts: esbuild honours the annotation on calls in this
 * file only (imported, FileCase grew from 603 to 637 KiB).
 */
/* @__NO_SIDE_EFFECTS__ */
export function once<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}

/** Every AWS SDK call gets its own X-Ray subsegment (a no-op outside Lambda). */
const traced = <T>(client: T): T => tracer.captureAWSv3Client(client);
export const db = once(() => createDocumentClient(traced));
const sqs = once(() => createSqsClient(traced));

export const clock = systemClock;
/**
 * A written case is placed on the sweeper's watch index with its entity's thresholds (cached
 * reads). An entity stored invalid under today's rules is not swept (list() skips it): defaults.
 */
export const cases = once(
  () =>
    new DynamoCaseStore(db(), required('TABLE_NAME'), {
      thresholds: async (entityId) => {
        const entity = await entities()
          .get(entityId)
          .catch((error: unknown) => {
            if (error instanceof InvalidStoredEntityError) return undefined;
            throw error;
          });
        return entity?.semaforo ?? DEFAULT_SEMAFORO;
      },
    }),
);
export const entities = once(
  () =>
    new DynamoEntityStore(db(), required('TABLE_NAME'), {
      onInvalid: (entityId, fields) =>
        logger.warn('stored entity invalid under current rules', { entityId, fields }),
    }),
);
export const routingQueue = once(() => new SqsQueue<RoutingMessage>(sqs(), required('ROUTING_QUEUE_URL')));
export const notificationsQueue = once(
  () => new SqsQueue<NotifyMessage>(sqs(), required('NOTIFICATIONS_QUEUE_URL')),
);
export const sqsClient = sqs;
/** The application's own rate limits (uploads, wrong tracking codes, comments). */
export const limits = once(() => new DynamoRateLimiter(db(), required('TABLE_NAME')));
/**
 * KMS (AWS only): only the functions that use a key bundle its client (`once`). Imported, not
 * `import()`ed: esbuild inlines a dynamic import whole, every command of client-kms (FileCase
 * +45 KiB); a static one is tree-shaken to the commands used. Why: docs/adr/0006-bundling-shims.md
 */
const kms = once(() => traced(new KMSClient({})));

/**
 * Receipts: signed in KMS on AWS (RECEIPT_KEY_ID; only the functions granted kms:Sign can sign),
 * with the local file key otherwise (RECEIPT_SIGNING_KEY). Public keys are fetched when first needed.
 * Why: docs/adr/0016-keys-in-kms.md
 */
export const signer = once(async (): Promise<ReceiptSigner> => {
  const keyId = optional('RECEIPT_KEY_ID');
  if (keyId !== undefined) {
    const retiredKeyIds = optional('RECEIPT_RETIRED_KEY_IDS') ?? [];
    return KmsReceiptSigner.create(kms(), { keyId, retiredKeyIds }, () => clock.now());
  }
  const retired = optional('RECEIPT_RETIRED_KEYS') ?? [];
  return Ed25519ReceiptSigner.fromJwk(required('RECEIPT_SIGNING_KEY'), () => clock.now(), retired);
});

/** The pseudonym keys' versions: KMS HMAC keys on AWS (PSEUDONYM_KEY_IDS), file keys locally (PSEUDONYM_KEYS). */
const pseudonymRoots = once(async () => {
  const keyIds = optional('PSEUDONYM_KEY_IDS');
  if (keyIds !== undefined) {
    return kmsMac(kms(), keyIds);
  }
  return fileMac(required('PSEUDONYM_KEYS'));
});
/** The hashes that stand for citizens, devices and clients (one MAC per key version at cold start). */
export const pseudonyms = once(async () => {
  const { versions, mac } = await pseudonymRoots();
  return derivePseudonyms(versions, mac);
});
/** The secrets sealing channel filings' tracking codes for their notice, the current version's first. */
export const noticeSecrets = once(async () => {
  const { versions, mac } = await pseudonymRoots();
  return deriveNoticeSecrets(versions, mac);
});

/** What filing needs, over HTTP and from intake alike. */
export const fileCaseDeps = once(async () => ({
  cases: cases(),
  entities: entities(),
  signer: await signer(),
  clock,
  idempotencyTtlHours: optional('IDEMPOTENCY_TTL_HOURS'),
  filingBudgetMs: optional('FILING_BUDGET_MS'),
}));

/**
 * Filings that come with no caller to show the tracking code to (intake, proposals converted):
 * the code is sealed for the filing notice.
 */
export const channelFilingDeps = once(async () => ({
  ...(await fileCaseDeps()),
  noticeSecret: (await noticeSecrets())[0]!,
}));

/** The S3 store's module: a file beside the bundle on AWS (S3_CHUNK), the source when run unbundled. */
const S3_CHUNK = 's3BlobStore.mjs';
const s3Module = () =>
  import.meta.url.endsWith('.ts') ? './s3BlobStore.ts' : new URL(`./${S3_CHUNK}`, import.meta.url).href;

/**
 * Where documents' bytes live: the S3 bucket on AWS, the local runtime's folder otherwise. Loaded
 * at the first submission that has documents (the S3 client stays out of every cold start).
 */
const blobs = once(async (): Promise<BlobStore> => {
  const bucket = optional('DOCUMENTS_BUCKET');
  if (bucket !== undefined) {
    const chunk = (await import(s3Module())) as typeof import('./s3BlobStore.ts');
    return chunk.s3BlobStore(bucket, traced);
  }
  const { LocalBlobStore } = await import('#adapters/blobs/local.ts');
  return new LocalBlobStore({
    baseUrl: required('LOCAL_BLOBS_BASE_URL'),
    signingKey: required('LOCAL_BLOBS_KEY'),
    dir: required('LOCAL_BLOBS_DIR'),
  });
});

/** What accepting and serving documents needs (acceptDocuments, requestUpload, documentLink). */
export const documents = once(async () => ({
  blobs: await blobs(),
  uploads: new DynamoDocumentUploads(db(), required('TABLE_NAME')),
  limits: limits(),
  clock,
  uploadsPerHour: optional('UPLOADS_PER_HOUR'),
}));

/** Identified citizens' lists of cases, and the ratings of answers. */
export const citizens = once(() => new DynamoCitizenStore(db(), required('TABLE_NAME')));

/** What opening a case as its petitioner needs (petitionersCase): the stores, the pseudonyms, the limits. */
export const petitionerDeps = once(async () => ({
  cases: cases(),
  citizens: citizens(),
  clock,
  pseudonyms: await pseudonyms(),
  limits: limits(),
  trackingAttempts: {
    limit: optional('TRACKING_ATTEMPTS'),
    windowSeconds: optional('TRACKING_ATTEMPTS_WINDOW_SECONDS'),
  },
}));

/** Notice marks and the sweeper's alerts (items under each case's partition). */
export const notices = once(() => new DynamoNoticeStore(db(), required('TABLE_NAME')));

export const reportCounters = once(() => new DynamoReportCounters(db(), required('TABLE_NAME')));
/** Notices published by aviso (CPACA art. 69), per entity while in force. */
export const publications = once(() => new DynamoPublicationStore(db(), required('TABLE_NAME')));
