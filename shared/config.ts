/**
 * Environment, read and validated once per process. A handler asks, at cold start, for what it
 * needs; a missing or malformed variable fails the cold start with the variable's name.
 */
import * as z from 'zod';

/** The application's metrics (Powertools EMF): namespace and `service` dimension, for the alarms too. */
export const METRICS = { namespace: 'Urna', service: 'urna' } as const;

/** A comma-separated list (blanks around items ignored, empty items dropped). */
const commaList = z.string().transform((s) =>
  s
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== ''),
);

const EnvSchema = z.object({
  TABLE_NAME: z.string().min(1).optional(),
  INTAKE_DLQ_URL: z.url().optional(),
  ROUTING_QUEUE_URL: z.url().optional(),
  NOTIFICATIONS_QUEUE_URL: z.url().optional(),
  PARTICIPATION_QUEUE_URL: z.url().optional(),
  PARTICIPATION_DLQ_URL: z.url().optional(),
  /**
   * Proxies in front of the API that append the caller's address to X-Forwarded-For (CloudFront:
   * 1). The per-client limits key on the address that many hops back, not on the proxy's.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
  /** Breakdowns of participation by a commenter's attribute hide cells of fewer than this many people. */
  DISCLOSURE_K: z.coerce.number().int().min(2).max(100).default(5),
  /**
   * Keys (docs/adr/0016-keys-in-kms.md). On AWS, KMS keys (id, ARN or alias): the Ed25519 key that
   * signs receipts, the retired ones still published, and the HMAC key of each pseudonym key
   * version (version 1 first, the current one last). Locally, file keys instead: the current
   * Ed25519 private JWK, the retired JWKs (a JSON array), and base64url pseudonym keys.
   */
  RECEIPT_KEY_ID: z.string().min(1).optional(),
  RECEIPT_RETIRED_KEY_IDS: commaList.optional(),
  PSEUDONYM_KEY_IDS: commaList.optional(),
  RECEIPT_SIGNING_KEY: z.string().min(1).optional(),
  RECEIPT_RETIRED_KEYS: z
    .string()
    .transform((s, ctx) => {
      try {
        const keys: unknown = JSON.parse(s);
        if (Array.isArray(keys) && keys.every((k) => k !== null && typeof k === 'object')) {
          return keys.map((k) => JSON.stringify(k));
        }
      } catch {
        // reported below
      }
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of JWKs' });
      return z.NEVER;
    })
    .optional(),
  PSEUDONYM_KEYS: commaList.optional(),
  /**
   * Officer tokens' issuer, without a trailing slash: the Cognito user pool
   * (`https://cognito-idp.<region>.amazonaws.com/<poolId>`) or, locally, the dev issuer
   * (`<baseUrl>/local/issuer`). Its keys are read from `${AUTH_ISSUER}/.well-known/jwks.json`.
   */
  AUTH_ISSUER: z.url().optional(),
  /** The user pool app client whose access tokens officer routes accept (`client_id` claim). */
  AUTH_CLIENT_ID: z.string().min(1).optional(),
  /**
   * Citizens' identity provider (OIDC issuer, no trailing slash; JWKS at
   * `${CITIZEN_AUTH_ISSUER}/.well-known/jwks.json`) and the audience its ID tokens must name:
   * read by shared/http/citizenAuth.ts for identified participation (supports, proposals).
   */
  CITIZEN_AUTH_ISSUER: z.url().optional(),
  CITIZEN_AUTH_AUDIENCE: z.string().min(1).optional(),
  /** Idempotency records live this many hours. */
  IDEMPOTENCY_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),
  /** How long a filing may try for its radicado before answering 503 "retry" (below the Lambda timeout). */
  FILING_BUDGET_MS: z.coerce.number().int().min(500).max(25_000).default(6000),
  /** The outbox sweep leaves a filing this long for its own routing message before re-sending it. */
  OUTBOX_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** How notices go out: `ses` (AWS, from NOTICE_SENDER) or `outbox` (local: a folder, OUTBOX_DIR). */
  NOTIFIER: z.enum(['ses', 'outbox']).optional(),
  /** The local outbox folder (NOTIFIER=outbox). */
  OUTBOX_DIR: z.string().min(1).optional(),
  /** The verified SES identity notices are sent from (NOTIFIER=ses). */
  NOTICE_SENDER: z.email().optional(),
  /** The SES configuration set notices are sent with (suppression, reputation metrics). */
  NOTICE_CONFIGURATION_SET: z.string().min(1).optional(),
  /** Officers' Cognito user pool: the Directory of alert recipients (absent: symbolic recipients). */
  OFFICER_USER_POOL_ID: z.string().min(1).optional(),
  /**
   * End User Messaging SMS: the origination identity SMS notices are sent from (a phone number,
   * sender ID or pool, id or ARN) and an optional configuration set. Absent (NOTIFIER=ses): no
   * SMS; phone-only petitioners are notified by publication.
   */
  SMS_ORIGINATION_IDENTITY: z.string().min(1).max(256).optional(),
  SMS_CONFIGURATION_SET: z.string().min(1).max(256).optional(),
  /** The tracking view each SMS links to: a URL template with `{radicado}` (never the tracking code). */
  TRACKING_URL: z
    .url()
    .refine((u) => u.includes('{radicado}'), { message: 'must contain {radicado}' })
    .optional(),
  /** Documents (issue 13): the S3 bucket on AWS; locally the local store's folder, base URL and key. */
  DOCUMENTS_BUCKET: z.string().min(3).max(63).optional(),
  LOCAL_BLOBS_DIR: z.string().min(1).optional(),
  LOCAL_BLOBS_BASE_URL: z.url().optional(),
  LOCAL_BLOBS_KEY: z.string().min(16).optional(),
  /** Upload targets one uploader (tracking code, device, citizen, officer) may ask for in an hour. */
  UPLOADS_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(30),
  /** Wrong tracking codes allowed per radicado and per client in a window, then 429 (issue 16). */
  TRACKING_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(10),
  TRACKING_ATTEMPTS_WINDOW_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  /** Comments one author (device key or citizen) may send to one consultation in an hour, then 429. */
  COMMENTS_PER_AUTHOR_HOUR: z.coerce.number().int().min(1).max(10_000).default(30),
  /** A notice claim older than this is from an attempt that died (above the notify function's timeout). */
  NOTICE_CLAIM_LEASE_SECONDS: z.coerce.number().int().min(30).max(900).default(90),
});
type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

function env(): Env {
  if (!cached) {
    // Parsed once: zod's compiled fast path would cost more to build than it saves (~3 ms a cold start).
    const parsed = EnvSchema.safeParse(process.env, { jitless: true });
    if (!parsed.success) {
      const names = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
      throw new Error(`invalid environment: ${names}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** The value of a variable this function cannot run without. */
export function required<K extends keyof Env>(name: K): NonNullable<Env[K]> {
  const value = env()[name];
  if (value === undefined || value === null) throw new Error(`missing environment variable ${name}`);
  return value as NonNullable<Env[K]>;
}

export function optional<K extends keyof Env>(name: K): Env[K] {
  return env()[name];
}

/** Tests change the environment between cases. */
export function resetConfigForTests(): void {
  cached = undefined;
}
